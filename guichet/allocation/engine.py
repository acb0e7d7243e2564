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
from itertools import count
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


def _key_numbers(keys: list[Hashable]) -> tuple[np.ndarray, bool]:
    """Keys as 64-bit integers: database ids as they are, any other key by a hash of its text;
    and whether all were ids (integers from 0), each the number of itself."""
    try:
        numbers = np.array(keys)
    except ValueError:  # ids mixed with tuples (a preview's units to create): one by one
        numbers = None
    if (
        numbers is not None
        and numbers.dtype.kind in "iu"
        and (numbers.size == 0 or numbers.min() >= 0)
    ):
        return numbers.astype(np.uint64), True  # all ids: at once
    return np.array(list(map(_key_number, keys)), dtype=np.uint64), False


def _key_number(key: Hashable) -> int:
    if isinstance(key, int) and 0 <= key < 1 << 64:
        return key
    return int.from_bytes(hashlib.blake2b(format(key).encode(), digest_size=8).digest(), "big")


def _lottery_numbers(seed: int, keys: list[Hashable]) -> np.ndarray:
    """`tiebreak` for many keys at once. Distinct integer keys never draw the same number."""
    return _drawn(seed, _key_numbers(keys)[0])


def _drawn(seed: int, numbers: np.ndarray) -> np.ndarray:
    """The lottery numbers of keys given as their `_key_numbers`."""
    return _mix(numbers ^ np.uint64(_mix_one(seed % (1 << 64))))


_FEW_KEYS = 16  # below this many, Python's integers draw a lottery faster than numpy


def _lottery_list(seed: int, keys: list[Hashable]) -> list[int]:
    """`_lottery_numbers` as a list: a freed unit is often drawn among a handful of people,
    for whom numpy's cost per operation outweighs the numbers' own."""
    if len(keys) >= _FEW_KEYS or not all(type(key) is int for key in keys):
        numbers: list[int] = _lottery_numbers(seed, keys).tolist()
        return numbers
    drawn = _mix_one(seed % (1 << 64))
    return [_mix_one(_key_number(key) ^ drawn) for key in keys]


def _in_order(
    keys: list[Hashable], numbers: tuple[np.ndarray, bool], order: np.ndarray
) -> list[Hashable]:
    """The keys at the positions in `order`, given their `_key_numbers`. Python integers that
    were ids are rebuilt from their numbers: a million keys read in random order each miss the
    processor's cache, which costs ten times more."""
    values, are_ids = numbers
    if are_ids and set(map(type, keys)) == {int}:
        ids: list[Hashable] = values[order].tolist()
        return ids
    return list(map(keys.__getitem__, order.tolist()))


def _numbered(values: list[Hashable]) -> tuple[list[int], dict[Hashable, int]]:
    """Each value's number in order of first appearance, and the number of each distinct value."""
    number_of = {value: number for number, value in enumerate(dict.fromkeys(values))}
    return list(map(number_of.__getitem__, values)), number_of


def _times(*moments: list[Moment]) -> list[np.ndarray]:
    """Lists of moments as integers that compare as the moments do, across all the lists:
    integers (minutes, in the simulator and the benchmark) as they are, any other comparable
    values (datetimes) by their rank among all the values given."""
    arrays = [np.array(values) for values in moments]
    if all(array.dtype.kind == "i" and array.ndim == 1 or not array.size for array in arrays):
        return [array.astype(np.int64) for array in arrays]
    rank_of = {value: rank for rank, value in enumerate(sorted(set().union(*moments)))}
    return [np.array(list(map(rank_of.__getitem__, values)), dtype=np.int64) for values in moments]


def _priority_order(
    requests: list[WaitingRequest], lottery: np.ndarray, deadlines: np.ndarray, seed: int
) -> np.ndarray:
    """Positions of the requests sorted by `priority_key` (`deadlines` as `_times`), stable for
    exact ties like `sorted`."""
    by_lottery = np.argsort(lottery)  # unstable: equal numbers are exact ties, sorted below
    order = by_lottery[np.argsort(deadlines[by_lottery], kind="stable")]
    # Equal deadline and lottery number (the same key twice): registration time decides.
    same = (lottery[order[1:]] == lottery[order[:-1]]) & (
        deadlines[order[1:]] == deadlines[order[:-1]]
    )
    if same.any():
        return np.array(
            sorted(range(len(requests)), key=lambda i: priority_key(requests[i], seed)),
            dtype=np.intp,
        )
    return order


_NONE_LEFT = 1 << 62  # the rank of a site's sentinel: later than any unit


@dataclass(slots=True)
class _Units:
    """Every site's free units in one row, site after site: each site's in (start, key) order,
    then a sentinel. One set of lists for all sites lets `allocate`'s loop reach a unit by one
    index.

    `ranks` are the units' positions among all sites' units by (start, key), to compare sites
    in one step (the sentinel's is `_NONE_LEFT`), `starts` their `_times`, `holder` the turn (in
    priority order) of the request holding each unit. `next_free` is a 'next free' pointer
    structure: taking unit i links it to its successor (union-find with path halving), so
    finding the earliest free unit at or after a time costs nearly O(log n) even when most
    units are taken. Site number s (`numbers`) has its units from `firsts[s]` to its sentinel
    at `ends[s]`.
    """

    ranks: list[int]
    starts: list[int]
    keys: list[Hashable]
    next_free: list[int]
    holder: list[int]
    firsts: list[int]
    ends: list[int]
    numbers: dict[Hashable, int]


def _units(units: list[FreeUnit], starts: np.ndarray) -> _Units:
    """Lay out the units (`starts` as `_times`), ranking them by start across all sites, equal
    starts by key (`_key_numbers`: the id itself for database units)."""
    keys = list(map(attrgetter("key"), units))
    site_numbers, numbers = _numbered(list(map(attrgetter("site"), units)))
    sites = np.array(site_numbers, dtype=np.int64)
    by_time = np.lexsort((_key_numbers(keys)[0], starts))
    ranks = np.empty(len(units), dtype=np.int64)
    ranks[by_time] = np.arange(len(units))
    by_site = by_time[np.argsort(sites[by_time], kind="stable")]
    place = np.arange(len(units)) + sites[by_site]  # after the sentinels of the sites before
    ends = np.cumsum(np.bincount(sites, minlength=len(numbers))) + np.arange(len(numbers))
    size = len(units) + len(numbers)
    unit_at = np.full(size, -1)  # a sentinel reads the last unit, never used
    unit_at[place] = by_site
    row_ranks = np.full(size, _NONE_LEFT, dtype=np.int64)
    row_ranks[place] = ranks[by_site]
    row_starts = np.zeros(size, dtype=np.int64)
    row_starts[place] = starts[by_site]
    return _Units(
        ranks=row_ranks.tolist(),
        starts=row_starts.tolist(),
        keys=list(map(keys.__getitem__, unit_at.tolist())),
        next_free=list(range(size)),
        holder=[-1] * size,
        firsts=[0, *(ends[:-1] + 1).tolist()],
        ends=ends.tolist(),
        numbers=numbers,
    )


@dataclass(slots=True)
class _Cursors:
    """Requests are grouped by (sites, not_before): each group has, per acceptable site, a
    cursor, numbered, with the group's cursors in `of_group` and a site's in `of_site`.

    A cursor's `at` is the earliest unit the group may take there (it only moves forward:
    units are only taken during a batch), `first` the first unit starting at or after the
    group's `not_before`, `held` the units the group's requests hold there, in order.
    """

    at: list[int]
    first: list[int]
    site: list[int]
    held: list[list[int]]
    of_group: list[tuple[int, ...]]
    of_site: list[list[int]]


def _cursors(
    group_sites: Iterable[frozenset[Hashable]], not_before: list[int], units: _Units
) -> _Cursors:
    """The cursors of the groups of `group_sites` (their `not_before` as `_times`)."""
    cursors = _Cursors([], [], [], [], [], [[] for _ in units.ends])
    for sites, start in zip(group_sites, not_before, strict=True):
        own = []
        for site in sites:
            number = units.numbers.get(site)
            if number is not None:
                first = bisect_left(units.starts, start, units.firsts[number], units.ends[number])
                own.append(len(cursors.at))
                cursors.at.append(first)
                cursors.first.append(first)
                cursors.site.append(number)
                cursors.held.append([])
        cursors.of_group.append(tuple(own))
        for cursor in own:
            cursors.of_site[cursors.site[cursor]].append(cursor)
    return cursors


_Unit = tuple[int, int]  # a unit as (cursor, index in `_Units`)


# A chain search gives up after this many groups, and tries this many units of each group at a
# site: it bounds a batch's time when every site is full; chains that help are short (a
# préfecture has a handful of sites). On the benchmark, 128 groups and 64 units improve cost
# ratios by under 2 % and slow the largest batches.
_SEARCH_GROUPS = 32
_UNITS_PER_GROUP = 8


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

    Requests are known by their turn in priority order; `groups`, `limits` and `keys` are
    listed in that order.
    """

    def __init__(
        self,
        units: _Units,
        cursors: _Cursors,
        groups: list[int],
        deadlines: list[int],
        keys: list[Hashable],
        assignments: dict[Hashable, Hashable],
    ) -> None:
        self.units = units
        self.cursors = cursors
        self.groups = groups
        self.limits = deadlines  # the latest start each request may be moved to
        self.keys = keys
        self.assignments = assignments
        self.stuck: dict[int, int] = {}  # group -> the limit up to which it cannot move

    def _free_unit(self, turn: int) -> _Unit | None:
        """The earliest free unit the request may move to: (cursor, index), or None.

        The same cursor walk as `allocate`'s loop, which keeps its own copy inline: a call per
        request there costs a tenth of the 1e6 benchmark's time."""
        limit, best, best_rank = self.limits[turn], None, _NONE_LEFT
        at, parent = self.cursors.at, self.units.next_free
        ranks, starts = self.units.ranks, self.units.starts
        for cursor in self.cursors.of_group[self.groups[turn]]:
            index = at[cursor]
            while parent[index] != index:
                parent[index] = index = parent[parent[index]]
            at[cursor] = index
            if ranks[index] < best_rank and not limit < starts[index]:
                best, best_rank = (cursor, index), ranks[index]
        return best

    def _holders(self, turn: int) -> Iterator[_Unit]:
        """(cursor, index) of units held by others that the request may move to: at each of its
        sites, for each group holding some, the latest `_UNITS_PER_GROUP` of them."""
        limit, units, cursors = self.limits[turn], self.units, self.cursors
        for cursor in cursors.of_group[self.groups[turn]]:
            site, first = cursors.site[cursor], cursors.first[cursor]
            last = bisect_right(units.starts, limit, units.firsts[site], units.ends[site]) - 1
            for other in cursors.of_site[site]:
                held = cursors.held[other]
                at = bisect_right(held, last) - 1
                stop = max(at - _UNITS_PER_GROUP, -1)
                while at > stop and held[at] >= first:
                    yield other, held[at]
                    at -= 1

    def date_on_time(self, turn: int) -> bool:
        """Date the request on time by a chain of moves, if one exists."""
        return self._chain(turn) is not None

    def date_at_all(self, turn: int) -> bool:
        """Date late, by a chain of moves, a request with no free unit left at its sites; it
        may then be moved again, but never to a later start."""
        own = self.cursors.of_group[self.groups[turn]]
        if not own:
            return False  # none of its sites has units
        starts, ends, site = self.units.starts, self.units.ends, self.cursors.site
        deadline = self.limits[turn]
        self.limits[turn] = max(starts[ends[site[cursor]] - 1] for cursor in own)
        unit = self._chain(turn)
        if unit is None:
            self.limits[turn] = deadline
            return False
        self.limits[turn] = starts[unit[1]]
        return True

    def _chain(self, turn: int) -> _Unit | None:
        """Give the request a unit it may take (by its limit) by a chain of moves: the unit
        given, as (cursor, index), or None."""
        groups, limits, stuck, holders = self.groups, self.limits, self.stuck, self.units.holder
        group, limit = groups[turn], limits[turn]
        if group in stuck and not stuck[group] < limit:
            return None  # its own group failed as far already
        explored = {group: limit}
        path: list[_Unit] = []  # the units handed over, in order
        frames = [self._holders(turn)]
        while frames:
            for cursor, index in frames[-1]:
                holder = holders[index]
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
                    return self._hand_over(turn, path, free)
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

    def _hand_over(self, turn: int, path: list[_Unit], free: _Unit) -> _Unit:
        """Each holder on the path moves to the next unit; the last takes the free unit.
        Returns the request's unit, as (cursor, index)."""
        holders, cursors = self.units.holder, self.cursors
        movers = [turn] + [holders[index] for _, index in path]
        for cursor, index in path:
            held = cursors.held[cursor]
            del held[bisect_left(held, index)]
        targets = [
            self._cursor_of(mover, cursors.site[cursor])
            for mover, (cursor, _) in zip(movers, path, strict=False)
        ]
        units = [(target, index) for target, (_, index) in zip(targets, path, strict=True)] + [free]
        free_index = free[1]
        self.units.next_free[free_index] = free_index + 1
        for mover, (cursor, index) in zip(movers, units, strict=True):
            holders[index] = mover
            self.assignments[self.keys[mover]] = self.units.keys[index]
            insort(cursors.held[cursor], index)
        return units[0]

    def _cursor_of(self, turn: int, site: int) -> int:
        """The request's cursor at the site."""
        return next(
            c for c in self.cursors.of_group[self.groups[turn]] if self.cursors.site[c] == site
        )


def allocate(
    requests: Iterable[WaitingRequest], units: Iterable[FreeUnit], seed: int
) -> Allocation:
    """Date as many waiting requests as the free units allow, in priority order."""
    requests, units = list(requests), list(units)
    keys = list(map(attrgetter("key"), requests))
    group_of: dict[tuple[frozenset[Hashable], Moment], int] = {}
    groups = [
        group_of.setdefault((request.sites, request.not_before), len(group_of))
        for request in requests
    ]
    starts, deadlines, not_before = _times(
        list(map(attrgetter("start"), units)),
        list(map(attrgetter("deadline"), requests)),
        [not_before for _, not_before in group_of],
    )
    row = _units(units, starts)
    cursors = _cursors((sites for sites, _ in group_of), not_before.tolist(), row)
    key_numbers = _key_numbers(keys)
    order = _priority_order(requests, _drawn(seed, key_numbers[0]), deadlines, seed)
    keys_in_order = _in_order(keys, key_numbers, order)
    allocation = Allocation(seed=seed, order=keys_in_order)
    assignments = allocation.assignments
    deadlines = deadlines[order]
    # A request is late on a unit of rank `due` or later: those before start by its deadline.
    dues = np.searchsorted(np.sort(starts), deadlines, side="right").tolist()
    groups_in_order = np.array(groups, dtype=np.int64)[order].tolist()
    hand_over = _HandOver(
        row, cursors, groups_in_order, deadlines.tolist(), keys_in_order, assignments
    )
    at, held, none_left = cursors.at, cursors.held, _NONE_LEFT
    parent, ranks, holder, unit_keys = row.next_free, row.ranks, row.holder, row.keys
    own_in_order = map(cursors.of_group.__getitem__, groups_in_order)
    for turn, own, due, key in zip(count(), own_in_order, dues, keys_in_order):
        best_rank = none_left
        for cursor in own:
            index = at[cursor]
            if parent[index] != index:
                while parent[index] != index:
                    parent[index] = index = parent[parent[index]]
                at[cursor] = index
            if ranks[index] < best_rank:
                best_rank, best, unit = ranks[index], cursor, index
        if best_rank >= due:  # none left, or late
            if best_rank == none_left:
                hand_over.date_on_time(turn) or hand_over.date_at_all(turn)
                continue
            if hand_over.date_on_time(turn):
                continue
            hand_over.limits[turn] = row.starts[unit]  # dated late: may move, never later
        held[best].append(unit)
        parent[unit] = at[best] = unit + 1
        holder[unit] = turn
        assignments[key] = unit_keys[unit]
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
