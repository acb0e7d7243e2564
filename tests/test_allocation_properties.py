"""Invariants of the engine on random instances (hypothesis)."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.allocation import FreeUnit, WaitingRequest, allocate
from guichet.allocation.engine import choose_for_unit

T0 = datetime.datetime(2027, 1, 4, 9, 0)
D0 = datetime.date(2027, 3, 1)
SITES = ("A", "B", "C")


@st.composite
def instances(draw):
    unit_slots = draw(
        st.lists(st.tuples(st.sampled_from(SITES), st.integers(0, 40)), max_size=40, unique=True)
    )
    units = [
        FreeUnit(key=f"{site}{slot}", site=site, start=T0 + datetime.timedelta(hours=slot))
        for site, slot in unit_slots
    ]
    requests = [
        WaitingRequest(
            key=f"r{i}",
            deadline=D0 + datetime.timedelta(days=draw(st.integers(0, 5))),
            registered_at=T0 - datetime.timedelta(minutes=draw(st.integers(0, 1000))),
            sites=frozenset(draw(st.sets(st.sampled_from(SITES), min_size=1))),
            not_before=T0 + datetime.timedelta(hours=draw(st.integers(0, 20))),
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
    # Deadline order: a request never gets a later date than one with a later deadline got,
    # when that date was open to it too.
    for a_key, a_unit in result.assignments.items():
        a = by_key[a_key]
        for b_key, b_unit in result.assignments.items():
            b = by_key[b_key]
            if a.deadline < b.deadline and feasible(a, unit_by_key[b_unit]):
                assert unit_by_key[a_unit].start <= unit_by_key[b_unit].start
    # An undated request never has an earlier deadline than a dated one that took a unit it
    # could have used.
    for key in result.undated:
        for b_key, b_unit in result.assignments.items():
            if feasible(by_key[key], unit_by_key[b_unit]):
                assert by_key[b_key].deadline <= by_key[key].deadline


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
