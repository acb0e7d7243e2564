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
from operator import attrgetter
from typing import Any

import numpy as np

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
    """What a batch decided: request key -> unit key, and the order requests were served in."""

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


def _lottery_numbers(seed: int, keys: list) -> np.ndarray:
    """`tiebreak` for many keys at once (the same numbers, hashed from one shared prefix)."""
    copy = hashlib.blake2b(f"{seed}:".encode(), digest_size=8).copy
    digests = []
    append = digests.append
    for encoded in map(str.encode, map(format, keys)):  # format(key) is what f"{key}" gives
        hasher = copy()
        hasher.update(encoded)
        append(hasher.digest())
    return np.frombuffer(b"".join(digests), dtype=">u8").astype(np.uint64)


def _numbered(values: list) -> tuple[list[int], int]:
    """Each value's number in order of first appearance, and how many distinct values."""
    number_of = {value: number for number, value in enumerate(dict.fromkeys(values))}
    return list(map(number_of.__getitem__, values)), len(number_of)


def _ranks(values: list) -> np.ndarray:
    """Each value's rank among the distinct values: lets numpy sort any comparable values."""
    rank_of = {value: rank for rank, value in enumerate(sorted(set(values)))}
    return np.array(list(map(rank_of.__getitem__, values)), dtype=np.int64)


def _priority_order(requests: list[WaitingRequest], keys: list, seed: int) -> list[int]:
    """Positions of the requests sorted by `priority_key`, stable for exact ties like `sorted`."""
    if not requests:
        return []
    lottery = _lottery_numbers(seed, keys)
    deadlines = _ranks(list(map(attrgetter("deadline"), requests)))
    order = np.lexsort((lottery, deadlines))
    # Equal deadline and lottery number (the same key twice): registration time decides.
    same = (lottery[order[1:]] == lottery[order[:-1]]) & (
        deadlines[order[1:]] == deadlines[order[:-1]]
    )
    if same.any():
        return sorted(range(len(requests)), key=lambda i: priority_key(requests[i], seed))
    return order.tolist()


class _SiteCalendar:
    """Free units of one site in (start, str(key)) order, with a 'next free' pointer structure.

    Taking unit i links it to its successor (union-find with path halving), so finding the
    earliest free unit at or after a time costs nearly O(log n) even when most units are taken.
    `ranks` are the units' positions among all sites' units, to compare sites in one step.
    """

    __slots__ = ("starts", "keys", "ranks", "next_free")

    def __init__(self, starts: list, keys: list, ranks: list[int]):
        self.starts = starts
        self.keys = keys
        self.ranks = [*ranks, _NONE_LEFT]
        # next_free[i] == i while unit i is free; len(keys) is the sentinel "none left".
        self.next_free = list(range(len(keys) + 1))


_NONE_LEFT = 1 << 62  # the rank of the sentinel: later than any unit


def _calendars(units: Iterable[FreeUnit]) -> dict[Hashable, _SiteCalendar]:
    """One calendar per site, every unit ranked by (start, str(key)) across all sites."""
    units = list(units)
    if not units:
        return {}
    site_numbers, site_count = _numbered(list(map(attrgetter("site"), units)))
    sites = np.array(site_numbers, dtype=np.int64)
    starts = _ranks(list(map(attrgetter("start"), units)))
    names = list(map(str, map(attrgetter("key"), units)))
    by_name = np.array(sorted(range(len(units)), key=names.__getitem__), dtype=np.int64)
    by_time = by_name[np.argsort(starts[by_name], kind="stable")]
    by_site = by_time[np.argsort(sites[by_time], kind="stable")]
    rank = np.empty(len(units), dtype=np.int64)
    rank[by_time] = np.arange(len(units))
    bounds = np.searchsorted(sites[by_site], np.arange(site_count + 1)).tolist()
    first_of_site = by_site[bounds[:-1]].tolist()
    calendars = {}
    for number, first in enumerate(first_of_site):
        members = by_site[bounds[number] : bounds[number + 1]]
        chosen = list(map(units.__getitem__, members.tolist()))
        calendars[units[first].site] = _SiteCalendar(
            list(map(attrgetter("start"), chosen)),
            list(map(attrgetter("key"), chosen)),
            rank[members].tolist(),
        )
    return calendars


def _cursors(requests: list[WaitingRequest], calendars: dict) -> tuple[list[int], list[list]]:
    """Group requests by (sites, not_before): each group keeps, per acceptable site, a cursor.

    A cursor is [index, next_free, ranks, keys]: the earliest unit the group may take there.
    Units are only taken during a batch, so a cursor only moves forward.
    """
    group_of: dict[tuple, int] = {}
    groups = [
        group_of.setdefault((request.sites, request.not_before), len(group_of))
        for request in requests
    ]
    cursors: list[list] = [[] for _ in group_of]
    for (sites, not_before), group in group_of.items():
        for site in sites:
            calendar = calendars.get(site)
            if calendar is not None:
                index = bisect_left(calendar.starts, not_before)
                cursors[group].append([index, calendar.next_free, calendar.ranks, calendar.keys])
    return groups, cursors


def allocate(
    requests: Iterable[WaitingRequest], units: Iterable[FreeUnit], seed: int
) -> Allocation:
    """Date as many waiting requests as the free units allow, in priority order."""
    requests = list(requests)
    keys = list(map(attrgetter("key"), requests))
    calendars = _calendars(units)
    order = _priority_order(requests, keys, seed)
    groups, cursors = _cursors(requests, calendars)
    allocation = Allocation(seed=seed, order=list(map(keys.__getitem__, order)))
    assignments = allocation.assignments
    for position in order:
        best_rank = _NONE_LEFT
        for cursor in cursors[groups[position]]:
            index, parent, ranks, _ = cursor
            while parent[index] != index:
                parent[index] = index = parent[parent[index]]
            cursor[0] = index
            if ranks[index] < best_rank:
                best_rank, best = ranks[index], cursor
        if best_rank != _NONE_LEFT:
            index, parent, _, unit_keys = best
            parent[index] = index + 1
            assignments[keys[position]] = unit_keys[index]
    return allocation


def choose_for_unit(
    candidates: Iterable[WaitingRequest],
    unit: FreeUnit,
    seed: int,
    current_starts: dict | None = None,
) -> Hashable | None:
    """Who gets one freed unit: the first candidate in priority order who can take it.

    The same rule as a batch (`priority_key`), for one unit between batches: a candidate can
    take it at one of its sites and not before its `not_before`, and either waits
    (absent from `current_starts`) or holds a date starting later than the unit, so nobody's
    date moves later. None when no candidate can take it.
    """
    current_starts = current_starts or {}
    eligible = [
        request
        for request in candidates
        if unit.site in request.sites
        and unit.start >= request.not_before
        and (request.key not in current_starts or current_starts[request.key] > unit.start)
    ]
    if not eligible:
        return None
    first = min(map(attrgetter("deadline"), eligible))
    tied = [request for request in eligible if request.deadline == first]
    # The lottery among the most urgent, the numbers a batch draws (`tiebreak`), at once.
    lottery = _lottery_numbers(seed, list(map(attrgetter("key"), tied))).tolist()
    best = min(range(len(tied)), key=lambda i: (lottery[i], tied[i].registered_at))
    return tied[best].key


# A person must be able to answer and still come: no offer closes later than this before the slot;
# an offer shorter than the second is not worth making.
OFFER_MIN_NOTICE_MINUTES = 60
OFFER_MIN_WINDOW_MINUTES = 30


def answer_window(until_start, *, long, short, short_within, min_notice, min_window):
    """How long a person has to answer an offer: `long`, or `short` when the slot starts within
    `short_within`; never closing later than `min_notice` before the slot; None when that leaves
    less than `min_window`. All in one unit (timedelta for the service, minutes in the simulator).
    """
    window = min(short if until_start <= short_within else long, until_start - min_notice)
    return window if window >= min_window else None
