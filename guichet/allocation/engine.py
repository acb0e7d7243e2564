"""Batch allocation: earliest effective deadline first, a lottery among equals, then registration.

Why a batch and a lottery: when every request waiting at batch time competes only by its deadline
and a random draw, clicking first gives nothing, so bots have no race to win (Hakimov et al., AER
2021). Why earliest deadline first: it meets every deadline whenever any schedule can.

Each request, in priority order, takes the earliest free unit at one of its acceptable sites that
starts no earlier than its `not_before` (registration plus the minimum lead time). Units already
given are not passed in, so a batch never moves anyone's date: it only dates waiting requests.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

ENGINE_VERSION = "edf-lottery-1"


@dataclass(frozen=True, slots=True)
class WaitingRequest:
    """A request waiting for a date. `deadline` and `not_before`/`start` need only be comparable."""

    key: Hashable
    deadline: Any
    registered_at: Any
    sites: frozenset
    not_before: Any


@dataclass(frozen=True, slots=True)
class FreeUnit:
    """One free seat: one desk, one time, one site."""

    key: Hashable
    site: Hashable
    start: Any


@dataclass(slots=True)
class Allocation:
    """What a batch decided: request key -> unit key, and the order in which requests were served."""

    seed: int
    assignments: dict = field(default_factory=dict)
    order: list = field(default_factory=list)

    @property
    def undated(self) -> list:
        return [key for key in self.order if key not in self.assignments]


def tiebreak(seed: int, key: Hashable) -> int:
    """The batch's lottery number for a request: random-looking, but replayable from the seed.

    It depends on the request's key only, never on the order in which requests were read.
    """
    digest = hashlib.blake2b(f"{seed}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def priority_key(request: WaitingRequest, seed: int) -> tuple:
    """Deadline first, then the batch's lottery, then registration time (a last, never-used tie)."""
    return (request.deadline, tiebreak(seed, request.key), request.registered_at)


class _SiteCalendar:
    """Free units of one site sorted by start, with a 'next free' pointer structure.

    Taking a unit links it to its successor (union-find with path halving), so finding the
    earliest free unit at or after a time costs nearly O(log n) even when most units are taken.
    """

    __slots__ = ("starts", "keys", "next_free")

    def __init__(self, units: list[FreeUnit]):
        units.sort(key=lambda unit: (unit.start, str(unit.key)))
        self.starts = [unit.start for unit in units]
        self.keys = [unit.key for unit in units]
        # next_free[i] == i while unit i is free; len(units) is the sentinel "none left".
        self.next_free = list(range(len(units) + 1))

    def _find(self, index: int) -> int:
        parent = self.next_free
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def earliest_free(self, not_before: Any) -> int | None:
        index = self._find(bisect_left(self.starts, not_before))
        return index if index < len(self.keys) else None

    def take(self, index: int) -> Hashable:
        self.next_free[index] = index + 1
        return self.keys[index]


def allocate(
    requests: Iterable[WaitingRequest], units: Iterable[FreeUnit], seed: int
) -> Allocation:
    """Date as many waiting requests as the free units allow, in priority order."""
    by_site: dict[Hashable, list[FreeUnit]] = {}
    for unit in units:
        by_site.setdefault(unit.site, []).append(unit)
    calendars = {site: _SiteCalendar(site_units) for site, site_units in by_site.items()}

    ordered = sorted(requests, key=lambda request: priority_key(request, seed))
    allocation = Allocation(seed=seed, order=[request.key for request in ordered])
    for request in ordered:
        best: tuple | None = None
        for site in request.sites:
            calendar = calendars.get(site)
            if calendar is None:
                continue
            index = calendar.earliest_free(request.not_before)
            if index is None:
                continue
            candidate = (calendar.starts[index], str(calendar.keys[index]), site, index)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        if best is not None:
            _, _, site, index = best
            allocation.assignments[request.key] = calendars[site].take(index)
    return allocation
