"""The pure engine: order by deadline, a lottery among equals, earliest free unit, and a unit
handed over by a more urgent request that can move to another site and stay on time."""

import datetime

from guichet.allocation import FreeUnit, WaitingRequest, allocate, tiebreak
from guichet.allocation.engine import answer_window, choose_for_unit

T0 = datetime.datetime(2026, 12, 1, 9, 0)
DAY = datetime.datetime(2027, 3, 1, 23, 59)  # a deadline: the last start that is on time
HOUR = datetime.timedelta(hours=1)


def units(count, site="A", start=T0):
    return [
        FreeUnit(key=f"{site}{i}", site=site, start=start + datetime.timedelta(minutes=20 * i))
        for i in range(count)
    ]


def waiting(key, deadline=DAY, registered_minute=0, sites=("A",), not_before=T0):
    return WaitingRequest(
        key=key,
        deadline=deadline,
        registered_at=T0 + datetime.timedelta(minutes=registered_minute),
        sites=frozenset(sites),
        not_before=not_before,
    )


def test_earlier_deadline_always_gets_the_earlier_unit():
    for seed in range(200):
        result = allocate(
            [waiting("late", DAY, 0), waiting("urgent", DAY - datetime.timedelta(days=1), 5)],
            units(2),
            seed=seed,
        )
        assert result.assignments == {"urgent": "A0", "late": "A1"}


def test_registration_order_does_not_decide_among_equal_deadlines():
    """Over many batches, the first registered gets the earlier date about half the time."""
    first_wins = 0
    seeds = range(2000)
    for seed in seeds:
        result = allocate(
            [waiting("first", registered_minute=0), waiting("second", registered_minute=1)],
            units(2),
            seed=seed,
        )
        first_wins += result.assignments["first"] == "A0"
    assert 0.45 < first_wins / len(seeds) < 0.55


def test_a_batch_is_replayable_from_its_seed_whatever_the_input_order():
    requests = [waiting(f"r{i}") for i in range(50)]
    forward = allocate(requests, units(30), seed=42)
    backward = allocate(list(reversed(requests)), list(reversed(units(30))), seed=42)
    assert forward.assignments == backward.assignments
    assert forward.order == backward.order
    assert allocate(requests, units(30), seed=43).order != forward.order


def test_lead_time_and_sites_are_respected():
    late_start = T0 + datetime.timedelta(hours=1)
    result = allocate(
        [waiting("b-only", sites=("B",)), waiting("not-yet", not_before=late_start)],
        units(5, "A") + units(1, "B"),
        seed=1,
    )
    assert result.assignments["b-only"] == "B0"
    assert result.assignments["not-yet"] == "A3"  # A3 is the first unit at or after 10:00


def test_requests_beyond_capacity_stay_undated_in_priority_order():
    result = allocate([waiting(f"r{i}") for i in range(5)], units(3), seed=7)
    assert len(result.assignments) == 3
    assert result.undated == [key for key in result.order if key not in result.assignments]
    assert len(result.undated) == 2


def test_tiebreak_depends_on_seed_and_key_only():
    assert tiebreak(5, "x") == tiebreak(5, "x")
    assert tiebreak(5, "x") != tiebreak(6, "x")


def test_a_freed_unit_goes_to_the_first_in_priority_order_who_can_take_it():
    unit = units(3)[1]  # A1, at 09:20
    urgent_but_dated_earlier = waiting("dated-earlier", DAY - datetime.timedelta(days=2))
    urgent_not_yet = waiting("not-yet", DAY - datetime.timedelta(days=2), not_before=T0 + HOUR)
    elsewhere = waiting("elsewhere", DAY - datetime.timedelta(days=2), sites=("B",))
    dated_later = waiting("dated-later", DAY - datetime.timedelta(days=1))
    still_waiting = waiting("waiting", DAY)
    current = {"dated-earlier": unit.start, "dated-later": unit.start + HOUR}
    candidates = [
        still_waiting,
        dated_later,
        elsewhere,
        urgent_not_yet,
        urgent_but_dated_earlier,
    ]
    for seed in range(50):
        assert choose_for_unit(candidates, unit, seed, current) == "dated-later"
    assert choose_for_unit([still_waiting, urgent_but_dated_earlier], unit, 1, current) == "waiting"
    assert choose_for_unit([urgent_but_dated_earlier, elsewhere], unit, 1, current) is None


def test_among_equal_deadlines_a_freed_unit_follows_the_batch_lottery():
    candidates = [waiting(f"r{i}", registered_minute=i) for i in range(20)]
    unit = units(1)[0]
    for seed in range(30):
        batch = allocate(candidates, [unit], seed)
        assert choose_for_unit(candidates, unit, seed) == batch.order[0]
        assert choose_for_unit(list(reversed(candidates)), unit, seed) == batch.order[0]


def test_a_more_urgent_request_moves_to_its_other_site_so_both_are_on_time():
    """The flexible request could take the earlier unit at A, but then the one who can only
    go to A would be late: it takes B, still on time, and hands A over."""
    flexible = waiting("flexible", T0 + datetime.timedelta(days=1), sites=("A", "B"))
    single = waiting("single-site", T0 + datetime.timedelta(days=2))
    early_a = FreeUnit(key="A-early", site="A", start=T0)
    later_b = FreeUnit(key="B-later", site="B", start=T0 + datetime.timedelta(days=1))
    for seed in range(20):
        result = allocate([single, flexible], [later_b, early_a], seed)
        assert result.assignments == {"flexible": "B-later", "single-site": "A-early"}


def test_nobody_is_made_late_so_that_a_less_urgent_request_is_on_time():
    """B comes after the flexible request's deadline: it keeps A, and the other waits."""
    flexible = waiting("flexible", T0 + datetime.timedelta(hours=12), sites=("A", "B"))
    single = waiting("single-site", T0 + datetime.timedelta(days=2))
    early_a = FreeUnit(key="A-early", site="A", start=T0)
    later_b = FreeUnit(key="B-later", site="B", start=T0 + datetime.timedelta(days=1))
    result = allocate([single, flexible], [later_b, early_a], seed=1)
    assert result.assignments == {"flexible": "A-early"}
    assert result.undated == ["single-site"]


def test_a_chain_of_moves_across_three_sites():
    """Each flexible request first takes its earliest unit (A, then B); for the A-only request
    to be on time, the A-and-B one moves to B, and the B-and-C one on to C."""
    day = datetime.timedelta(days=1)
    a_or_b = waiting("a-or-b", T0 + 2 * day, sites=("A", "B"))
    b_or_c = waiting("b-or-c", T0 + 2 * day, sites=("B", "C"))
    only_a = waiting("only-a", T0 + 3 * day)
    units = [
        FreeUnit(key="A", site="A", start=T0),
        FreeUnit(key="B", site="B", start=T0 + HOUR),
        FreeUnit(key="C", site="C", start=T0 + 2 * day),
    ]
    for seed in range(20):
        result = allocate([only_a, a_or_b, b_or_c], units, seed)
        assert result.assignments == {"only-a": "A", "a-or-b": "B", "b-or-c": "C"}


def test_a_late_request_takes_the_earliest_unit_left():
    """Nobody can move: the request is dated late, on its earliest free unit, not left waiting."""
    urgent = [waiting(f"urgent{i}", T0 + HOUR) for i in range(4)]
    later = FreeUnit(key="later", site="A", start=T0 + 5 * HOUR)
    far = FreeUnit(key="far", site="A", start=T0 + 9 * HOUR)
    result = allocate(urgent, [far, later, *units(3)], seed=4)
    assert sorted(result.assignments.values()) == ["A0", "A1", "A2", "later"]
    assert result.assignments[result.order[-1]] == "later"  # the last in priority order


def test_answer_window_is_long_far_ahead_short_near_and_none_too_late():
    def window(hours_until_start):
        return answer_window(
            datetime.timedelta(hours=hours_until_start),
            long=datetime.timedelta(hours=24),
            short=datetime.timedelta(hours=2),
            short_within=datetime.timedelta(hours=72),
            min_notice=datetime.timedelta(hours=1),
            min_window=datetime.timedelta(minutes=30),
        )

    assert window(24 * 10) == datetime.timedelta(hours=24)
    assert window(72) == datetime.timedelta(hours=2)
    assert window(2.5) == datetime.timedelta(hours=1.5)  # closes an hour before the slot
    assert window(1.25) is None
