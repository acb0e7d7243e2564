"""Capacity planning: see what a new opening rule, exceptional session or closure does to the
queue before applying it, then apply it.

An exceptional session (a Saturday, an evening, a temporary desk at a university site) is an
opening rule valid on one day: it is listed with the other rules, it gives way to closures and
public holidays like them, and `open_capacity` turns it into units the same way.

The preview runs the real allocation engine on the units the préfecture would have with and
without the change, for the waiting requests of the services concerned. Nothing is written: the
change is saved only inside a transaction that is rolled back, to let `open_units` read it.
"""

import dataclasses
import datetime
import statistics

from django.db import transaction
from django.utils import timezone

from guichet.allocation import FreeUnit, allocate
from guichet.booking.enums import LossReason, OfferStatus, RequestStatus
from guichet.booking.models import Appointment, LostUnit, Offer
from guichet.booking.offers import MIN_NOTICE, make_offers
from guichet.booking.services import allocate_prefecture, free_units, waiting_requests
from guichet.catalogue.capacity import open_capacity, open_units
from guichet.catalogue.models import Closure, OpeningRule, Prefecture, Unit

from .journal import log_closure_added, log_opening_added

# The preview draws one fixed lottery: the same change always shows the same figures.
PREVIEW_SEED = 0


class AppointmentsOnClosure(Exception):
    """A closure would fall on days where people already have a date (or are offered one).

    Guichet never moves a date later without the person's consent, so a closure is applied over
    them only when the manager chooses to keep them: those people are still received.
    """

    def __init__(self, appointments, offers):
        super().__init__(f"{len(appointments)} appointments, {offers} pending offers")
        self.appointments = appointments
        self.offers = offers


@dataclasses.dataclass(frozen=True)
class Preview:
    """What a change would do to the queue, in numbers a manager can weigh before applying it.

    `waiting`: requests waiting for a date in the services concerned (the change's service; for a
    closure, all the préfecture's). `dated_*`: how many of them the next batch would date.
    `median_wait_*`: median, over those same waiting requests, of the days from registration to
    the date the batch would give; a request left without a date counts as the longest wait, so
    None means more than half would still have no date. `offerable_*`: people who already have a
    date, accept earlier ones, and could be offered a free unit earlier at a site they accept.
    """

    units_added: int
    units_withdrawn: int
    waiting: int
    dated_before: int
    dated_after: int
    median_wait_before: float | None
    median_wait_after: float | None
    offerable_before: int
    offerable_after: int
    appointments_on_closure: list
    offers_on_closure: int

    @property
    def newly_dated(self) -> int:
        return self.dated_after - self.dated_before

    @property
    def blocked(self) -> bool:
        """A closure over appointments: applying it needs the manager's explicit choice."""
        return bool(self.appointments_on_closure or self.offers_on_closure)


@dataclasses.dataclass(frozen=True)
class Applied:
    units_opened: int
    units_withdrawn: int
    dated: int
    offers: int


def horizon(prefecture: Prefecture, now) -> tuple[datetime.date, datetime.date]:
    """The days `open_capacity` materialises: today up to the préfecture's horizon."""
    today = timezone.localdate(now, prefecture.tz)
    return today, today + datetime.timedelta(weeks=prefecture.horizon_weeks)


def day_bounds(prefecture: Prefecture, first: datetime.date, last: datetime.date):
    """The instants a range of local days starts and ends at."""
    tz = prefecture.tz
    return (
        datetime.datetime.combine(first, datetime.time(), tzinfo=tz),
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(), tzinfo=tz),
    )


def units_on_closure(closure: Closure):
    starts, ends = day_bounds(closure.prefecture, closure.starts_on, closure.ends_on)
    units = Unit.objects.filter(
        site__prefecture=closure.prefecture, starts_at__gte=starts, starts_at__lt=ends
    )
    return units.filter(site=closure.site) if closure.site_id else units


def appointments_on_closure(closure: Closure) -> list[Appointment]:
    """People holding a date on the days the closure covers."""
    return list(
        Appointment.objects.filter(
            unit__in=units_on_closure(closure), request__status=RequestStatus.DATED
        )
        .select_related("unit__site", "unit__service", "request")
        .order_by("unit__starts_at", "unit__desk")
    )


def offers_on_closure(closure: Closure) -> int:
    return Offer.objects.filter(
        unit__in=units_on_closure(closure), status=OfferStatus.PENDING
    ).count()


def units_withdrawn_by(closure: Closure):
    """Free units on the closed days (no appointment, no pending offer, not yet withdrawn).

    They are kept, recorded as lost to the closure, so their offers' history stays."""
    return (
        units_on_closure(closure)
        .filter(appointment__isnull=True, loss__isnull=True)
        .exclude(offers__status=OfferStatus.PENDING)
    )


def units_to_open(prefecture: Prefecture, now, change=None) -> set:
    """(site, service, start, desk) of the units `open_capacity` would add, with the change.

    The change is saved inside a rolled-back transaction so that `open_units` reads it exactly as
    it will once applied (public holidays, closures, slots).
    """
    first, last = horizon(prefecture, now)
    starts, _ = day_bounds(prefecture, first, first)
    existing = set(
        Unit.objects.filter(site__prefecture=prefecture, starts_at__gte=starts).values_list(
            "site_id", "service_id", "starts_at", "desk"
        )
    )
    with transaction.atomic():
        if change is not None:
            change.save()
        opened = {
            (site, service, begins, desk)
            for site, service, begins, _ends, desk in open_units(prefecture, first, last)
        }
        transaction.set_rollback(True)
    if change is not None:
        change.pk = None
        change._state.adding = True
    return opened - existing


def dated_requests_open_to_offers(service, now) -> dict:
    """request id -> (its date, the sites it accepts), for those an offer could move earlier."""
    dated: dict = {}
    for request_id, starts_at, site in (
        Appointment.objects.filter(
            unit__service=service,
            unit__starts_at__gt=now,
            request__status=RequestStatus.DATED,
            request__accepts_offers=True,
        )
        .exclude(request__offers__status=OfferStatus.PENDING)
        .values_list("request_id", "unit__starts_at", "request__sites")
    ):
        dated.setdefault(request_id, (starts_at, set()))[1].add(site)
    return dated


def offerable(dated: dict, units: list[FreeUnit], taken: set) -> int:
    """How many dated people have a unit left over earlier than their date at a site they accept."""
    earliest: dict = {}
    for unit in units:
        if unit.key not in taken:
            earliest[unit.site] = min(unit.start, earliest.get(unit.site, unit.start))
    return sum(
        any(site in earliest and earliest[site] < date for site in sites)
        for date, sites in dated.values()
    )


def waits_in_days(prefecture, waiting, units, assignments) -> list[float]:
    """Days from registration to the date given; no date counts as an endless wait."""
    tz = prefecture.tz
    starts = {unit.key: unit.start for unit in units}
    return [
        (
            timezone.localdate(starts[assignments[request.key]], tz)
            - timezone.localdate(request.registered_at, tz)
        ).days
        if request.key in assignments
        else float("inf")
        for request in waiting
    ]


def median_or_none(waits: list[float]) -> float | None:
    if not waits:
        return None
    median = statistics.median(waits)
    return None if median == float("inf") else median


@dataclasses.dataclass
class _Scenario:
    dated: int = 0
    offerable: int = 0
    waits: list = dataclasses.field(default_factory=list)

    def run(self, prefecture, waiting, units, dated_people):
        assignments = allocate(waiting, units, seed=PREVIEW_SEED).assignments
        self.dated += len(assignments)
        self.offerable += offerable(dated_people, units, set(assignments.values()))
        self.waits += waits_in_days(prefecture, waiting, units, assignments)


def new_units(keys: set, service, soonest) -> list[FreeUnit]:
    """The service's units still to be created, as the engine sees them, from `soonest` on."""
    return [
        FreeUnit(key=("new", site, begins, desk), site=site, start=begins)
        for site, unit_service, begins, desk in keys
        if unit_service == service.pk and begins > soonest
    ]


def concerned_services(prefecture: Prefecture, change):
    if isinstance(change, OpeningRule):
        return [change.service]
    return list(prefecture.services.all())


def preview(prefecture: Prefecture, change, now=None) -> Preview:
    """The change's effect on the queue, computed with the real engine and nothing written."""
    now = now or timezone.now()
    check_belongs(prefecture, change)
    if isinstance(change, Closure):
        change.prefecture = prefecture
        withdrawn = set(units_withdrawn_by(change).values_list("id", flat=True))
        on_closure, offers_held = appointments_on_closure(change), offers_on_closure(change)
    else:
        withdrawn, on_closure, offers_held = set(), [], 0
    without = units_to_open(prefecture, now)
    with_change = units_to_open(prefecture, now, change)
    soonest = now + MIN_NOTICE
    before, after = _Scenario(), _Scenario()
    waiting_count = 0
    for service in concerned_services(prefecture, change):
        waiting = waiting_requests(service, now)
        waiting_count += len(waiting)
        current = [
            FreeUnit(key=unit_id, site=site_id, start=starts)
            for unit_id, site_id, starts in free_units(service)
            .filter(starts_at__gt=soonest)
            .values_list("id", "site_id", "starts_at")
        ]
        dated_people = dated_requests_open_to_offers(service, now)
        kept = [unit for unit in current if unit.key not in withdrawn]
        usable_before = current + new_units(without, service, soonest)
        usable_after = kept + new_units(with_change, service, soonest)
        before.run(prefecture, waiting, usable_before, dated_people)
        after.run(prefecture, waiting, usable_after, dated_people)
    return Preview(
        units_added=len(with_change - without),
        units_withdrawn=len(withdrawn),
        waiting=waiting_count,
        dated_before=before.dated,
        dated_after=after.dated,
        median_wait_before=median_or_none(before.waits),
        median_wait_after=median_or_none(after.waits),
        offerable_before=before.offerable,
        offerable_after=after.offerable,
        appointments_on_closure=on_closure,
        offers_on_closure=offers_held,
    )


def check_belongs(prefecture: Prefecture, change) -> None:
    site_ids = {change.site.prefecture_id} if change.site_id else set()
    if isinstance(change, OpeningRule):
        site_ids.add(change.service.prefecture_id)
    if site_ids - {prefecture.pk}:
        raise ValueError("the change concerns another préfecture")


def apply(prefecture: Prefecture, change, user, now=None, keep_appointments=False) -> Applied:
    """Record the change, open (or withdraw) its units, date waiting requests, make offers.

    A closure over existing appointments raises `AppointmentsOnClosure` unless the manager chose
    to keep them: their holders are still received on those days.
    """
    now = now or timezone.now()
    check_belongs(prefecture, change)
    withdrawn = 0
    with transaction.atomic():
        if isinstance(change, Closure):
            change.prefecture = prefecture
            on_closure, offers_held = appointments_on_closure(change), offers_on_closure(change)
            if (on_closure or offers_held) and not keep_appointments:
                raise AppointmentsOnClosure(on_closure, offers_held)
            change.save()
            withdrawn_ids = list(units_withdrawn_by(change).values_list("id", flat=True))
            withdrawn = len(withdrawn_ids)
            LostUnit.objects.bulk_create(
                LostUnit(unit_id=unit_id, recorded_at=now, reason=LossReason.CLOSED)
                for unit_id in withdrawn_ids
            )
            kept = len(on_closure)
        else:
            change.save()
        opened = open_capacity(prefecture)
    dated = sum(batch.dated for batch in allocate_prefecture(prefecture, now=now))
    make_offers(now, prefecture=prefecture)
    offers = Offer.objects.filter(request__prefecture=prefecture, made_at=now).count()
    applied = Applied(units_opened=opened, units_withdrawn=withdrawn, dated=dated, offers=offers)
    if isinstance(change, Closure):
        log_closure_added(
            user, prefecture, change, appointments_kept=kept, applied=dataclasses.asdict(applied)
        )
    else:
        log_opening_added(user, prefecture, change, applied=dataclasses.asdict(applied))
    return applied
