"""Batch allocation: earliest effective deadline first, a lottery among equals, then registration.

Why a batch and a lottery: when every request waiting at batch time competes only by its deadline
and a random draw, clicking first gives nothing, so bots have no race to win (Hakimov et al., AER
2021). Why earliest deadline first: on one site it meets every deadline whenever any schedule
can, and spreads unavoidable lateness best.

Each request, in priority order, takes the earliest free unit at one of its acceptable sites that
starts no earlier than its `not_before` (registration plus the minimum lead time). When that
unit would be late, or there is none, requests dated before it may hand theirs over: one that
accepts another site moves to a free unit there (`_HandOver`). Nobody is moved later than their
deadline, or, if already late, to a later start: priority decides who is on time, and a more
urgent request is never made late so that a less urgent one is on time — but it may get a later
date, still on time, so that both are. Units already given are not passed in, so a batch never
moves a date given by an earlier batch: it only dates waiting requests.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right, insort
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from operator import attrgetter
from typing import Any, TypeVar

import numpy as np

ENGINE_VERSION = "edf-lottery-handover-2"

# A moment (a deadline, a unit's start): a datetime in the service, minutes (int) in the simulator
# and the benchmark. The engine only compares and ranks moments, so any one comparable type does.
Moment = Any


@dataclass(frozen=True, slots=True)
class WaitingRequest:
    """A request waiting for a date. `deadline` is the last unit start that is on time; it and
    `not_before` need only be comparable with unit starts."""

    key: Hashable
    deadline: Moment
    registered_at: Moment
    sites: frozenset[Hashable]
    not_before: Moment


@dataclass(frozen=True, slots=True)
class FreeUnit:
    """One free seat: one desk, one time, one site."""

    key: Hashable
    site: Hashable
    start: Moment


@dataclass(slots=True)
class Allocation:
    """What a batch decided: request key -> unit key, and the order requests were served in."""

    seed: int
    assignments: dict[Hashable, Hashable] = field(default_factory=dict)
    order: list[Hashable] = field(default_factory=list)

    @property
    def undated(self) -> list[Hashable]:
        return [key for key in self.order if key not in self.assignments]


def tiebreak(seed: int, key: Hashable) -> int:
    """The batch's lottery number for a request: random-looking, but replayable from the seed.

    It depends on the request's key only, never on the order in which requests were read.
    """
    return int(_lottery_numbers(seed, [key])[0])


def priority_key(request: WaitingRequest, seed: int) -> tuple[Moment, int, Moment]:
    """Deadline first, then the batch's lottery, then registration time (a last, never-used tie)."""
    return (request.deadline, tiebreak(seed, request.key), request.registered_at)


_GAMMA, _M1, _M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_GAMMA_64, _M1_64, _M2_64 = map(np.uint64, (_GAMMA, _M1, _M2))
_SHIFTS_64 = tuple(map(np.uint64, (30, 27, 31)))
_MASK = (1 << 64) - 1


def _mix(numbers: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a bijection of 64-bit integers that scatters nearby ones.
    In place on a fresh array: a freed unit's lottery is drawn among a few hundred at most,
    where numpy's cost is per operation, not per number."""
    first, second, third = _SHIFTS_64
    numbers = numbers + _GAMMA_64
    numbers ^= numbers >> first
    numbers *= _M1_64
    numbers ^= numbers >> second
    numbers *= _M2_64
    numbers ^= numbers >> third
    return numbers


def _mix_one(number: int) -> int:
    """`_mix` of one number, in Python's integers (the batch's seed)."""
    number = (number + _GAMMA) & _MASK
    number = ((number ^ (number >> 30)) * _M1) & _MASK
    number = ((number ^ (number >> 27)) * _M2) & _MASK
    return number ^ (number >> 31)


def _key_numbers(keys: list[Hashable]) -> np.ndarray:
    """Keys as 64-bit integers: database ids as they are, any other key by a hash of its text."""
    try:
        numbers = np.array(keys)
    except ValueError:  # ids mixed with tuples (a preview's units to create): one by one
        numbers = None
    if (
        numbers is not None
        and numbers.dtype.kind in "iu"
        and (numbers.size == 0 or numbers.min() >= 0)
    ):
        return numbers.astype(np.uint64)  # all ids: at once
    return np.array(list(map(_key_number, keys)), dtype=np.uint64)


def _key_number(key: Hashable) -> int:
    if isinstance(key, int) and 0 <= key < 1 << 64:
        return key
    return int.from_bytes(hashlib.blake2b(format(key).encode(), digest_size=8).digest(), "big")


def _lottery_numbers(seed: int, keys: list[Hashable]) -> np.ndarray:
    """`tiebreak` for many keys at once. Distinct integer keys never draw the same number."""
    numbers = _key_numbers(keys)
    numbers ^= np.uint64(_mix_one(seed % (1 << 64)))
    return _mix(numbers)


_FEW_KEYS = 16  # below this many, Python's integers draw a lottery faster than numpy


def _lottery_list(seed: int, keys: list[Hashable]) -> list[int]:
    """`_lottery_numbers` as a list: a freed unit is often drawn among a handful of people,
    for whom numpy's cost per operation outweighs the numbers' own."""
    if len(keys) >= _FEW_KEYS or not all(type(key) is int for key in keys):
        numbers: list[int] = _lottery_numbers(seed, keys).tolist()
        return numbers
    drawn = _mix_one(seed % (1 << 64))
    return [_mix_one(_key_number(key) ^ drawn) for key in keys]


def _numbered(values: list[Hashable]) -> tuple[list[int], int]:
    """Each value's number in order of first appearance, and how many distinct values."""
    number_of = {value: number for number, value in enumerate(dict.fromkeys(values))}
    return list(map(number_of.__getitem__, values)), len(number_of)


def _ranks(values: list[Moment]) -> np.ndarray:
    """Each value's rank among the distinct values: lets numpy sort any comparable values.
    Integers (minutes, in the simulator and the benchmark) sort as they are."""
    numbers = np.array(values)
    if numbers.dtype.kind in "iu":
        return numbers
    rank_of = {value: rank for rank, value in enumerate(sorted(set(values)))}
    return np.array(list(map(rank_of.__getitem__, values)), dtype=np.int64)


def _priority_order(
    requests: list[WaitingRequest], keys: list[Hashable], deadlines: list[Moment], seed: int
) -> list[int]:
    """Positions of the requests sorted by `priority_key`, stable for exact ties like `sorted`."""
    if not requests:
        return []
    lottery = _lottery_numbers(seed, keys)
    ranks = _ranks(deadlines)
    order = np.lexsort((lottery, ranks))
    # Equal deadline and lottery number (the same key twice): registration time decides.
    same = (lottery[order[1:]] == lottery[order[:-1]]) & (ranks[order[1:]] == ranks[order[:-1]])
    if same.any():
        return sorted(range(len(requests)), key=lambda i: priority_key(requests[i], seed))
    positions: list[int] = order.tolist()
    return positions


class _SiteCalendar:
    """Free units of one site in (start, key) order, with a 'next free' pointer structure.

    Taking unit i links it to its successor (union-find with path halving), so finding the
    earliest free unit at or after a time costs nearly O(log n) even when most units are taken.
    `ranks` are the units' positions among all sites' units, to compare sites in one step.
    `holder` says who holds each unit, `cursors` are those of the groups accepting the site
    (see `_HandOver`).
    """

    __slots__ = ("starts", "keys", "ranks", "next_free", "holder", "cursors")

    def __init__(self, starts: list[Moment], keys: list[Hashable], ranks: list[int]) -> None:
        self.starts = starts
        self.keys = keys
        self.ranks = [*ranks, _NONE_LEFT]
        # next_free[i] == i while unit i is free; len(keys) is the sentinel "none left".
        self.next_free = list(range(len(keys) + 1))
        self.holder = [-1] * len(keys)
        self.cursors: list[_Cursor] = []  # of the groups accepting the site


# A group's cursor at one site (`_cursors`): a list, not an object, for the speed of `allocate`'s
# loop, which unpacks it; its items differ in type, so mypy sees them as Any. Elsewhere its
# items are read by these names.
_Cursor = list[Any]
_INDEX, _NEXT_FREE, _RANKS, _KEYS, _CALENDAR, _FIRST, _HELD, _STARTS = range(8)
_Unit = tuple[_Cursor, int]  # a unit as (cursor, index in the cursor's calendar)


_NONE_LEFT = 1 << 62  # the rank of the sentinel: later than any unit
# A chain search gives up after this many groups, and tries this many units of each group at a
# site: it bounds a batch's time when every site is full; chains that help are short (a
# préfecture has a handful of sites). On the benchmark, 128 groups and 64 units improve cost
# ratios by under 2 % and slow the largest batches.
_SEARCH_GROUPS = 32
_UNITS_PER_GROUP = 8


def _calendars(units: Iterable[FreeUnit]) -> dict[Hashable, _SiteCalendar]:
    """One calendar per site, every unit ranked by start across all sites, equal starts by key
    (`_key_numbers`: the id itself for database units)."""
    units = list(units)
    if not units:
        return {}
    site_numbers, site_count = _numbered(list(map(attrgetter("site"), units)))
    sites = np.array(site_numbers, dtype=np.int64)
    starts = _ranks(list(map(attrgetter("start"), units)))
    by_key = np.argsort(_key_numbers(list(map(attrgetter("key"), units))), kind="stable")
    by_time = by_key[np.argsort(starts[by_key], kind="stable")]
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


def _cursors(
    requests: list[WaitingRequest], calendars: dict[Hashable, _SiteCalendar]
) -> tuple[list[int], list[list[_Cursor]]]:
    """Group requests by (sites, not_before): each group keeps, per acceptable site, a cursor.

    A cursor is [index, next_free, ranks, keys, calendar, first, held, starts]: `index` is the
    earliest unit the group may take there (it only moves forward: units are only taken during
    a batch), `first` the first unit starting at or after the group's `not_before`, `held` the
    units the group's requests hold there, in order; the rest are the calendar's.
    """
    group_of: dict[tuple[frozenset[Hashable], Moment], int] = {}
    groups = [
        group_of.setdefault((request.sites, request.not_before), len(group_of))
        for request in requests
    ]
    cursors: list[list[_Cursor]] = [[] for _ in group_of]
    for (sites, not_before), group in group_of.items():
        for site in sites:
            calendar = calendars.get(site)
            if calendar is not None:
                first = bisect_left(calendar.starts, not_before)
                cursors[group].append(
                    [
                        first,
                        calendar.next_free,
                        calendar.ranks,
                        calendar.keys,
                        calendar,
                        first,
                        [],
                        calendar.starts,
                    ]
                )
        for cursor in cursors[group]:
            cursor[_CALENDAR].cursors.append(cursor)
    return groups, cursors


class _HandOver:
    """Dates on time a request whose sites are full up to its deadline, by moving requests
    dated before it: one moves to a free unit, handing its unit to the next, and so on back to
    the request (a chain found by depth-first search). Nobody moved is made later than they
    may be: one dated on time stays on time, one dated late gets no later date.

    The search works on groups (requests of the same sites and lead time): it tries, in each
    group, the holders of the latest few units the request could take — the group's least
    urgent there, the likeliest to have room elsewhere — and each group once. A group found
    unable to move as far as some limit is not tried again up to it (units are only taken
    during a batch), and a search gives up after `_SEARCH_GROUPS` groups: a batch stays
    near-linear, at the price of missing a rare long chain.
    """

    def __init__(
        self,
        keys: list[Hashable],
        groups: list[int],
        cursors: list[list[_Cursor]],
        deadlines: list[Moment],
        assignments: dict[Hashable, Hashable],
    ) -> None:
        self.keys = keys
        self.groups = groups
        self.cursors = cursors
        self.limits = list(deadlines)  # the latest start each request may be moved to
        self.assignments = assignments
        self.stuck: dict[int, Moment] = {}  # group -> the limit up to which it cannot move

    def _free_unit(self, position: int) -> _Unit | None:
        """The earliest free unit the request may move to: (cursor, index), or None.

        The same cursor walk as `allocate`'s loop, which keeps its own copy inline: a call per
        request there costs a tenth of the 1e6 benchmark's time."""
        limit, best, best_rank = self.limits[position], None, _NONE_LEFT
        for cursor in self.cursors[self.groups[position]]:
            index, parent, ranks = cursor[_INDEX], cursor[_NEXT_FREE], cursor[_RANKS]
            while parent[index] != index:
                parent[index] = index = parent[parent[index]]
            cursor[_INDEX] = index
            if ranks[index] < best_rank and not limit < cursor[_CALENDAR].starts[index]:
                best, best_rank = (cursor, index), ranks[index]
        return best

    def _holders(self, position: int) -> Iterator[_Unit]:
        """(cursor, index) of units held by others that the request may move to: at each of its
        sites, for each group holding some, the latest `_UNITS_PER_GROUP` of them."""
        limit = self.limits[position]
        for cursor in self.cursors[self.groups[position]]:
            calendar, first = cursor[_CALENDAR], cursor[_FIRST]
            last = bisect_right(calendar.starts, limit) - 1
            for other in calendar.cursors:
                held = other[_HELD]
                at = bisect_right(held, last) - 1
                stop = max(at - _UNITS_PER_GROUP, -1)
                while at > stop and held[at] >= first:
                    yield other, held[at]
                    at -= 1

    def date_on_time(self, position: int) -> bool:
        """Date the request on time by a chain of moves, if one exists."""
        return self._chain(position) is not None

    def date_at_all(self, position: int) -> bool:
        """Date late, by a chain of moves, a request with no free unit left at its sites; it
        may then be moved again, but never to a later start."""
        cursors = self.cursors[self.groups[position]]
        if not cursors:
            return False  # none of its sites has units
        deadline = self.limits[position]
        self.limits[position] = max(cursor[_STARTS][-1] for cursor in cursors)
        unit = self._chain(position)
        if unit is None:
            self.limits[position] = deadline
            return False
        cursor, index = unit
        self.limits[position] = cursor[_STARTS][index]
        return True

    def _chain(self, position: int) -> _Unit | None:
        """Give the request a unit it may take (by its limit) by a chain of moves: the unit
        given, as (cursor, index), or None."""
        groups, limits, stuck = self.groups, self.limits, self.stuck
        group, limit = groups[position], limits[position]
        if group in stuck and not stuck[group] < limit:
            return None  # its own group failed as far already
        explored = {group: limit}
        path: list[_Unit] = []  # the units handed over, in order
        frames = [self._holders(position)]
        while frames:
            for cursor, index in frames[-1]:
                holder = cursor[_CALENDAR].holder[index]
                group, limit = groups[holder], limits[holder]
                if (group in explored and not explored[group] < limit) or (
                    group in stuck and not stuck[group] < limit
                ):
                    continue
                explored[group] = limit
                if len(explored) > _SEARCH_GROUPS:
                    frames.clear()  # far enough: given up, as if no chain existed
                    break
                path.append((cursor, index))
                free = self._free_unit(holder)
                if free is not None:
                    return self._hand_over(position, path, free)
                frames.append(self._holders(holder))
                break
            else:
                frames.pop()
                if path:
                    path.pop()
        for group, limit in explored.items():
            if group not in stuck or stuck[group] < limit:
                stuck[group] = limit
        return None

    def _hand_over(self, position: int, path: list[_Unit], free: _Unit) -> _Unit:
        """Each holder on the path moves to the next unit; the last takes the free unit.
        Returns the request's unit, as (cursor, index)."""
        movers = [position] + [cursor[_CALENDAR].holder[index] for cursor, index in path]
        for cursor, index in path:
            held = cursor[_HELD]
            del held[bisect_left(held, index)]
        targets = [
            self._cursor_of(mover, cursor[_CALENDAR])
            for mover, (cursor, _) in zip(movers, path, strict=False)
        ]
        units = [(target, index) for target, (_, index) in zip(targets, path, strict=True)] + [free]
        free_cursor, free_index = free
        free_cursor[_CALENDAR].next_free[free_index] = free_index + 1
        for mover, (cursor, index) in zip(movers, units, strict=True):
            cursor[_CALENDAR].holder[index] = mover
            self.assignments[self.keys[mover]] = cursor[_CALENDAR].keys[index]
            insort(cursor[_HELD], index)
        return units[0]

    def _cursor_of(self, position: int, calendar: _SiteCalendar) -> _Cursor:
        """The request's cursor at the calendar's site."""
        return next(c for c in self.cursors[self.groups[position]] if c[_CALENDAR] is calendar)


def allocate(
    requests: Iterable[WaitingRequest], units: Iterable[FreeUnit], seed: int
) -> Allocation:
    """Date as many waiting requests as the free units allow, in priority order."""
    requests = list(requests)
    keys = list(map(attrgetter("key"), requests))
    deadlines = list(map(attrgetter("deadline"), requests))
    calendars = _calendars(units)
    order = _priority_order(requests, keys, deadlines, seed)
    groups, cursors = _cursors(requests, calendars)
    allocation = Allocation(seed=seed, order=list(map(keys.__getitem__, order)))
    assignments = allocation.assignments
    hand_over = _HandOver(keys, groups, cursors, deadlines, assignments)
    cursors_in_order = map(cursors.__getitem__, map(groups.__getitem__, order))
    for position, own_cursors, deadline in zip(
        order, cursors_in_order, map(deadlines.__getitem__, order), strict=True
    ):
        best_rank = _NONE_LEFT
        for cursor in own_cursors:
            index, parent, ranks, _, _, _, _, _ = cursor
            while parent[index] != index:
                parent[index] = index = parent[parent[index]]
            cursor[_INDEX] = index
            if ranks[index] < best_rank:
                best_rank, best = ranks[index], cursor
        if best_rank == _NONE_LEFT:
            hand_over.date_on_time(position) or hand_over.date_at_all(position)
            continue
        index, parent, _, unit_keys, calendar, _, held, starts = best
        if deadline < starts[index]:
            if hand_over.date_on_time(position):
                continue
            hand_over.limits[position] = starts[index]  # dated late: may move, never later
        held.append(index)
        parent[index] = index + 1
        calendar.holder[index] = position
        assignments[keys[position]] = unit_keys[index]
    return allocation


def choose_for_unit(
    candidates: Iterable[WaitingRequest],
    unit: FreeUnit,
    seed: int,
    current_starts: Mapping[Any, Moment] | None = None,  # by request key, of the caller's type
) -> Hashable | None:
    """Who gets one freed unit: the first candidate in priority order who can take it.

    The same rule as a batch (`priority_key`), for one unit between batches: a candidate can
    take it at one of its sites and not before its `not_before`, and either waits
    (absent from `current_starts`) or holds a date starting later than the unit, so nobody's
    date moves later. None when no candidate can take it.
    """
    candidates = list(candidates)
    current_starts = current_starts or {}
    site, start = unit.site, unit.start

    def can_take(request: WaitingRequest) -> bool:
        return (
            site in request.sites
            and start >= request.not_before
            and (request.key not in current_starts or current_starts[request.key] > start)
        )

    deadlines = list(map(attrgetter("deadline"), candidates))
    if candidates and deadlines.count(deadlines[0]) == len(deadlines):
        # All equally urgent (the service passes only the most urgent): the lottery first, then
        # whether its winner can take the unit, rather than checking every candidate.
        lottery = _lottery_list(seed, list(map(attrgetter("key"), candidates)))
        while (low := min(lottery)) != _NOT_DRAWN:
            best = lottery.index(low)
            if lottery.count(low) > 1:
                break  # the same key twice: the general rule below, registration deciding
            if can_take(candidates[best]):
                return candidates[best].key
            lottery[best] = _NOT_DRAWN
        else:
            return None
    eligible = list(filter(can_take, candidates))
    if not eligible:
        return None
    first = min(map(attrgetter("deadline"), eligible))
    tied = [request for request in eligible if request.deadline == first]
    # The lottery among the most urgent, the numbers a batch draws (`tiebreak`).
    lottery = _lottery_list(seed, list(map(attrgetter("key"), tied)))
    best = lottery.index(min(lottery))
    if lottery.count(lottery[best]) > 1:  # the same key twice: registration time decides
        best = min(range(len(tied)), key=lambda i: (lottery[i], tied[i].registered_at))
    return tied[best].key


_NOT_DRAWN = 1 << 64  # above every lottery number: a candidate who cannot take the unit


# A person must be able to answer and still come: no offer closes later than this before the slot;
# an offer shorter than the second is not worth making.
OFFER_MIN_NOTICE_MINUTES = 60
OFFER_MIN_WINDOW_MINUTES = 30


# A length of time: a timedelta in the service, minutes in the simulator.
_Span = TypeVar("_Span", int, timedelta)


def answer_window(
    until_start: _Span,
    *,
    long: _Span,
    short: _Span,
    short_within: _Span,
    min_notice: _Span,
    min_window: _Span,
) -> _Span | None:
    """How long a person has to answer an offer: `long`, or `short` when the slot starts within
    `short_within`; never closing later than `min_notice` before the slot; None when that leaves
    less than `min_window`. All in one unit (timedelta for the service, minutes in the simulator).
    """
    window = min(short if until_start <= short_within else long, until_start - min_notice)
    return window if window >= min_window else None
