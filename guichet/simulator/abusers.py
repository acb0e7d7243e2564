"""Fake identities and scalpers inside a run, under either policy (`scenario.Abuse`).

Both policies meet the same abusers: the days fake identities appear and who would buy from a
scalper are drawn from the seed alone, on a stream of their own, so the real people (and the
run without abuse) stay exactly those of `population.draw_people`.

- Stuffing. Legacy: a bot books one slot per fake identity as soon as it sees one open.
  Guichet: each fake identity is registered as a request and dated like anyone; the service
  asks for a reconfirmation `reconfirm_days_before` days ahead and releases an unanswered date
  two days later (`booking.reminders.release_unconfirmed`); the request is paused until the
  person says they still need a date, which a bot that never reconfirms never does, and closes
  after `pause_answer_days` (`release_requeues`: the rule before, straight back in line with its
  registration and deadline). A bot that presses « J'ai toujours besoin d'un rendez-vous » at
  every release (`bot_presses_still_needed`) puts its fake back `self_resumes` times, as the
  service allows; after that only the préfecture could, papers checked, so the fake stays
  paused and closes. The agent's check the day before finds a share of fakes (their request is
  cancelled and the unit released); the rest never come and the unit is lost.
- Scalping (Hakimov et al., AER 2021). A person still without a date `pays_after_days` after
  asking may buy one (`buyer_share`) at `price`, paid on delivery. The hand-over is
  cancel-and-rebook: the scalper cancels a slot it holds under a placeholder identity and the
  buyer books it. Legacy: the scalper books to order and cancels at the agreed moment; the
  freed slot goes to whoever checks first. Guichet: identity is fixed at registration and
  checked at the counter, so the scalper must register placeholders ahead (they take days to
  be dated) and can only cancel one: the unit goes down the queue (`Queue.free`) like any freed
  unit, and the buyer gets it only if first in line.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, fields

import numpy as np

from .batch import MINUTES, Queue, run_batch
from .legacy import run_legacy
from .outcome import WITHDRAWN, Ledger, Metrics
from .population import NEVER, WEB, People
from .scenario import Abuse, Scenario

STREAM = 7  # appended to the pool's seed: the abusers' draws never move the people's


@dataclass
class Plan:
    """What the abusers do that does not depend on the policy."""

    fakes: list[int]  # day each stuffing identity appears
    placeholders: list[int]  # guichet: day the scalper registers each placeholder
    buys: list[bool]  # per real person: would buy a slot once the free route failed them
    rng: random.Random  # decisions during the run (reconfirming, detection, the hand-over race)


def draw_plan(abuse: Abuse, people: People, days: int, seed: int, key: tuple[int, int]) -> Plan:
    """The pool's abusers from its seed and key alone: fakes and placeholders appear as Poisson
    arrivals, and each real person would buy from a scalper with probability `buyer_share`."""
    draw = np.random.default_rng([seed, *key, STREAM])

    def appearances(per_day: float) -> list[int]:
        return np.repeat(np.arange(days), draw.poisson(per_day, days)).tolist() if per_day else []

    fakes = appearances(abuse.fakes_per_day)
    placeholders = appearances(abuse.placeholders_per_day if abuse.scalper else 0.0)
    buys = draw.random(len(people)) < (abuse.buyer_share if abuse.scalper else 0.0)
    return Plan(fakes, placeholders, buys.tolist(), random.Random(f"{seed}:{key}:abuse"))


@dataclass
class Counts:
    """One pool's abuse record; like the ledger, it counts from the warm-up's end on."""

    fakes: int = 0  # fake identities registered (stuffing bots' and the scalper's placeholders)
    fake_dated: int = 0  # units given to a fake identity (guichet: distinct units)
    fake_after_reconfirmation: int = 0  # units whose fake holder answered the reconfirmation
    fake_at_counter: int = 0  # units still held by a fake on their day: nobody comes, lost
    released_by_reconfirmation: int = 0
    pressed_still_needed: int = 0  # paused fakes a bot put back in line by pressing the button
    released_on_detection: int = 0
    orders: int = 0  # people who asked a scalper for a slot
    bookings: int = 0  # the scalper's bookings or registrations under a placeholder
    attempts: int = 0  # cancel-and-rebook hand-overs tried
    handed_over: int = 0  # ... and those where the buyer got the slot
    # A control for each attempt: another customer, told nothing. Their odds are what the
    # buyer's would be without the arrangement.
    controls: int = 0
    control_got_it: int = 0
    # Hand-overs to a buyer while someone who could take the slot had an earlier deadline.
    jumped: int = 0

    def add(self, other: Counts) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


def _order_days(abuse: Abuse, people: People, plan: Plan, days: int) -> dict[int, list[int]]:
    """day -> real people who, still without a date that day, would buy one."""
    due: dict[int, list[int]] = {}
    for person, buys in enumerate(plan.buys):
        day = people.arrival[person] + abuse.pays_after_days
        if buys and day < days:
            due.setdefault(day, []).append(person)
    return due


class LegacyAbusers:
    """State of the stuffing bot and the scalper in today's race; `legacy.run_legacy` acts."""

    def __init__(self, scenario: Scenario, people: People, plan: Plan, days: int) -> None:
        self.abuse, self.rng = scenario.abuse, plan.rng
        self.first_day = 7 * scenario.warmup_weeks
        self.appearing = Counter(plan.fakes)
        self.order_days = _order_days(self.abuse, people, plan, days)
        self.pending = 0  # fake identities the stuffing bot has not booked with yet
        self.fake_slots: dict[int, int] = {}  # day -> slots held under fake identities
        self.orders: dict[int, None] = {}  # buyers waiting for the scalper
        self.counts = Counts()
        self.bot_rate = 1 / scenario.legacy.bot_check_minutes

    def start_day(self, day: int, waiting: Container[int]) -> None:
        appearing = self.appearing.pop(day, 0)
        self.pending += appearing
        if day >= self.first_day:
            self.counts.fakes += appearing
        for person in self.order_days.pop(day, ()):
            if person in waiting:
                self.orders[person] = None
                self.counts.orders += day >= self.first_day

    def stuffing_rate(self) -> float:
        return self.abuse.stuffer_bots * self.bot_rate if self.pending else 0.0

    def rate(self) -> float:
        scalping = self.abuse.scalper_bots * self.bot_rate if self.orders else 0.0
        return self.stuffing_rate() + scalping


class GuichetAbusers:
    """Fake identities in Guichet's queue, the service's reconfirmation and the agent's check,
    and the scalper's cancel-and-rebook hand-overs; hooked into `batch.run_batch`."""

    def __init__(
        self,
        scenario: Scenario,
        plan: Plan,
        fakes: set[int],
        placeholders: set[int],
        order_days: dict[int, list[int]],
    ) -> None:
        self.abuse, self.rng = scenario.abuse, plan.rng
        self.first_day = 7 * scenario.warmup_weeks
        self.min_lead = scenario.batch.min_lead_days
        self.fakes, self.placeholders = fakes | placeholders, placeholders
        self.order_days: dict[int, list[int]] = order_days
        self.orders: dict[int, None] = {}
        self.checks: dict[int, list[tuple[int, int]]] = {}  # day -> (fake, unit) to check
        self.detections: dict[int, list[tuple[int, int]]] = {}
        self.closing: dict[int, list[int]] = {}  # day -> paused fakes closing unanswered
        self.dated: set[int] = set()
        self.reconfirmed: set[int] = set()
        self.pressed: Counter[int] = Counter()  # fake -> times its bot put it back in line itself
        self.fake_takes = 0  # dates given to fakes, as the ledger counts dates taken
        self.counts = Counts()

    def attach(self, queue: Queue) -> None:
        self.queue = queue
        queue.silent = frozenset(self.fakes)
        queue.on_book = self.on_book

    def on_book(self, person: int, unit: int, day: int) -> None:
        """A date given. A real person no longer needs a scalper; a fake's date is asked to be
        reconfirmed (released two days after asking, in a later run) and checked the day
        before by the agent."""
        if person not in self.fakes:
            self.orders.pop(person, None)
            return
        unit_day = unit // MINUTES
        if unit_day >= self.first_day:
            self.dated.add(unit)
            self.fake_takes += 1
        release_day = max(day + 1, unit_day - self.abuse.reconfirm_days_before + 2)
        self.checks.setdefault(release_day, []).append((person, unit))
        self.detections.setdefault(unit_day - 1, []).append((person, unit))

    def holds(self, person: int, unit: int) -> bool:
        return self.queue.booked.get(person) == unit

    def cancel(self, fake: int, now: int) -> int:
        """The fake's request is cancelled (detected, or by the scalper): its unit is freed."""
        unit = self.queue.unbook(fake)
        self.queue.ledger.end[fake] = WITHDRAWN
        return unit

    def start_day(self, day: int, now: int) -> None:
        queue, counts, measured = self.queue, self.counts, day >= self.first_day
        for person in self.order_days.pop(day, ()):
            if person in queue.waiting:
                self.orders[person] = None
                counts.orders += measured
        for fake in self.closing.pop(day, ()):
            queue.ledger.end[fake] = WITHDRAWN
        for fake, unit in self.checks.pop(day, ()):
            if not self.holds(fake, unit):
                continue
            answers = 1.0 if fake in self.placeholders else self.abuse.bot_reconfirmation
            if self.rng.random() < answers:
                if unit // MINUTES >= self.first_day:
                    self.reconfirmed.add(unit)
                continue
            # Released: paused, as the service does, until an answer that never comes, or back
            # in line by the button while the service lets the person press it; or, the rule
            # before, back in line at once with its registration and deadline.
            queue.unbook(fake)
            if self.abuse.release_requeues:
                queue.register(fake)
            elif self.presses_still_needed(fake):
                self.pressed[fake] += 1
                counts.pressed_still_needed += measured
                queue.register(fake)
            else:
                self.closing.setdefault(day + self.abuse.pause_answer_days, []).append(fake)
            counts.released_by_reconfirmation += unit // MINUTES >= self.first_day
            queue.free(unit, now, passed={fake})
        for fake, unit in self.detections.pop(day, ()):
            if self.holds(fake, unit) and self.rng.random() < self.abuse.counter_detection:
                counts.released_on_detection += unit // MINUTES >= self.first_day
                queue.free(self.cancel(fake, now), now)
        self.sell(day, now)
        if measured:
            counts.fake_at_counter += sum(
                person in self.fakes for _, person in queue.appointments.get(day, ())
            )

    def presses_still_needed(self, fake: int) -> bool:
        """The bot presses at every release; the service takes it `self_resumes` times."""
        return self.abuse.bot_presses_still_needed and self.pressed[fake] < self.abuse.self_resumes

    def sell(self, day: int, now: int) -> None:
        """One cancel-and-rebook a day per buyer, the scalper's earliest placeholder dates first,
        from the minimum lead on (the buyer has no date: an earlier unit could not be theirs)."""
        queue = self.queue
        if not self.orders:
            return
        stock = sorted(
            (unit, fake)
            for fake in self.placeholders
            if (unit := queue.booked.get(fake)) is not None
            and unit // MINUTES >= day + self.min_lead
        )
        stock.reverse()
        for buyer in [buyer for buyer in self.orders if buyer not in queue.waiting]:
            del self.orders[buyer]
        buyers = list(self.orders)
        self.rng.shuffle(buyers)  # the scalper does not know its customers' places in line
        for buyer in buyers:
            if buyer not in queue.waiting:
                continue  # dated meanwhile, by an earlier cascade
            while stock and queue.booked.get(stock[-1][1]) != stock[-1][0]:
                stock.pop()  # no longer held
            if not stock:
                return
            unit, fake = stock.pop()
            others = [other for other in self.orders if other != buyer and other in queue.waiting]
            control = self.rng.choice(others) if others else None
            front = queue.front(unit, now)  # with the placeholder still holding the unit
            queue.free(self.cancel(fake, now), now)
            if day >= self.first_day:
                self.counts.attempts += 1
                got_it = queue.booked.get(buyer) == unit
                self.counts.handed_over += got_it
                self.counts.jumped += (
                    got_it and front is not None and queue.people.deadline[buyer] > front
                )
                if control is not None:
                    self.counts.controls += 1
                    self.counts.control_got_it += queue.booked.get(control) == unit

    def finish(self) -> None:
        self.counts.fake_dated = len(self.dated)
        self.counts.fake_after_reconfirmation = len(self.reconfirmed)


def _with_fakes(
    people: People, plan: Plan, service_deadline: int
) -> tuple[People, list[int], set[int], set[int]]:
    """People and fake identities in one list sorted by arrival (real people first on a day):
    positions of the real people, the stuffing fakes and the scalper's placeholders."""
    rows = [(day, 0, person) for person, day in enumerate(people.arrival)]
    rows += [(day, 1, index) for index, day in enumerate(plan.fakes)]
    rows += [(day, 2, index) for index, day in enumerate(plan.placeholders)]
    rows.sort()
    names = [item.name for item in fields(People)]
    merged = People(*([] for _ in names))
    real = [0] * len(people)
    fakes: set[int] = set()
    placeholders: set[int] = set()
    for position, (day, kind, index) in enumerate(rows):
        if kind == 0:
            real[index] = position
            row = {name: getattr(people, name)[index] for name in names}
        else:
            (fakes if kind == 1 else placeholders).add(position)
            row = {
                "arrival": day,
                "deadline": day + service_deadline,  # the service's, as for anyone
                "expiry": NEVER,
                "channel": WEB,
                "withdraw_day": NEVER,
                "give_up_day": NEVER,
                "no_show": True,  # nobody can come under someone else's identity
            }
        for name in names:
            getattr(merged, name).append(row[name])
    return merged, real, fakes, placeholders


def _real_ledger(ledger: Ledger, real: list[int], counts: Counts, fake_takes: int) -> Ledger:
    """The ledger of real people only; units lost to fakes count as lost to bots."""
    lost = dict(ledger.lost)
    lost["no_show"] -= counts.fake_at_counter
    lost["bots"] += counts.fake_at_counter
    return Ledger(
        end=[ledger.end[i] for i in real],
        seen_day=[ledger.seen_day[i] for i in real],
        checks=[ledger.checks[i] for i in real],
        first_day=ledger.first_day,
        lost=lost,
        units=ledger.units,
        taken_by_bots=ledger.taken_by_bots + fake_takes,
        taken_by_people=ledger.taken_by_people - fake_takes,
        open_minutes=ledger.open_minutes,
        probes=ledger.probes,
        probes_offered=ledger.probes_offered,
        offers_made=ledger.offers_made,
        offers_accepted=ledger.offers_accepted,
    )


def run_pool(
    policy: str,
    people: People,
    units: list[int],
    scenario: Scenario,
    rng: random.Random,
    plan: Plan,
    target_wait_days: int,
) -> tuple[Ledger, Counts]:
    """One pool under attack: the ledger of its real people, and the abusers' record."""
    days = len(units)
    if policy == "legacy":
        racing = LegacyAbusers(scenario, people, plan, days)
        ledger = run_legacy(people, units, scenario, rng, racing)
        counts = racing.counts
        counts.fake_after_reconfirmation = counts.fake_dated  # today's module asks nothing
        return ledger, counts
    merged, real, fakes, placeholders = _with_fakes(people, plan, target_wait_days)
    order_days = {
        day: [real[person] for person in persons]
        for day, persons in _order_days(scenario.abuse, people, plan, days).items()
    }
    abusers = GuichetAbusers(scenario, plan, fakes, placeholders, order_days)
    ledger = run_batch(merged, units, scenario, rng, abusers)
    abusers.finish()
    counts = abusers.counts
    first_day = 7 * scenario.warmup_weeks
    counts.fakes = sum(merged.arrival[i] >= first_day for i in abusers.fakes)
    counts.bookings = sum(merged.arrival[i] >= first_day for i in placeholders)
    return _real_ledger(ledger, real, counts, abusers.fake_takes), counts


def figures(abuse: Abuse, counts: Counts, units: int, taken: int, weeks: int) -> Metrics:
    """The abusers' record as shares and money: `units` is the capacity of the measured days,
    `taken` the appointments given from it."""
    revenue = abuse.price * counts.handed_over
    cost = abuse.booking_cost * counts.bookings

    def share(count: float, whole: int) -> float:
        return count / whole if whole else 0.0

    def rate(count: int, whole: int) -> float | None:
        return count / whole if whole else None

    return {
        "counts": {item.name: getattr(counts, item.name) for item in fields(counts)},
        "units": units,
        "taken": taken,
        # Shares of the capacity of the measured days held by fake identities, step by step.
        "fake_share": {
            "dated": share(counts.fake_dated, units),
            "after_reconfirmation": share(counts.fake_after_reconfirmation, units),
            "at_counter": share(counts.fake_at_counter, units),
            "released_on_detection": share(counts.released_on_detection, units),
            "attended": 0.0,  # identity is checked at the counter: a fake never comes
        },
        "scalper": {
            "share_of_appointments": share(counts.handed_over, taken),
            "handover_success": rate(counts.handed_over, counts.attempts),
            "control_success": rate(counts.control_got_it, counts.controls),
            "revenue": revenue,
            "cost": cost,
            "profit": revenue - cost,
            "profit_per_week": share(revenue - cost, weeks),
        },
    }


class AbuseTally:
    """Adds up the pools' abuse records."""

    def __init__(self, scenario: Scenario) -> None:
        self.abuse = scenario.abuse
        self.counts = Counts()
        self.units = 0
        self.taken = 0

    def add(self, counts: Counts, ledger: Ledger) -> None:
        self.counts.add(counts)
        self.units += ledger.units
        self.taken += ledger.taken_by_bots + ledger.taken_by_people

    def metrics(self, weeks: int) -> Metrics:
        return figures(self.abuse, self.counts, self.units, self.taken, weeks)
