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

`allocate` follows this request by request, except along calm stretches where each takes its
earliest unit on time: those it dates in bulk (`_CalmStretch`), to the same units.
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import attrgetter
from typing import Any, TypeVar, cast

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
    and whether all were Python integers from 0 (ids), each the number of itself."""
    if set(map(type, keys)) <= {int}:  # ids, as a rule: read at once
        try:
            return np.fromiter(keys, dtype=np.uint64, count=len(keys)), True
        except OverflowError:  # below 0 or beyond 64 bits: as numpy reads them, below
            pass
    try:
        numbers = np.array(keys)
    except ValueError:  # ids mixed with tuples (a preview's units to create): one by one
        numbers = None
    if (
        numbers is not None
        and numbers.dtype.kind in "iu"
        and (numbers.size == 0 or numbers.min() >= 0)
    ):
        return numbers.astype(np.uint64), False  # all ids: at once
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
    for whom numpy's cost per operation outweighs the numbers' own; `_mix_one` written out,
    a call per key costing as much as its arithmetic."""
    if len(keys) >= _FEW_KEYS or not all(type(key) is int for key in keys):
        numbers: list[int] = _lottery_numbers(seed, keys).tolist()
        return numbers
    drawn, gamma, first, second, mask = _mix_one(seed % (1 << 64)), _GAMMA, _M1, _M2, _MASK
    lottery = []
    for key in cast(list[int], keys):  # all ints, as checked above
        number = (((key if 0 <= key <= mask else _key_number(key)) ^ drawn) + gamma) & mask
        number = ((number ^ (number >> 30)) * first) & mask
        number = ((number ^ (number >> 27)) * second) & mask
        lottery.append(number ^ (number >> 31))
    return lottery


def _keys_at(
    keys: list[Hashable], numbers: tuple[np.ndarray, bool], positions: np.ndarray
) -> list[Hashable]:
    """The keys at `positions`, given their `_key_numbers`. Python integers that were ids are
    rebuilt from their numbers: a million keys read out of order each miss the processor's
    cache, which costs several times more; other keys are gathered by numpy, as objects."""
    values, are_ids = numbers
    if not are_ids:
        values = np.fromiter(keys, dtype=object, count=len(keys))
    taken: list[Hashable] = values[positions].tolist()
    return taken


_Value = TypeVar("_Value", bound=Hashable)


def _numbered(values: Iterable[_Value], size: int) -> tuple[np.ndarray, dict[_Value, int]]:
    """Each of `size` values' number in order of first appearance, and the number of each
    distinct value."""
    number_of: defaultdict[_Value, int] = defaultdict(count().__next__)  # a new one: the next
    numbers = np.fromiter(map(number_of.__getitem__, values), dtype=np.int64, count=size)
    return numbers, number_of


def _groups(requests: list[WaitingRequest]) -> tuple[np.ndarray, list[Any], list[Moment]]:
    """Each request's group, numbered in order of first appearance: requests of the same sites
    and `not_before`; and each group's sites and `not_before`."""
    groups, number_of = _numbered(map(attrgetter("sites", "not_before"), requests), len(requests))
    return groups, [sites for sites, _ in number_of], [not_before for _, not_before in number_of]


_MANY = 4096  # below this many values, numpy's cost per call outweighs the shortcuts' gains


def _small(numbers: np.ndarray) -> np.ndarray:
    """Numbers from 0 in the smallest integer type that holds them: numpy sorts those of 16 bits
    or fewer by radix, in linear time."""
    return numbers.astype(np.min_scalar_type(int(numbers.max(initial=0))))


def _by_number(numbers: np.ndarray) -> np.ndarray:
    """Positions of 64-bit unsigned numbers in ascending order, any order among equal ones.

    The numbers themselves are sorted, each with its position in its lowest bits (a third
    cheaper than an argsort of a million), unless two then share their other bits, or they are
    few."""
    if len(numbers) < _MANY:
        return np.argsort(numbers)
    bits = max(len(numbers) - 1, 1).bit_length()
    low = np.uint64((1 << bits) - 1)
    marked = numbers & ~low | np.arange(len(numbers), dtype=np.uint64)
    marked.sort()
    if (marked[1:] >> bits == marked[:-1] >> bits).any():
        return np.argsort(numbers)
    return (marked & low).astype(np.intp)


def _steps(times: np.ndarray) -> np.ndarray:
    """`_times` in the same order, as their steps from the earliest in the smallest integer type
    that holds them: deadlines are often whole days apart, and `_small` numbers sort faster."""
    if times.size < _MANY:
        return times  # sorted fast enough as they are
    offsets = times.astype(np.uint64) - np.uint64(times.min())  # no overflow, even at the ends
    step = np.gcd.reduce(offsets)
    return _small(offsets // step if step else offsets)


def _shared(values: np.ndarray) -> list[int]:
    """Integers as a list in which a run of equal values shares one Python integer: fewer
    objects to build, and less memory to map (each new page costs, on a virtual machine).
    Worth its dozen numpy calls for long lists only."""
    if values.size < _MANY:
        shared: list[int] = values.tolist()
        return shared
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    runs = np.diff(np.append(starts, values.size)).tolist()
    return list(chain.from_iterable(map(repeat, values[starts].tolist(), runs)))


def _times(*moments: list[Moment]) -> list[np.ndarray]:
    """Lists of moments as integers that compare as the moments do, across all the lists:
    integers (minutes, in the simulator and the benchmark) as they are, any other comparable
    values (datetimes) by their rank among all the values given."""
    try:
        return [np.frombuffer(array("q", values), dtype=np.int64) for values in moments]
    except (TypeError, OverflowError):  # not integers, or beyond 64 bits
        pass
    rank_of = {value: rank for rank, value in enumerate(sorted(set().union(*moments)))}
    return [np.array(list(map(rank_of.__getitem__, values)), dtype=np.int64) for values in moments]


def _priority_order(
    requests: list[WaitingRequest], lottery: np.ndarray, deadlines: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Positions of the requests sorted by `priority_key` (`deadlines` as `_times`), stable for
    exact ties like `sorted`; their deadlines in that order; whether no two drew the same
    number."""
    by_lottery = _by_number(lottery)  # equal numbers are exact ties, sorted below
    drawn = lottery[by_lottery]
    distinct = not (drawn[1:] == drawn[:-1]).any()
    order = by_lottery[np.argsort(_steps(deadlines)[by_lottery], kind="stable")]
    drawn, due = lottery[order], deadlines[order]
    # Equal deadline and lottery number (the same key twice): registration time decides.
    if ((drawn[1:] == drawn[:-1]) & (due[1:] == due[:-1])).any():
        order = np.array(
            sorted(range(len(requests)), key=lambda i: priority_key(requests[i], seed)),
            dtype=np.intp,
        )
        due = deadlines[order]
    return order, due, distinct


_NONE_LEFT = 1 << 62  # the rank of a site's sentinel: later than any unit
_NEVER = 1 << 63  # the start of a site's sentinel: after any deadline (`_times` are 64-bit)


@dataclass(slots=True)
class _Units:
    """Every site's free units in one row, site after site: each site's in (start, key) order,
    then a sentinel. One set of lists for all sites lets `allocate`'s loop reach a unit by one
    index.

    `ranks` are the units' positions among all sites' units by (start, key), to compare sites
    in one step (a sentinel's is `_NONE_LEFT`); `starts` their `_times` (a sentinel's is
    `_NEVER`: no request can take it on time); `unit_at` their places in the list given (-1
    for a sentinel); `holder` the turn (in priority order) of
    the request holding each unit, -1 while none does, in machine integers (no Python integer
    to build per unit), `holding` a numpy view of it. `next_free` is a 'next free' pointer
    structure, 0 while a unit is free: taking unit i links it to its successor (union-find with
    path halving), so finding the earliest free unit at or after a time costs nearly O(log n)
    even when most units are taken. Site number s (`numbers`) has its units from `firsts[s]`
    to its sentinel at `ends[s]`.
    """

    ranks: list[int]
    starts: list[int]
    unit_at: np.ndarray
    next_free: list[int]
    holder: array[int]
    holding: np.ndarray
    firsts: list[int]
    ends: list[int]
    numbers: dict[Hashable, int]


def _units(units: list[FreeUnit], starts: np.ndarray, key_numbers: np.ndarray) -> _Units:
    """Lay out the units (`starts` as `_times`), ranking them by start across all sites, equal
    starts by key (`_key_numbers`: the id itself for database units)."""
    sites, numbers = _numbered(map(attrgetter("site"), units), len(units))
    by_time = np.lexsort((key_numbers, starts))
    ranks = np.empty(len(units), dtype=np.int64)
    ranks[by_time] = np.arange(len(units))
    by_site = by_time[np.argsort(_small(sites[by_time]), kind="stable")]
    place = np.arange(len(units)) + sites[by_site]  # after the sentinels of the sites before
    ends = np.cumsum(np.bincount(sites, minlength=len(numbers))) + np.arange(len(numbers))
    size = len(units) + len(numbers)
    unit_at = np.full(size, -1)  # -1 for a sentinel: the last rank, `_NONE_LEFT` appended
    unit_at[place] = by_site
    row_starts = _shared(starts[unit_at])
    for end in ends.tolist():
        row_starts[end] = _NEVER
    holder = array("q", [-1]) * size
    return _Units(
        ranks=np.append(ranks, _NONE_LEFT)[unit_at].tolist(),
        starts=row_starts,
        unit_at=unit_at,
        next_free=[0] * size,
        holder=holder,
        holding=np.frombuffer(holder, dtype=np.int64),
        firsts=[0, *(ends[:-1] + 1).tolist()],
        ends=ends.tolist(),
        numbers=numbers,
    )


def _next_free(parent: list[int], index: int) -> int:
    """The first free unit from `index` on, in `_Units.next_free` (halving the path walked).

    `allocate`'s loop keeps its own copy inline: a call per request there costs a tenth of
    the 1e6 benchmark's time."""
    while parent[index]:
        if parent[parent[index]]:
            parent[index] = parent[parent[index]]
        index = parent[index]
    return index


@dataclass(slots=True)
class _Cursors:
    """Requests are grouped by (sites, not_before): each group has, per acceptable site, a
    cursor, numbered, with the group's cursors in `of_group` and a site's in `of_site`.

    A cursor's `at` is the earliest unit the group may take there (it only moves forward:
    units are only taken during a batch), `first` the first unit starting at or after the
    group's `not_before`, `held` the units the group's requests hold there, in order (arrays
    of machine integers: no Python integer to build per unit).

    Ranges and one list sorted by site, rather than a tuple or list each: fewer objects for
    the garbage collector to count, whose collections go through a batch's million-long lists.
    """

    at: list[int]
    first: list[int]
    site: list[int]
    held: list[array[int]]
    group: list[int]
    of_group: list[range]
    by_site: list[int]  # the cursors, site after site
    site_bounds: list[int]  # where each site's cursors begin in `by_site`, then its length

    def of_site(self, site: int) -> list[int]:
        return self.by_site[self.site_bounds[site] : self.site_bounds[site + 1]]


def _cursors(
    group_sites: Iterable[frozenset[Hashable]], not_before: list[int], units: _Units
) -> _Cursors:
    """The cursors of the groups of `group_sites` (their `not_before` as `_times`)."""
    cursors = _Cursors([], [], [], [], [], [], [], [])
    for sites, start in zip(group_sites, not_before, strict=True):
        own = len(cursors.at)
        for site in sites:
            number = units.numbers.get(site)
            if number is not None:
                first = bisect_left(units.starts, start, units.firsts[number], units.ends[number])
                cursors.at.append(first)
                cursors.first.append(first)
                cursors.site.append(number)
                cursors.held.append(array("q"))
                cursors.group.append(len(cursors.of_group))
        cursors.of_group.append(range(own, len(cursors.at)))
    cursors.by_site = sorted(range(len(cursors.site)), key=cursors.site.__getitem__)
    at_site = [0] * (len(units.ends) + 1)
    for site in cursors.site:
        at_site[site + 1] += 1
    cursors.site_bounds = list(accumulate(at_site))
    return cursors


_Unit = tuple[int, int]  # a unit as (cursor, index in `_Units`)
_NO_LIMIT = -(1 << 64)  # below any limit (`_times` are 64-bit)
_Held = tuple[int, int, int]  # a unit held, as (cursor, index in `_Units`, holder's turn)


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

    Requests are known by their turn in priority order; `groups` and `limits` are listed in
    that order.
    """

    def __init__(
        self, units: _Units, cursors: _Cursors, groups: list[int], deadlines: list[int]
    ) -> None:
        self.units = units
        self.cursors = cursors
        self.groups = groups
        self.limits = deadlines  # the latest start each request may be moved to
        self.stuck: dict[int, int] = {}  # group -> the limit up to which it cannot move
        # turn -> when it was last moved, `_when` (an integer: a tuple per move would be one
        # more object for the garbage collector to count)
        self.moved: dict[int, int] = {}
        self.moved_at = [0] * len(units.ends)  # per site, hand-overs that moved a unit there
        # group -> the `moved_at` of its sites, summed, when a search from it last failed
        # without giving up, and `reach`, the earliest start after its limit at those sites. A
        # search starts only when its sites are taken up to its limit, and units are never
        # freed: until a hand-over moves a unit at its sites, a search from the group with a
        # limit short of `reach` meets the same units held there, whose holders are no freer
        # (`stuck` only grows, holders' limits do not change); each was refused or led nowhere
        # then, so each is refused now.
        self.futile: dict[int, int] = {}
        self.reach: dict[int, int] = {}
        starts, ends = units.starts, units.ends
        self.last_start = [  # per group, the latest start at its sites
            max((starts[ends[cursors.site[cursor]] - 1] for cursor in own), default=_NO_LIMIT)
            for own in cursors.of_group
        ]

    def _free_unit(self, turn: int) -> _Unit | None:
        """The earliest free unit the request may move to: (cursor, index), or None."""
        limit, best, best_rank = self.limits[turn], None, _NONE_LEFT
        at, parent = self.cursors.at, self.units.next_free
        ranks, starts = self.units.ranks, self.units.starts
        for cursor in self.cursors.of_group[self.groups[turn]]:
            at[cursor] = index = _next_free(parent, at[cursor])
            if ranks[index] < best_rank and not limit < starts[index]:
                best, best_rank = (cursor, index), ranks[index]
        return best

    def _holders(self, turn: int, explored: dict[int, int]) -> Iterator[_Held]:
        """Units held by others that the request may move to: at each of its sites, for each
        group holding some, of the latest `_UNITS_PER_GROUP` of them, those whose holders may
        move farther than their group was already searched (`explored`) or found unable to."""
        limit, units, cursors = self.limits[turn], self.units, self.cursors
        limits, stuck, holder, no_limit = self.limits, self.stuck, units.holder, _NO_LIMIT
        held_at, group_of, latest = cursors.held, cursors.group, _UNITS_PER_GROUP
        for cursor in cursors.of_group[self.groups[turn]]:
            site, first = cursors.site[cursor], cursors.first[cursor]
            last = bisect_right(units.starts, limit, units.firsts[site], units.ends[site]) - 1
            for other in cursors.of_site(site):
                held, group = held_at[other], group_of[other]
                at = bisect_right(held, last)
                # Holders up to this limit cannot move farther than their group already did: a
                # group searched was searched beyond the limit it was stuck at (see `_chain`).
                bar = explored[group] if group in explored else stuck.get(group, no_limit)
                for index in reversed(held[at - latest if at > latest else 0 : at]):
                    if index < first:
                        break
                    if bar < limits[holder[index]]:
                        yield other, index, holder[index]
                        bar = explored[group] if group in explored else stuck.get(group, no_limit)

    def date_on_time(self, turn: int) -> bool:
        """Date the request on time by a chain of moves, if one exists."""
        return self._chain(turn) is not None

    def date_at_all(self, turn: int) -> bool:
        """Date late, by a chain of moves, a request with no free unit left at its sites; it
        may then be moved again, but never to a later start."""
        if not self.cursors.of_group[self.groups[turn]]:
            return False  # none of its sites has units
        deadline = self.limits[turn]
        self.limits[turn] = self.last_start[self.groups[turn]]
        unit = self._chain(turn)
        if unit is None:
            self.limits[turn] = deadline
            return False
        self.limits[turn] = self.units.starts[unit[1]]
        return True

    def _chain(self, turn: int) -> _Unit | None:
        """Give the request a unit it may take (by its limit) by a chain of moves: the unit
        given, as (cursor, index), or None."""
        groups, limits, stuck = self.groups, self.limits, self.stuck
        group, limit = groups[turn], limits[turn]
        if group in stuck and not stuck[group] < limit:
            return None  # its own group failed as far already
        if self.futile.get(group) == self._moved(group) and limit < self.reach[group]:
            stuck[group] = limit  # what the search would leave
            return None
        complete = True  # not given up
        # A group enters `explored` only beyond the limit it is stuck at: this request's, by the
        # test above; a holder's, by `_holders`'s.
        explored = {group: limit}
        path: list[_Held] = []  # the units handed over, in order
        frames = [self._holders(turn, explored)]
        while frames:
            for cursor, index, holder in frames[-1]:
                explored[groups[holder]] = limits[holder]
                if len(explored) > _SEARCH_GROUPS:
                    frames.clear()  # far enough: given up, as if no chain existed
                    complete = False
                    break
                path.append((cursor, index, holder))
                free = self._free_unit(holder)
                if free is not None:
                    return self._hand_over(turn, path, free)
                frames.append(self._holders(holder, explored))
                break
            else:
                frames.pop()
                if path:
                    path.pop()
        for group, limit in explored.items():
            if group not in stuck or stuck[group] < limit:
                stuck[group] = limit
        if complete:
            group = groups[turn]
            self.futile[group], self.reach[group] = self._moved(group), self._reach(turn)
        return None

    def _moved(self, group: int) -> int:
        """Hand-overs so far that moved a unit at the group's sites, summed over its sites."""
        moved_at, site = self.moved_at, self.cursors.site
        return sum(moved_at[site[cursor]] for cursor in self.cursors.of_group[group])

    def _reach(self, turn: int) -> int:
        """The earliest start after the request's limit at its sites (`_NEVER` if none)."""
        units, cursors, limit = self.units, self.cursors, self.limits[turn]
        return min(
            (
                units.starts[
                    bisect_right(units.starts, limit, units.firsts[site], units.ends[site])
                ]
                for site in map(cursors.site.__getitem__, cursors.of_group[self.groups[turn]])
            ),
            default=_NEVER,
        )

    def _hand_over(self, turn: int, path: list[_Held], free: _Unit) -> _Unit:
        """Each holder on the path moves to the next unit; the last takes the free unit.
        Returns the request's unit, as (cursor, index)."""
        held, site, holder = self.cursors.held, self.cursors.site, self.units.holder
        movers = [turn] + [holder for _, _, holder in path]
        for cursor, index, _ in path:
            del held[cursor][bisect_left(held[cursor], index)]
        targets = [
            self._cursor_of(mover, site[cursor])
            for mover, (cursor, _, _) in zip(movers, path, strict=False)
        ]
        units = [(target, index) for target, (_, index, _) in zip(targets, path, strict=True)]
        units.append(free)
        self.units.next_free[free[1]] = free[1] + 1
        for cursor, _ in units:
            self.moved_at[site[cursor]] += 1
        for place, (mover, (cursor, index)) in enumerate(zip(movers, units, strict=True)):
            holder[index] = mover
            insort(held[cursor], index)
            if place:
                self.moved[mover] = _when(turn, place)
        return units[0]

    def _cursor_of(self, turn: int, site: int) -> int:
        """The request's cursor at the site."""
        return next(
            c for c in self.cursors.of_group[self.groups[turn]] if self.cursors.site[c] == site
        )


# `allocate` dates requests one by one until this many in a row took a unit on time, then in
# bulk (`_CalmStretch`) until one does not: a shorter stretch costs more to set up than it saves.
_CALM_TURNS = 1024
_FIRST_WINDOW, _LAST_WINDOW = 4096, 65536  # turns dated in bulk at once: growing, up to this


class _CalmStretch:
    """Dates in bulk a stretch of requests that each take their earliest free unit on time:
    the choices of `allocate`'s loop, without its bookkeeping per request.

    Only when each site's cursors share their first unit (the same lead time for all, as in
    the simulator and the benchmark): a site's units are then taken from that first unit on,
    without gaps, so its next free unit, its head, is all its state. A window of turns is dated
    with heads only, up to the first request that would be late or find no unit left, left to
    `allocate`'s loop and `_HandOver`; holders, next-free pointers and the units each cursor
    holds are then written at once, per site or per cursor.
    """

    def __init__(
        self, units: _Units, cursors: _Cursors, groups: list[int], deadlines: list[int]
    ) -> None:
        self.units, self.cursors, self.groups, self.deadlines = units, cursors, groups, deadlines
        self.site_of = np.array(cursors.site, dtype=np.int64)  # by cursor
        self.single = [own[0] if len(own) == 1 else -1 for own in cursors.of_group]

    @staticmethod
    def applies(cursors: _Cursors) -> bool:
        """Whether each site's cursors share their first unit."""
        return all(
            len({cursors.first[cursor] for cursor in cursors.of_site(site)}) < 2
            for site in range(len(cursors.site_bounds) - 1)
        )

    def date(self, turn: int) -> int:
        """Date requests from `turn` on while each takes its earliest free unit on time; returns
        the first turn left undated (the number of requests if none is)."""
        heads = list(map(self._head, range(len(self.units.ends))))
        size = _FIRST_WINDOW
        while turn < len(self.deadlines):
            start, stop = turn, min(turn + size, len(self.deadlines))
            chosen = self._choose(start, stop, heads)
            turn = start + len(chosen)
            if chosen:
                self._write(start, chosen, heads)
            if turn < stop:
                break
            size = min(2 * size, _LAST_WINDOW)
        return turn

    def _head(self, site: int) -> int:
        """The site's next free unit: those before it, from its cursors' first, are taken."""
        own = self.cursors.of_site(site)
        if not own:
            return self.units.ends[site]
        return _next_free(self.units.next_free, self.cursors.at[own[0]])

    def _choose(self, start: int, stop: int, heads: list[int]) -> list[int]:
        """The cursor with which each request from `start` takes a unit, moving `heads`, up to
        `stop` or the first request that would be late or find none left (`allocate`'s test)."""
        ranks, starts, site_of = self.units.ranks, self.units.starts, self.cursors.site
        of_group, single, none_left = self.cursors.of_group, self.single, _NONE_LEFT
        chosen = list[int]()
        taking = chosen.append
        for group, deadline in zip(
            self.groups[start:stop], self.deadlines[start:stop], strict=True
        ):
            cursor = single[group]
            if cursor < 0:  # none or several sites: the one whose next unit comes first
                best_rank = none_left
                for other in of_group[group]:
                    if ranks[heads[site_of[other]]] < best_rank:
                        best_rank, cursor = ranks[heads[site_of[other]]], other
                if cursor < 0:
                    break  # none left at its sites
            site = site_of[cursor]
            if deadline < starts[heads[site]]:
                break  # late, or none left (a sentinel's start is `_NEVER`)
            heads[site] += 1
            taking(cursor)
        return chosen

    def _write(self, start: int, chosen: list[int], heads: list[int]) -> None:
        """Record that the requests from `start` took units with the `chosen` cursors, each its
        site's next, up to `heads`."""
        count = len(chosen)
        cursors = np.fromiter(chosen, dtype=np.int64, count=count)
        sites = self.site_of[cursors]
        taken = np.bincount(sites, minlength=len(heads))
        firsts = np.array(heads) - taken  # the first unit taken at each site
        by_site = np.argsort(_small(sites), kind="stable")
        ends = np.cumsum(taken)
        units = np.empty(count, dtype=np.int64)
        units[by_site] = np.arange(count) - np.repeat(ends - taken - firsts, taken)
        self.units.holding[units] = np.arange(start, start + count)
        parent = self.units.next_free
        for site in np.flatnonzero(taken).tolist():
            parent[int(firsts[site]) : heads[site]] = [heads[site]] * int(taken[site])
        by_cursor = np.argsort(_small(cursors), kind="stable")
        held = np.bincount(cursors)
        bounds = np.cumsum(held).tolist()
        for cursor in np.flatnonzero(held).tolist():
            share = units[by_cursor[bounds[cursor] - held[cursor] : bounds[cursor]]]
            self.cursors.held[cursor].frombytes(share.tobytes())


def allocate(
    requests: Iterable[WaitingRequest], units: Iterable[FreeUnit], seed: int
) -> Allocation:
    """Date as many waiting requests as the free units allow, in priority order."""
    # Lists are read as they are: a copy of a million would be one more for the garbage
    # collector to go through, object by object.
    requests = requests if isinstance(requests, list) else list(requests)
    units = units if isinstance(units, list) else list(units)
    keys, unit_keys = list(map(attrgetter("key"), requests)), list(map(attrgetter("key"), units))
    key_numbers, unit_numbers = _key_numbers(keys), _key_numbers(unit_keys)
    order, distinct_draws, unit_of, moved = _dated(
        requests, units, unit_numbers[0], _drawn(seed, key_numbers[0]), seed
    )
    keys_in_order = _keys_at(keys, key_numbers, order)
    # Distinct numbers from ids are distinct keys; other keys are checked themselves.
    distinct = key_numbers[1] and distinct_draws or len(set(keys)) == len(keys)
    dated = unit_of >= 0
    units_given = _keys_at(unit_keys, unit_numbers, unit_of[dated])
    assignments = _assignments(keys_in_order, dated, units_given, moved, distinct)
    return Allocation(seed=seed, assignments=assignments, order=keys_in_order)


def _dated(
    requests: list[WaitingRequest],
    units: list[FreeUnit],
    unit_numbers: np.ndarray,
    lottery: np.ndarray,
    seed: int,
) -> tuple[np.ndarray, bool, np.ndarray, dict[int, int]]:
    """Date the requests: their positions in priority order; whether no two drew the same
    lottery number; by turn, the position of the unit each was given, or -1; and when
    hand-overs last moved them (`_HandOver.moved`). The lists of the dating are dropped on
    return, before the assignments are built: a smaller peak of memory."""
    groups, group_sites, group_not_before = _groups(requests)
    starts, deadlines, not_before = _times(
        list(map(attrgetter("start"), units)),
        list(map(attrgetter("deadline"), requests)),
        group_not_before,
    )
    row = _units(units, starts, unit_numbers)
    cursors = _cursors(group_sites, not_before.tolist(), row)
    order, deadlines, distinct_draws = _priority_order(requests, lottery, deadlines, seed)
    # In priority order, deadlines come sorted: `_shared` builds each distinct one once.
    deadlines_in_order = _shared(deadlines)
    groups_in_order = groups[order].tolist()
    hand_over = _HandOver(row, cursors, groups_in_order, deadlines_in_order)
    calm, calm_after = None, len(requests)  # in bulk after this many on time in a row
    if len(requests) > _CALM_TURNS and _CalmStretch.applies(cursors):
        # Deadlines of later turns: the hand-overs change the limits of earlier ones only.
        calm = _CalmStretch(row, cursors, groups_in_order, deadlines_in_order)
        calm_after = _CALM_TURNS
    at, held, holder, of_group = cursors.at, cursors.held, row.holder, cursors.of_group
    parent, ranks, starts_of, none_left = row.next_free, row.ranks, row.starts, _NONE_LEFT
    stuck, last_start, no_limit = hand_over.stuck, hand_over.last_start, _NO_LIMIT
    steps = zip(count(), groups_in_order, deadlines_in_order)
    quiet = 0  # requests in a row dated on time
    for turn, group, deadline in steps:
        if quiet == calm_after and calm is not None:
            quiet, skip = 0, calm.date(turn) - turn
            if skip:
                next(islice(steps, skip - 1, skip - 1), None)  # those dated in bulk
                continue
        best_rank = none_left
        for cursor in of_group[group]:
            index = at[cursor]
            if parent[index]:
                while parent[index]:
                    if parent[parent[index]]:
                        parent[index] = parent[parent[index]]
                    index = parent[index]
                at[cursor] = index
            if ranks[index] < best_rank:
                best_rank, best, unit = ranks[index], cursor, index
        quiet += 1
        if best_rank == none_left or deadline < starts_of[unit]:
            quiet = 0
            # A search would give up at once when the group failed as far already: not tried.
            failed = stuck.get(group, no_limit)
            if best_rank == none_left:
                if failed < deadline or failed < last_start[group]:
                    hand_over.date_on_time(turn) or hand_over.date_at_all(turn)
                continue
            if failed < deadline and hand_over.date_on_time(turn):
                continue
            hand_over.limits[turn] = starts_of[unit]  # dated late: may move, never later
        held[best].append(unit)
        holder[unit] = turn
        parent[unit] = at[best] = unit + 1
    taken = np.flatnonzero(row.holding >= 0)
    unit_of = np.full(len(requests), -1)
    unit_of[row.holding[taken]] = row.unit_at[taken]
    return order, distinct_draws, unit_of, hand_over.moved


def _when(turn: int, place: int) -> int:
    """When a date was written: at a turn (place 0), or by the hand-over at a turn, in the
    order of those it moves (place); as one integer that compares as the pair."""
    return turn << 32 | place


def _assignments(
    keys: list[Hashable],
    dated: np.ndarray,
    units: list[Hashable],
    moved: dict[int, int],
    distinct: bool,
) -> dict[Hashable, Hashable]:
    """Request key -> unit key, from the `keys` and whether each was `dated`, by turn, and the
    `units` given, in the order requests were first dated (their turns), built at once: what
    writing each date when given would leave. For a key given twice (not `distinct`), the unit
    of whichever request's date was written last: at its turn, or when last `moved`."""
    if distinct:
        return dict(zip(compress(keys, dated.tolist()), units, strict=True))
    assignments: dict[Hashable, Hashable] = {}
    written: dict[Hashable, int] = {}
    for turn, unit in zip(np.flatnonzero(dated).tolist(), units, strict=True):
        key, when = keys[turn], moved.get(turn, _when(turn, 0))
        if key not in written or written[key] < when:
            written[key], assignments[key] = when, unit
    return assignments


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

    deadlines = list(map(_DEADLINE, candidates))
    if candidates and deadlines.count(deadlines[0]) == len(deadlines):
        # All equally urgent (the service passes only the most urgent): the lottery first, then
        # whether its winner can take the unit, rather than checking every candidate.
        keys = list(map(_KEY, candidates))
        if len(keys) < _FEW_KEYS:
            lottery = _lottery_list(seed, keys)
        else:
            numbers, are_ids = _key_numbers(keys)
            drawn = _drawn(seed, numbers)
            if are_ids:  # the winner read in numpy: ids draw the same number only if equal
                best = int(drawn.argmin())
                if keys.count(keys[best]) == 1 and can_take(candidates[best]):
                    return candidates[best].key
            lottery = drawn.tolist()
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
_KEY, _DEADLINE = attrgetter("key"), attrgetter("deadline")


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
