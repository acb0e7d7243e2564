"""The fast engine gives exactly what its definition gives, on random instances.

The definition, read literally: requests in `priority_key` order; each takes the free unit of
earliest (start, str(key)) among the units of its sites starting no earlier than `not_before`.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.allocation import FreeUnit, WaitingRequest, allocate, priority_key

SITES = ("A", "B", "C", "D")


def allocate_by_definition(requests, units, seed):
    free = list(units)
    ordered = sorted(requests, key=lambda request: priority_key(request, seed))
    assignments = {}
    for request in ordered:
        options = [
            unit for unit in free if unit.site in request.sites and unit.start >= request.not_before
        ]
        if options:
            chosen = min(options, key=lambda unit: (unit.start, str(unit.key)))
            free.remove(chosen)
            assignments[request.key] = chosen.key
    return [request.key for request in ordered], assignments


@st.composite
def instances(draw):
    # Integer unit keys: their text order ("10" < "9") differs from their numeric order.
    unit_count = draw(st.integers(0, 60))
    units = [
        FreeUnit(key=key, site=draw(st.sampled_from(SITES)), start=draw(st.integers(0, 15)))
        for key in range(unit_count)
    ]
    requests = [
        WaitingRequest(
            key=f"r{i}",
            deadline=draw(st.integers(0, 4)),
            registered_at=draw(st.integers(0, 3)),
            sites=frozenset(draw(st.sets(st.sampled_from(SITES), min_size=1, max_size=3))),
            not_before=draw(st.sampled_from([0, 0, 0, 5, 9])),
        )
        for i in range(draw(st.integers(0, 60)))
    ]
    return requests, units, draw(st.integers(0, 2**62))


@settings(max_examples=300, deadline=None)
@given(instances())
def test_the_engine_follows_its_definition(instance):
    requests, units, seed = instance
    result = allocate(requests, units, seed)
    assert (result.order, result.assignments) == allocate_by_definition(requests, units, seed)


def test_keys_that_draw_the_same_lottery_number_are_ordered_by_registration():
    """1 and "1" read the same in the lottery: registration time then decides, and dates."""

    def waiting(key, registered_at):
        return WaitingRequest(
            key=key, deadline=1, registered_at=registered_at, sites=frozenset("A"), not_before=0
        )

    units = [FreeUnit(key="u1", site="A", start=1), FreeUnit(key="u2", site="A", start=2)]
    for first, second in ((1, "1"), ("1", 1)):
        result = allocate([waiting(second, 5), waiting(first, 4)], units, seed=3)
        assert result.order == [first, second]
        assert result.assignments == {first: "u1", second: "u2"}
