"""The pure engine: order by deadline, a lottery among equals, earliest free unit."""

import datetime

from guichet.allocation import FreeUnit, WaitingRequest, allocate, tiebreak
from guichet.allocation.engine import answer_window, choose_for_unit

T0 = datetime.datetime(2026, 12, 1, 9, 0)
DAY = datetime.date(2027, 3, 1)
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


def test_deadline_order_outranks_lateness():
    """The more urgent flexible request keeps the earlier unit, although sending it to its other
    site would leave both on time: the optimum of lateness breaks deadline order here."""
    flexible = waiting("flexible", DAY, sites=("A", "B"))
    single = waiting("single-site", DAY + datetime.timedelta(days=1))
    early_a = FreeUnit(key="A-early", site="A", start=T0)
    later_b = FreeUnit(key="B-later", site="B", start=T0 + datetime.timedelta(days=1))
    for seed in range(20):
        result = allocate([single, flexible], [later_b, early_a], seed)
        assert result.assignments == {"flexible": "A-early"}
        assert result.undated == ["single-site"]


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
