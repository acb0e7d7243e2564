"""The fast engine gives exactly what its definition gives, on random instances.

The definition, read literally, when each request's earliest free unit is on time (hand-overs,
for requests that would be late, are tested in test_allocation_properties.py): requests in
`priority_key` order; each takes the free unit of earliest (start, key) among the units of its
sites starting no earlier than `not_before`.
"""

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.allocation import FreeUnit, WaitingRequest, allocate, priority_key, tiebreak

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
            chosen = min(options, key=lambda unit: (unit.start, unit.key))
            free.remove(chosen)
            assignments[request.key] = chosen.key
    return [request.key for request in ordered], assignments


@st.composite
def instances(draw):
    """Deadlines after every unit and, at each site, a unit from 9:00 for every request: each
    request finds a free unit on time, so no hand-over is needed."""
    request_count = draw(st.integers(0, 40))
    slots = [(site, draw(st.integers(9, 15))) for site in SITES for _ in range(request_count)]
    slots += draw(st.lists(st.tuples(st.sampled_from(SITES), st.integers(0, 15)), max_size=30))
    slots = draw(st.permutations(slots))
    # Integer unit keys, as in the database: equal starts are ordered by key.
    units = [FreeUnit(key=key, site=site, start=start) for key, (site, start) in enumerate(slots)]
    requests = [
        WaitingRequest(
            key=f"r{i}",
            deadline=draw(st.integers(16, 20)),
            registered_at=draw(st.integers(0, 3)),
            sites=frozenset(draw(st.sets(st.sampled_from(SITES), min_size=1, max_size=3))),
            not_before=draw(st.sampled_from([0, 0, 0, 5, 9])),
        )
        for i in range(request_count)
    ]
    return requests, units, draw(st.integers(0, 2**62))


@settings(max_examples=300, deadline=None)
@given(instances())
def test_the_engine_follows_its_definition(instance):
    requests, units, seed = instance
    result = allocate(requests, units, seed)
    assert (result.order, result.assignments) == allocate_by_definition(requests, units, seed)


def test_keys_that_draw_the_same_lottery_number_are_ordered_by_registration():
    """A text key is drawn by a hash of its text: the integer key equal to that hash draws the
    same lottery number. Registration time then decides, and dates."""
    text = "x"
    number = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
    assert tiebreak(3, text) == tiebreak(3, number)

    def waiting(key, registered_at):
        return WaitingRequest(
            key=key, deadline=9, registered_at=registered_at, sites=frozenset("A"), not_before=0
        )

    units = [FreeUnit(key="u1", site="A", start=1), FreeUnit(key="u2", site="A", start=2)]
    for first, second in ((number, text), (text, number)):
        result = allocate([waiting(second, 5), waiting(first, 4)], units, seed=3)
        assert result.order == [first, second]
        assert result.assignments == {first: "u1", second: "u2"}
