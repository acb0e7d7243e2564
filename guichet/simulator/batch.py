"""The guichet policy: every request registered at once, dated by the production engine.

Each working day a batch calls `guichet.allocation.allocate` — the very function the booking
service calls — with the waiting requests and the free units from `min_lead_days` on, exactly
as `guichet.booking.services.allocate_service` builds them (one shared `not_before`, units
already given left out). A unit freed by a withdrawal or a declined date goes back into the
pool for the next batch, which is what the engine supports today: an offer cascade for freed
units would replace `Pool.give_back`.
"""

from __future__ import annotations

import random
from bisect import bisect_left, insort

from guichet.allocation import FreeUnit, WaitingRequest, allocate

from .outcome import SERVED, WITHDRAWN, Ledger
from .population import People, is_working_day
from .scenario import Scenario

MINUTES = 1440
SITE = "site"  # one site per pool: the préfecture's sites are merged
SITES = frozenset({SITE})


class Pool:
    """Units open for allocation, sorted. A unit is its start minute, which is also its key:
    starts are unique, so the engine's (start, key) order is the start order."""

    def __init__(self, units: list[int]):
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


def run_batch(people: People, units: list[int], scenario: Scenario, rng: random.Random) -> Ledger:
    behaviour, batch = scenario.behaviour, scenario.batch
    days = len(units)
    ledger = Ledger.start(people, units, first_day=7 * scenario.warmup_weeks)
    pool = Pool(units)
    waiting: dict[int, None] = {}  # people without a date, in registration order
    booked: dict[int, int] = {}  # person -> unit
    appointments: dict[int, list[int]] = {}
    withdrawals: dict[int, list[int]] = {}
    dated_on: dict[int, int] = {}
    arrivals = iter(range(len(people)))
    next_person = next(arrivals, None)

    for day in range(days):
        while next_person is not None and people.arrival[next_person] == day:
            waiting[next_person] = None
            if people.withdraw_day[next_person] < days:
                withdrawals.setdefault(people.withdraw_day[next_person], []).append(next_person)
            next_person = next(arrivals, None)
        for person in withdrawals.pop(day, ()):
            if person in waiting:
                del waiting[person]
                ledger.end[person] = WITHDRAWN
            elif person in booked:
                unit = booked.pop(person)
                appointments[unit // MINUTES].remove(person)
                ledger.end[person] = WITHDRAWN
                pool.give_back(unit)
        for person in appointments.pop(day, ()):
            del booked[person]
            if people.no_show[person]:
                ledger.end[person] = WITHDRAWN
                ledger.lose("no_show", day)
            else:
                ledger.end[person] = SERVED
                ledger.seen_day[person] = day
        for unit in pool.drop_passed(day):
            ledger.lose("idle", unit // MINUTES)
        pool.open_until(day + batch.horizon_days)
        if waiting and is_working_day(day):
            not_before = (day + batch.min_lead_days) * MINUTES
            first, offered = pool.first_from(not_before, len(waiting))
            allocation = allocate(
                [
                    WaitingRequest(
                        key=person,
                        deadline=people.deadline[person],
                        registered_at=people.arrival[person],
                        sites=SITES,
                        not_before=not_before,
                    )
                    for person in waiting
                ],
                [FreeUnit(key=unit, site=SITE, start=unit) for unit in offered],
                seed=rng.getrandbits(62),
            )
            taken = set()
            for person, unit in allocation.assignments.items():
                # A date the person cannot take stays in the pool for the next batch.
                if rng.random() < behaviour.offer_acceptance:
                    taken.add(unit)
                    del waiting[person]
                    booked[person] = unit
                    appointments.setdefault(unit // MINUTES, []).append(person)
                    dated_on[person] = day
                    ledger.take(unit // MINUTES, by_bot=False)
            pool.take(first, offered, taken)

    for person in range(len(people)):
        # One visit to register, regular status checks, one visit to read the date.
        until = dated_on.get(person, min(days, people.withdraw_day[person]))
        weeks = max(0, until - people.arrival[person]) / 7
        ledger.checks[person] = 1 + weeks * behaviour.status_checks_per_week
        ledger.checks[person] += person in dated_on
    return ledger
