"""Today's module: slots released in small batches at random moments, and first click wins.

Within a day, time runs in minutes. People check the booking page as a Poisson process (a few
times a day; less for those who rely on a helper), bots check every minute or so. While at
least one slot is open, the next check decides who gets the earliest open slot: a person (who
takes it if the date suits them) or a bot (which grabs several and resells most of them to
waiting people; unsold ones are wasted). People keep trying until they get a slot, give up, or
their permit expires.
"""

from __future__ import annotations

import heapq
import random
from typing import TYPE_CHECKING

from .documents import Files
from .outcome import EXPIRED, SERVED, WAITING, WITHDRAWN, Ledger
from .population import OTHER, WEB, People
from .scenario import Scenario

if TYPE_CHECKING:
    from .abusers import LegacyAbusers  # which runs `run_legacy`

MINUTES = 1440
# A release: the minute of the day it goes online, and its slots' days.
Release = tuple[int, list[int]]


class _Waiting:
    """People still trying, by channel, with O(1) random pick and removal."""

    def __init__(self) -> None:
        self.lists: tuple[list[int], list[int]] = ([], [])
        self.slot: dict[int, int] = {}

    def add(self, person: int, channel: int) -> None:
        members = self.lists[channel]
        self.slot[person] = len(members)
        members.append(person)

    def remove(self, person: int, channel: int) -> None:
        members = self.lists[channel]
        index = self.slot.pop(person)
        last = members.pop()
        if last != person:
            members[index] = last
            self.slot[last] = index

    def __contains__(self, person: object) -> bool:
        return person in self.slot

    def pick(self, rng: random.Random, weights: tuple[float, float]) -> int | None:
        web, other = len(self.lists[WEB]) * weights[WEB], len(self.lists[OTHER]) * weights[OTHER]
        if web + other == 0:
            return None
        members = self.lists[WEB] if rng.random() * (web + other) < web else self.lists[OTHER]
        return members[rng.randrange(len(members))]


def release_plan(
    units: list[int], scenario: Scenario, rng: random.Random
) -> dict[int, list[Release]]:
    """day -> releases: week w's releases hold the capacity of week w + lead."""
    legacy = scenario.legacy
    plan: dict[int, list[Release]] = {}
    lead = 7 * legacy.release_lead_weeks
    for week_start in range(0, len(units), 7):
        slots = [
            day
            for day in range(week_start + lead, min(week_start + lead + 7, len(units)))
            for _ in range(units[day])
        ]
        if not slots:
            continue
        rng.shuffle(slots)
        releases = max(1, round(legacy.releases_per_week))
        moments = sorted(
            (rng.randrange(week_start, week_start + 7), rng.randrange(MINUTES))
            for _ in range(releases)
        )
        for index, (day, minute) in enumerate(moments):
            batch = slots[index::releases]
            plan.setdefault(day, []).append((minute, batch))
    # Capacity of the first `lead` weeks went online before the run: booked by earlier people.
    return plan


def run_legacy(
    people: People,
    units: list[int],
    scenario: Scenario,
    rng: random.Random,
    abusers: LegacyAbusers | None = None,
    files: Files | None = None,
) -> Ledger:
    """`abusers` adds a stuffing bot and a scalper to the race;
    `files` (`documents.Files`), return visits for files found incomplete."""
    behaviour, legacy = scenario.behaviour, scenario.legacy
    days = len(units)
    first_day = 7 * scenario.warmup_weeks
    ledger = Ledger.start(people, units, first_day)
    per_day = (behaviour.checks_per_day_web, behaviour.checks_per_day_other)
    rates = (per_day[WEB] / MINUTES, per_day[OTHER] / MINUTES)  # checks a minute
    bot_rate = legacy.bots / legacy.bot_check_minutes
    plan = release_plan(units, scenario, rng)
    waiting = _Waiting()
    booked: dict[int, int] = {}  # person -> appointment day
    appointments: dict[int, list[int]] = {}  # day -> people holding a slot that day
    stops: dict[int, list[int]] = {}  # day -> people who stop trying or withdraw that day
    trying_since: dict[int, int] = {}  # people trying again after a visit: since when
    open_slots: list[int] = []  # heap of appointment days
    open_since: int | None = None
    probe_phase = rng.randrange(legacy.probe_minutes)
    arrivals = iter(range(len(people)))
    next_person = next(arrivals, None)

    def stop_trying(person: int, day: int, end: str) -> None:
        waiting.remove(person, people.channel[person])
        if abusers is not None:
            abusers.orders.pop(person, None)
        ledger.end[person] = end
        since = trying_since.pop(person, people.arrival[person])
        ledger.checks[person] += (day - since) * per_day[people.channel[person]]

    def book(person: int, slot_day: int, day: int, by_bot: bool) -> None:
        stop_trying(person, day, WAITING)
        ledger.checks[person] += 1
        booked[person] = slot_day
        appointments.setdefault(slot_day, []).append(person)
        ledger.take(slot_day, by_bot)

    def bot_takes(slot_day: int, day: int, draw: random.Random) -> None:
        """A reselling bot's slot: sold to a random waiting person, or wasted."""
        buyer = waiting.pick(draw, (1.0, 1.0))
        if buyer is not None and draw.random() < legacy.bot_resale_rate:
            book(buyer, slot_day, day, by_bot=True)
        else:
            ledger.take(slot_day, by_bot=True)
            ledger.lose("bots", slot_day)

    def waiting_rate() -> float:
        return len(waiting.lists[WEB]) * rates[WEB] + len(waiting.lists[OTHER]) * rates[OTHER]

    def hand_over(slot_day: int, day: int) -> None:
        """The scalper cancels at the moment agreed with its buyer, who rebooks at once: the
        freed slot goes to whoever checks first, the buyer (ready, after a few seconds) or
        anyone else polling (other bots, people)."""
        assert abusers is not None
        counts, draw = abusers.counts, abusers.rng
        customers = list(abusers.orders)
        buyer = draw.choice(customers)
        # A control: another customer, told nothing, who checks at their usual pace.
        control = draw.choice(customers[:-1]) if len(customers) > 1 else None
        if control == buyer:
            control = customers[-1]
        measured = day >= first_day
        counts.attempts += measured
        counts.controls += measured and control is not None
        buyer_rate = 60 / abusers.abuse.handover_seconds  # a minute
        while True:
            stuffing = abusers.stuffing_rate()
            pick = draw.random() * (buyer_rate + bot_rate + stuffing + waiting_rate())
            if pick < buyer_rate:
                winner = buyer
            elif pick < buyer_rate + bot_rate:
                return bot_takes(slot_day, day, draw)
            elif pick < buyer_rate + bot_rate + stuffing:
                return stuff(slot_day)
            else:
                picked = waiting.pick(draw, rates)
                assert picked is not None  # someone waits: the race's rate counts them
                winner = picked
                if winner != buyer and draw.random() >= behaviour.offer_acceptance:
                    continue  # the date does not suit them: the race goes on
            if measured and winner == buyer:
                counts.handed_over += 1
                deadline = people.deadline[buyer]
                counts.jumped += any(people.deadline[person] < deadline for person in waiting.slot)
            counts.control_got_it += measured and winner == control
            book(winner, slot_day, day, by_bot=winner == buyer)
            return

    def stuff(slot_day: int) -> None:
        """The stuffing bot books a slot under one of its fake identities."""
        assert abusers is not None
        abusers.pending -= 1
        abusers.fake_slots[slot_day] = abusers.fake_slots.get(slot_day, 0) + 1
        ledger.take(slot_day, by_bot=True)
        if slot_day >= first_day:
            abusers.counts.fake_dated += 1

    def abuser_checks(pick: float, day: int) -> None:
        """A check by the stuffing bot (while it has identities left) or the scalper's (while
        it has buyers): each takes what it needs, up to `bot_grab` slots."""
        assert abusers is not None
        if pick < abusers.stuffing_rate():
            for _ in range(min(legacy.bot_grab, abusers.pending, len(open_slots))):
                stuff(heapq.heappop(open_slots))
            return
        for _ in range(min(legacy.bot_grab, len(open_slots))):
            if not abusers.orders:
                break
            abusers.counts.bookings += day >= first_day
            hand_over(heapq.heappop(open_slots), day)

    def close_window(now: int) -> None:
        nonlocal open_since
        assert open_since is not None  # a window closes once open
        since = max(open_since, first_day * MINUTES)
        ledger.open_minutes += max(0, now - since)
        period = legacy.probe_minutes
        first = -(-(since - probe_phase) // period)
        last = -(-(now - probe_phase) // period)
        ledger.probes_offered += max(0, last - first)
        open_since = None

    for day in range(days):
        while next_person is not None and people.arrival[next_person] == day:
            person = next_person
            waiting.add(person, people.channel[person])
            stop_day = min(people.give_up_day[person], people.expiry[person])
            for when in {stop_day, people.withdraw_day[person]}:
                if when < days:
                    stops.setdefault(when, []).append(person)
            next_person = next(arrivals, None)
        for person in () if files is None else files.back(day, ledger):
            # Back to the race, with the patience they had the first time; a permit that
            # expired meanwhile does not stop them (they still need the title).
            waiting.add(person, people.channel[person])
            trying_since[person] = day
            stop_day = day + people.give_up_day[person] - people.arrival[person]
            if people.expiry[person] > day:
                stop_day = min(stop_day, people.expiry[person])
            if stop_day < days:
                stops.setdefault(stop_day, []).append(person)
        if abusers is not None:
            abusers.start_day(day, waiting)
        cancelled: list[Release] = []
        for person in stops.pop(day, ()):
            if person in waiting:
                expired = people.expiry[person] == day and people.withdraw_day[person] != day
                stop_trying(person, day, EXPIRED if expired else WITHDRAWN)
            elif booked.get(person, -1) > day and people.withdraw_day[person] == day:
                # A cancelled appointment goes back online, at some moment of the day.
                slot_day = booked.pop(person)
                appointments[slot_day].remove(person)
                ledger.end[person] = WITHDRAWN
                cancelled.append((rng.randrange(MINUTES), [slot_day]))
        for person in appointments.pop(day, ()):
            booked.pop(person)
            if people.no_show[person]:
                ledger.end[person] = WITHDRAWN
                ledger.lose("no_show", day)
            elif files is None or files.visit(person, day):
                ledger.end[person] = SERVED
                ledger.seen_day[person] = day
        if abusers is not None:
            # Nobody comes under a fake identity: the slot is lost.
            for _ in range(abusers.fake_slots.pop(day, 0)):
                ledger.lose("bots", day)
                abusers.counts.fake_at_counter += day >= first_day
        while open_slots and open_slots[0] <= day:
            ledger.lose("idle", heapq.heappop(open_slots))
        if not open_slots and open_since is not None:
            close_window(day * MINUTES)

        events = sorted(plan.pop(day, []) + cancelled)
        minute, index = 0.0, 0
        while True:
            next_event = events[index][0] if index < len(events) else MINUTES
            if open_slots:
                people_rate = len(waiting.lists[WEB]) * rates[WEB]
                people_rate += len(waiting.lists[OTHER]) * rates[OTHER]
                abuse_rate = 0.0 if abusers is None else abusers.rate()
                total = people_rate + bot_rate + abuse_rate
                step = rng.expovariate(total) if total else MINUTES
            else:
                step = MINUTES
            if minute + step >= next_event:
                if index == len(events):
                    break
                minute = next_event
                for slot_day in events[index][1]:
                    if slot_day > day:
                        heapq.heappush(open_slots, slot_day)
                    else:
                        ledger.lose("idle", slot_day)
                index += 1
                if open_slots and open_since is None:
                    open_since = day * MINUTES + int(minute)
                continue
            minute += step
            pick = rng.random() * total
            if pick < bot_rate:
                for _ in range(min(legacy.bot_grab, len(open_slots))):
                    bot_takes(heapq.heappop(open_slots), day, rng)
            elif pick < bot_rate + abuse_rate:
                abuser_checks(pick - bot_rate, day)
            else:
                picked = waiting.pick(rng, rates)
                assert picked is not None  # someone waits: `people_rate` counts them
                if rng.random() < behaviour.offer_acceptance:
                    book(picked, heapq.heappop(open_slots), day, by_bot=False)
            if not open_slots:
                close_window(day * MINUTES + int(minute))

    if open_since is not None:
        close_window(days * MINUTES)
    ledger.probes = (days - first_day) * MINUTES // legacy.probe_minutes
    for person in list(waiting.slot):
        stop_trying(person, days, WAITING)
    return ledger
