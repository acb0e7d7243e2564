"""The guichet policy: every request registered at once, dated by the production engine.

Each working day a batch calls `guichet.allocation.allocate` — the very function the booking
service calls — with the waiting requests and the free units from `min_lead_days` on, exactly
as `guichet.booking.services.allocate_service` builds them (one shared `not_before`, units
already given left out). A unit freed by a withdrawal or a date someone cannot take goes down
the queue as in `guichet.booking.offers.offer_unit`: `choose_for_unit`, the engine function the
service calls, names the first person in priority order who waits or holds a later date; a
waiting person gets it, a dated one is offered it (24 h to answer, 2 h near the slot), and an
accepted offer frees their old unit in turn. A unit nobody can take goes back to the pool.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, cast

from guichet.allocation import FreeUnit, WaitingRequest, allocate, answer_window, choose_for_unit
from guichet.allocation.engine import OFFER_MIN_NOTICE_MINUTES, OFFER_MIN_WINDOW_MINUTES

from .documents import Files
from .outcome import SERVED, WITHDRAWN, Ledger
from .population import People, is_working_day
from .scenario import Batch, Scenario

if TYPE_CHECKING:
    from .abusers import GuichetAbusers  # which runs `run_batch`

MINUTES = 1440
OPENS = 9 * 60  # the model has no time of day: a unit starts when the day's counter opens
SITE = "site"  # one site per pool: the préfecture's sites are merged
SITES = frozenset({SITE})


class Pool:
    """Units open for allocation, sorted. A unit is its start minute, which is also its key:
    starts are unique, so the engine's (start, key) order is the start order."""

    def __init__(self, units: list[int]) -> None:
        self.units = units
        self.free: list[int] = []
        self.opened_until = -1

    def open_until(self, last_day: int) -> None:
        """Publish the capacity of every day up to `last_day` (the rolling horizon)."""
        for day in range(self.opened_until + 1, min(last_day, len(self.units) - 1) + 1):
            assert self.units[day] < MINUTES, "one start a minute: at most 1439 units a day"
            self.free.extend(range(day * MINUTES, day * MINUTES + self.units[day]))
        self.opened_until = max(self.opened_until, last_day)

    def drop_passed(self, day: int) -> list[int]:
        """Remove and return units of days up to `day` that nobody got: they are wasted."""
        passed = bisect_left(self.free, (day + 1) * MINUTES)
        wasted = self.free[:passed]
        del self.free[:passed]
        return wasted

    def first_from(self, not_before: int, count: int) -> tuple[int, list[int]]:
        """The `count` earliest free units from `not_before`: the engine takes no other one,
        since each request takes the earliest free unit and there are `count` requests."""
        first = bisect_left(self.free, not_before)
        return first, self.free[first : first + count]

    def take(self, first: int, offered: list[int], taken: set[int]) -> None:
        self.free[first : first + len(offered)] = [unit for unit in offered if unit not in taken]

    def give_back(self, unit: int) -> None:
        insort(self.free, unit)


def offer_window(unit: int, now: int, batch: Batch) -> int | None:
    """Minutes to answer an offer: the service's own rule (`answer_window`), in minutes."""
    return answer_window(
        unit // MINUTES * MINUTES + OPENS - now,
        long=batch.offer_window_hours * 60,
        short=batch.offer_short_window_hours * 60,
        short_within=batch.offer_short_window_within_hours * 60,
        min_notice=OFFER_MIN_NOTICE_MINUTES,
        min_window=OFFER_MIN_WINDOW_MINUTES,
    )


_NOBODY = 1 << 62  # no deadline: nobody left in a queue
Entry = tuple[int, int]  # (deadline, person): queues are sorted by it
WAITING_QUEUE = -1  # the waiting queue's key among the days' appointments


def _most_urgent(queues: Iterable[list[Entry]], passed: AbstractSet[int]) -> int:
    """The earliest deadline in sorted queues among people not yet asked for this unit: each
    queue is read from its front, only while its deadlines are earlier than the best so far."""
    first = _NOBODY
    for entries in queues:
        first = _earlier(entries, passed, first)
    return first


def _earlier(entries: list[Entry], passed: AbstractSet[int], first: int) -> int:
    """The earliest deadline in a sorted queue among people not yet asked, if earlier than
    `first`; else `first`."""
    for deadline, person in entries:
        if deadline >= first:
            break
        if person not in passed:
            return deadline
    return first


def _insert(
    entries: list[Entry], requests: list[WaitingRequest], entry: Entry, request: WaitingRequest
) -> None:
    """`insort` the entry, and its request at the same place in the queue's `requests`."""
    at = bisect_right(entries, entry)
    entries.insert(at, entry)
    requests.insert(at, request)


def _remove(entries: list[Entry], requests: list[WaitingRequest], entry: Entry) -> None:
    at = bisect_left(entries, entry)
    del entries[at]
    del requests[at]


class Queue:
    """Who waits and who holds which date, and the cascade of a freed unit down the queue.

    Waiting people and each day's appointments are kept sorted by (deadline, person), so the
    most urgent people a freed unit could go to are found without scanning everyone; beside
    each queue, its people's requests in the same order, so the tied are passed to
    `choose_for_unit` as slices of it.
    """

    def __init__(
        self, people: People, scenario: Scenario, rng: random.Random, ledger: Ledger, pool: Pool
    ) -> None:
        self.people, self.scenario, self.rng = people, scenario, rng
        self.ledger, self.pool = ledger, pool
        self.waiting: dict[int, None] = {}  # people without a date, in registration order
        self.waiting_by_deadline: list[Entry] = []
        self.waiting_requests: list[WaitingRequest] = []  # in `waiting_by_deadline`'s order
        self.booked: dict[int, int] = {}  # person -> unit
        self.booked_day: dict[int, int] = {}  # person -> day of their unit (`current_starts`)
        self.appointments: dict[int, list[Entry]] = {}  # day -> (deadline, person)
        self.appointment_requests: dict[int, list[WaitingRequest]] = {}  # in the same order
        self.dated_on: dict[int, int] = {}  # person -> day of their first date
        self.offers_to: dict[int, int] = {}  # person -> earlier dates offered to them
        # Abuse runs only (`abusers.py`): bots' fake identities, which take every date given
        # and never answer an offer, and a callback told of every date given.
        self.silent: frozenset[int] = frozenset()
        self.on_book: Callable[[int, int, int], None] | None = None  # (person, unit, day)
        # With `[documents]` (`documents.Files`): a file found incomplete comes back later.
        self.files: Files | None = None
        # Each person as `choose_for_unit` is given them, built once, at registration: they may
        # take a unit any day from then; the lead and the later day are checked when choosing
        # the queues to search, as the service checks them in `candidates_for`.
        self.requests: dict[int, WaitingRequest] = {}
        self.offered: FreeUnit | None = None  # the unit last passed to `choose_for_unit`

    def _entry(self, person: int) -> Entry:
        return self.people.deadline[person], person

    def register(self, person: int) -> None:
        self.waiting[person] = None
        request = self.requests.get(person)
        if request is None:
            request = self.requests[person] = WaitingRequest(
                key=person,
                deadline=self.people.deadline[person],
                registered_at=self.people.arrival[person],
                sites=SITES,
                not_before=self.people.arrival[person],
            )
        _insert(self.waiting_by_deadline, self.waiting_requests, self._entry(person), request)

    def register_again(self, person: int, deadline: int) -> None:
        """A file found incomplete: the person asks for another appointment, with a deadline
        of its own (`Files.deadline_on_return`); their registration day stays the first."""
        self.people.deadline[person] = deadline
        del self.requests[person]
        self.register(person)

    def leave(self, person: int) -> None:
        del self.waiting[person]
        _remove(self.waiting_by_deadline, self.waiting_requests, self._entry(person))

    def leave_all(self, persons: list[int]) -> None:
        """`leave` for each of the people a batch dated, at once: they are at the front of the
        waiting queue, which is moved up once rather than once for each."""
        entries, requests = self.waiting_by_deadline, self.waiting_requests
        spots = sorted(bisect_left(entries, self._entry(person)) for person in persons)
        for person in persons:
            del self.waiting[person]
        if not spots:
            return
        kept_entries: list[Entry] = []
        kept_requests: list[WaitingRequest] = []
        start = 0
        for at in spots:
            kept_entries += entries[start:at]
            kept_requests += requests[start:at]
            start = at + 1
        entries[:start] = kept_entries
        requests[:start] = kept_requests

    def seen(self, person: int) -> None:
        """The day of their appointment: they come, or do not show up."""
        day = self.booked.pop(person) // MINUTES
        del self.booked_day[person]
        if self.people.no_show[person]:
            self.ledger.end[person] = WITHDRAWN
            self.ledger.lose("no_show", day)
        elif self.files is None or self.files.visit(person, day):
            self.ledger.end[person] = SERVED
            self.ledger.seen_day[person] = day

    def takes(self, person: int) -> bool:
        """Whether a person can take the date given; a bot's fake identity takes any."""
        return person in self.silent or self.rng.random() < self.scenario.behaviour.offer_acceptance

    def book(self, person: int, unit: int, day: int) -> None:
        if person in self.waiting:
            self.leave(person)
        self.booked[person] = unit
        self.booked_day[person] = unit // MINUTES
        day_of_unit = unit // MINUTES
        if day_of_unit not in self.appointments:
            self.appointments[day_of_unit], self.appointment_requests[day_of_unit] = [], []
        _insert(
            self.appointments[day_of_unit],
            self.appointment_requests[day_of_unit],
            self._entry(person),
            self.requests[person],
        )
        self.dated_on.setdefault(person, day)
        if self.on_book is not None:
            self.on_book(person, unit, day)

    def unbook(self, person: int) -> int:
        unit = self.booked.pop(person)
        del self.booked_day[person]
        day = unit // MINUTES
        _remove(self.appointments[day], self.appointment_requests[day], self._entry(person))
        return unit

    def _lines_for(self, unit: int, now: int) -> list[tuple[list[Entry], list[WaitingRequest]]]:
        """Who could take the unit: those holding a later day, and those waiting if the unit
        is at least the minimum lead away; each queue with its requests."""
        day, today = unit // MINUTES, now // MINUTES
        requests = self.appointment_requests
        lines = [
            (entries, requests[later])
            for later, entries in self.appointments.items()
            if later > day
        ]
        if day >= today + self.scenario.batch.min_lead_days:
            lines.append((self.waiting_by_deadline, self.waiting_requests))
        return lines

    def most_urgent(self, count: int) -> list[int]:
        """Those waiting who can be among the `count` first in priority order: every one whose
        deadline is no later than the `count`-th earliest. A batch with `count` units at one
        site dates its `count` first requests and no other, so passing only these to the
        engine gives the same dates, without building the whole backlog every day."""
        entries = self.waiting_by_deadline
        if not count:
            return []
        if count < len(entries):
            entries = entries[: bisect_left(entries, (entries[count - 1][0] + 1, -1))]
        return [person for _, person in entries]

    def front(self, unit: int, now: int) -> int | None:
        """The earliest deadline among those who could take the unit: the queue's front."""
        first = _most_urgent((entries for entries, _ in self._lines_for(unit, now)), set())
        return None if first == _NOBODY else first

    def first_in_line(self, unit: int, now: int, passed: set[int]) -> int | None:
        """`choose_for_unit` over those who wait (from the minimum lead) or hold a later day.

        As `offers.candidates_for` does, who may take the unit is settled by the queues
        searched: those waiting when the unit is at least the minimum lead away, those holding
        a later day (`current_starts`). A date is a day here (the model has no time of day).
        Only the candidates of the earliest deadline are passed: the engine's priority starts
        with the deadline, so no other could be chosen and the result is the same.
        """
        day, today = unit // MINUTES, now // MINUTES
        waiting = day >= today + self.scenario.batch.min_lead_days  # `_lines_for`, inline
        first = _NOBODY
        for later, entries in self.appointments.items():
            if later > day and entries and entries[0][0] < first:
                first = _earlier(entries, passed, first)
        if waiting:
            first = _earlier(self.waiting_by_deadline, passed, first)
        if first == _NOBODY:
            return None
        seed = self.rng.getrandbits(62)
        if day < today:
            return None  # a cascade's answers ran past the unit's day: nobody can take it
        lines = [
            (entries, self.appointment_requests[later])
            for later, entries in self.appointments.items()
            if later > day and entries and entries[0][0] <= first
        ]
        if waiting and self.waiting_by_deadline and self.waiting_by_deadline[0][0] <= first:
            lines.append((self.waiting_by_deadline, self.waiting_requests))
        deadline = self.people.deadline
        asked = [person for person in passed if deadline[person] == first]
        candidates: list[WaitingRequest] = []
        for entries, requests in lines:
            start = bisect_left(entries, (first, -1))
            stop = bisect_left(entries, (first + 1, -1), start)
            # The tied, but for those already asked: each in one queue at most.
            for at in sorted(
                at
                for person in asked
                if (at := bisect_left(entries, (first, person), start, stop)) < stop
                and entries[at][1] == person
            ):
                candidates += requests[start:at]
                start = at + 1
            candidates += requests[start:stop]
        if self.offered is None or self.offered.key != unit:
            self.offered = FreeUnit(key=unit, site=SITE, start=day)
        chosen = choose_for_unit(
            candidates, self.offered, seed=seed, current_starts=self.booked_day
        )
        return cast(int | None, chosen)  # a request's key: a person

    def free(self, unit: int, now: int, passed: AbstractSet[int] = frozenset()) -> None:
        """A freed unit goes down the queue (`offer_unit`): a date for the first who waits, an
        offer to the first who holds a later one; each accepted offer frees a unit in turn."""
        behaviour, batch, rng = self.scenario.behaviour, self.scenario.batch, self.rng
        freed = [(unit, now, set(passed))]
        while freed:
            unit, now, passed = freed.pop()
            while True:
                person = self.first_in_line(unit, now, passed)
                if person is None or (window := offer_window(unit, now, batch)) is None:
                    self.pool.give_back(unit)
                    break
                passed.add(person)
                if person in self.waiting:
                    # A first date, as from a batch: some cannot take the date they get.
                    if self.takes(person):
                        self.book(person, unit, now // MINUTES)
                        self.ledger.take(unit // MINUTES, by_bot=False)
                        break
                    continue
                self.ledger.offers_made += 1
                self.offers_to[person] = self.offers_to.get(person, 0) + 1
                answer = rng.expovariate(1 / (60 * behaviour.offer_response_hours))
                silent = person in self.silent
                if not silent and answer < window and rng.random() < behaviour.offer_acceptance:
                    self.ledger.offers_accepted += 1
                    now += int(answer)
                    freed.append((self.unbook(person), now, {person}))
                    self.book(person, unit, now // MINUTES)
                    break
                now += int(window if silent else min(answer, window))  # declined, or closed


def run_batch(
    people: People,
    units: list[int],
    scenario: Scenario,
    rng: random.Random,
    abusers: GuichetAbusers | None = None,
    files: Files | None = None,
) -> Ledger:
    """`abusers` adds fake identities and a scalper to the run;
    `files` (`documents.Files`), return visits for files found incomplete."""
    behaviour, batch = scenario.behaviour, scenario.batch
    days = len(units)
    ledger = Ledger.start(people, units, first_day=7 * scenario.warmup_weeks)
    pool = Pool(units)
    queue = Queue(people, scenario, rng, ledger, pool)
    if abusers is not None:
        abusers.attach(queue)
    queue.files = files
    withdrawals: dict[int, list[int]] = {}
    arrivals = iter(range(len(people)))
    next_person = next(arrivals, None)

    for day in range(days):
        now = day * MINUTES
        while next_person is not None and people.arrival[next_person] == day:
            queue.register(next_person)
            if people.withdraw_day[next_person] < days:
                withdrawals.setdefault(people.withdraw_day[next_person], []).append(next_person)
            next_person = next(arrivals, None)
        if files is not None:
            for person in files.back(day, ledger):
                queue.register_again(person, files.deadline_on_return(person, day))
        for person in withdrawals.pop(day, ()):
            if person in queue.waiting:
                queue.leave(person)
                ledger.end[person] = WITHDRAWN
            elif person in queue.booked:
                ledger.end[person] = WITHDRAWN
                queue.free(queue.unbook(person), now)
        if abusers is not None:
            abusers.start_day(day, now)
        queue.appointment_requests.pop(day, None)
        for _, person in queue.appointments.pop(day, ()):
            queue.seen(person)
        for unit in pool.drop_passed(day):
            ledger.lose("idle", unit // MINUTES)
        pool.open_until(day + batch.horizon_days)
        if queue.waiting and is_working_day(day):
            not_before = (day + batch.min_lead_days) * MINUTES
            first, offered = pool.first_from(not_before, len(queue.waiting))
            allocation = allocate(
                [
                    WaitingRequest(
                        key=person,
                        deadline=(people.deadline[person] + 1) * MINUTES - 1,  # its last minute
                        registered_at=people.arrival[person],
                        sites=SITES,
                        not_before=not_before,
                    )
                    for person in queue.most_urgent(len(offered))
                ],
                [FreeUnit(key=unit, site=SITE, start=unit) for unit in offered],
                seed=rng.getrandbits(62),
            )
            assignments = cast(dict[int, int], allocation.assignments)  # person -> unit
            pool.take(first, offered, set(assignments.values()))
            taking: list[tuple[int, int]] = []  # (person, unit)
            cannot_take: list[tuple[int, int]] = []
            for person, unit in assignments.items():
                (taking if queue.takes(person) else cannot_take).append((person, unit))
            queue.leave_all([person for person, _ in taking])
            for person, unit in taking:
                queue.book(person, unit, day)
                ledger.take(unit // MINUTES, by_bot=False)
            for person, unit in cannot_take:
                # The person cancels a date they cannot take: it goes to the next in line.
                queue.free(unit, now, passed={person})

    dated_on = queue.dated_on
    for person in range(len(people)):
        # One visit to register, regular status checks, one to read the date, one per offer.
        until = dated_on.get(person, min(days, people.withdraw_day[person]))
        weeks = max(0, until - people.arrival[person]) / 7
        ledger.checks[person] = 1 + weeks * behaviour.status_checks_per_week
        ledger.checks[person] += (person in dated_on) + queue.offers_to.get(person, 0)
    return ledger
