"""Invariants of the engine on random instances (hypothesis)."""

import dataclasses
import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.allocation import FreeUnit, WaitingRequest, allocate
from guichet.allocation.engine import choose_for_unit

T0 = datetime.datetime(2027, 1, 4, 9, 0)
SITES = ("A", "B", "C")


def hours(count):
    return T0 + datetime.timedelta(hours=count)


@st.composite
def instances(draw):
    unit_slots = draw(
        st.lists(st.tuples(st.sampled_from(SITES), st.integers(0, 40)), max_size=40, unique=True)
    )
    units = [
        FreeUnit(key=f"{site}{slot}", site=site, start=hours(slot)) for site, slot in unit_slots
    ]
    requests = [
        WaitingRequest(
            key=f"r{i}",
            deadline=hours(draw(st.integers(0, 45))),  # some late whatever, some with room
            registered_at=T0 - datetime.timedelta(minutes=draw(st.integers(0, 1000))),
            sites=frozenset(draw(st.sets(st.sampled_from(SITES), min_size=1))),
            not_before=hours(draw(st.integers(0, 20))),
        )
        for i in range(draw(st.integers(0, 40)))
    ]
    return requests, units, draw(st.integers(0, 2**62))


def feasible(request: WaitingRequest, unit: FreeUnit) -> bool:
    return unit.site in request.sites and unit.start >= request.not_before


@settings(max_examples=300, deadline=None)
@given(instances())
def test_invariants(instance):
    requests, units, seed = instance
    result = allocate(requests, units, seed)
    by_key = {request.key: request for request in requests}
    unit_by_key = {unit.key: unit for unit in units}
    given_units = list(result.assignments.values())

    # No unit given twice, so no unit's single seat is ever exceeded.
    assert len(given_units) == len(set(given_units))
    # Every date given is one the request can take.
    for request_key, unit_key in result.assignments.items():
        assert feasible(by_key[request_key], unit_by_key[unit_key])
    # Every request with a feasible unit left gets one.
    free_after = [unit for unit in units if unit.key not in set(given_units)]
    for key in result.undated:
        assert not any(feasible(by_key[key], unit) for unit in free_after)
    # Nobody could have an earlier date from a unit left free: each took the earliest free unit
    # open to them, and moving others never frees a unit.
    for request_key, unit_key in result.assignments.items():
        start = unit_by_key[unit_key].start
        assert not any(
            feasible(by_key[request_key], unit) and unit.start < start for unit in free_after
        )

    # An undated request could take no unit given to a less urgent one: for that, someone
    # more urgent would have had to move, and no chain of moves allowed it.
    rank = {key: position for position, key in enumerate(result.order)}
    for key in result.undated:
        for other_key, unit_key in result.assignments.items():
            if feasible(by_key[key], unit_by_key[unit_key]):
                assert rank[other_key] < rank[key]


def on_time(request: WaitingRequest, unit: FreeUnit) -> bool:
    return feasible(request, unit) and unit.start <= request.deadline


def everyone_can_be_on_time(requests, units) -> bool:
    """Whether some assignment dates every request on time (augmenting paths, small sizes)."""
    holder: dict[int, int] = {}

    def place(position, seen):
        for index, unit in enumerate(units):
            if index not in seen and on_time(requests[position], unit):
                seen.add(index)
                if index not in holder or place(holder[index], seen):
                    holder[index] = position
                    return True
        return False

    return all(place(position, set()) for position in range(len(requests)))


@st.composite
def small_instances(draw):
    """Few requests, few units, deadlines among the units: checked against every assignment."""
    slots = draw(
        st.lists(st.tuples(st.sampled_from(SITES), st.integers(0, 12)), max_size=9, unique=True)
    )
    units = [FreeUnit(key=f"{site}{slot}", site=site, start=hours(slot)) for site, slot in slots]
    requests = [
        WaitingRequest(
            key=f"r{i}",
            deadline=hours(draw(st.integers(0, 12))),
            registered_at=T0,
            sites=frozenset(draw(st.sets(st.sampled_from(SITES), min_size=1))),
            not_before=hours(draw(st.integers(0, 3))),
        )
        for i in range(draw(st.integers(0, 7)))
    ]
    return requests, units, draw(st.integers(0, 2**62))


@settings(max_examples=1000, deadline=None)
@given(small_instances())
def test_everyone_is_on_time_whenever_some_assignment_allows_it(instance):
    """Whatever the priority order, if capacity allows everyone on time, nobody is late:
    more urgent requests move to their other sites to make room."""
    requests, units, seed = instance
    if not everyone_can_be_on_time(requests, units):
        return
    result = allocate(requests, units, seed)
    unit_by_key = {unit.key: unit for unit in units}
    for request in requests:
        assert request.key in result.assignments
        assert on_time(request, unit_by_key[result.assignments[request.key]])


@settings(max_examples=100, deadline=None)
@given(instances(), st.integers(0, 2**62))
def test_successive_batches_never_move_a_date(instance, second_seed):
    """Batches only date waiting requests: what a batch gave, the next one leaves alone."""
    requests, units, seed = instance
    half = len(requests) // 2
    first = allocate(requests[:half], units[: len(units) // 2], seed)
    given_first = set(first.assignments.values())
    waiting = [r for r in requests if r.key not in first.assignments]
    free = [u for u in units if u.key not in given_first]
    second = allocate(waiting, free, second_seed)
    assert not set(second.assignments) & set(first.assignments)
    assert not set(second.assignments.values()) & given_first


@settings(max_examples=200, deadline=None)
@given(instances(), st.data())
def test_a_freed_unit_goes_where_a_one_unit_batch_would_send_it(instance, data):
    """`choose_for_unit` is a batch of one unit among those who wait or hold a later date."""
    requests, units, seed = instance
    if not units:
        return
    unit = data.draw(st.sampled_from(units))
    dated = data.draw(st.sets(st.sampled_from([r.key for r in requests]))) if requests else set()
    current = {key: data.draw(st.sampled_from(units)).start for key in dated}
    chosen = choose_for_unit(requests, unit, seed, current)
    wanting = [r for r in requests if r.key not in current or current[r.key] > unit.start]
    batch = allocate(wanting, [unit], seed).assignments
    assert chosen == next(iter(batch), None)
    if chosen is not None:
        assert feasible(next(r for r in requests if r.key == chosen), unit)


@settings(max_examples=200, deadline=None)
@given(instances(), st.data())
def test_among_equally_urgent_a_freed_unit_goes_to_the_first_drawn_who_can_take_it(instance, data):
    """The service passes only the most urgent: the lottery's winner is checked first, and
    passed over when they cannot take the unit (other site, too soon, dated earlier)."""
    requests, units, seed = instance
    if not units or not requests:
        return
    requests = [dataclasses.replace(r, deadline=requests[0].deadline) for r in requests]
    unit = data.draw(st.sampled_from(units))
    dated = data.draw(st.sets(st.sampled_from([r.key for r in requests])))
    current = {key: data.draw(st.sampled_from(units)).start for key in dated}
    chosen = choose_for_unit(requests, unit, seed, current)
    wanting = [r for r in requests if r.key not in current or current[r.key] > unit.start]
    batch = allocate(wanting, [unit], seed).assignments
    assert chosen == next(iter(batch), None)
