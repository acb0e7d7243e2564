"""Freed units go down the queue: one offer at a time, in the allocation's priority order.

A unit freed by a cancellation, a release or new capacity goes to the highest-priority request
(the same rule as a batch: deadline, then a lottery, then registration) that can use it and whose
current date is later. A waiting request gets it as its first date; a dated one is asked, and has
a limited time to accept. Nobody's date ever moves later, and nobody is moved without consent.
"""

import collections
import dataclasses
import datetime
import secrets
from operator import attrgetter
from typing import cast

from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone

from guichet.allocation import FreeUnit, WaitingRequest, answer_window, choose_for_unit
from guichet.allocation.engine import OFFER_MIN_NOTICE_MINUTES, OFFER_MIN_WINDOW_MINUTES
from guichet.catalogue.models import Service, Unit
from guichet.notifications.services import notify, queue_all, unrendered

from . import history
from .calendar import appointment_ics
from .enums import LossReason, OfferStatus, RequestStatus
from .models import Appointment, LostUnit, Offer, Request, RequestEvent
from .services import (
    dated_messages,
    free_units,
    hold_service,
    notify_dated,
    on_time_until,
)

MIN_NOTICE = datetime.timedelta(minutes=OFFER_MIN_NOTICE_MINUTES)
MIN_WINDOW = datetime.timedelta(minutes=OFFER_MIN_WINDOW_MINUTES)


def acceptance_window(service: Service, starts_at, now) -> datetime.timedelta | None:
    """24 h to answer, 2 h when the slot is near (per service); None when it is too late."""
    return answer_window(
        starts_at - now,
        long=datetime.timedelta(hours=service.offer_window_hours),
        short=datetime.timedelta(hours=service.offer_short_window_hours),
        short_within=datetime.timedelta(hours=service.offer_short_window_within_hours),
        min_notice=MIN_NOTICE,
        min_window=MIN_WINDOW,
    )


def able_to_take(requests, unit: Unit):
    """Those of `requests` who accept the unit's site, were never offered it nor released from
    it, and have no offer pending: conditions on indexed lookups, checked row by row."""
    return (
        requests.filter(
            Exists(
                Request.sites.through.objects.filter(
                    request_id=OuterRef("pk"), site_id=unit.site_id
                )
            )
        )
        .exclude(Exists(Offer.objects.filter(request_id=OuterRef("pk"), unit=unit)))
        .exclude(
            Exists(Offer.objects.filter(request_id=OuterRef("pk"), status=OfferStatus.PENDING))
        )
        .exclude(
            Exists(
                RequestEvent.objects.filter(
                    history.released_from(unit.pk), request_id=OuterRef("pk")
                )
            )
        )
    )


def in_line(unit: Unit, status: str):
    return Request.objects.filter(
        prefecture_id=unit.service.prefecture_id, service_id=unit.service_id, status=status
    )


def waiting_for(unit: Unit, now):
    """Waiting requests that could take the unit: none while it is inside the lead time."""
    lead = datetime.timedelta(days=unit.service.prefecture.min_lead_days)
    if unit.starts_at < now + lead:
        return Request.objects.none()
    return able_to_take(in_line(unit, RequestStatus.WAITING), unit)


def dated_for(unit: Unit):
    """Dated requests that want earlier dates and hold a date later than the unit."""
    return able_to_take(
        in_line(unit, RequestStatus.DATED).filter(
            accepts_offers=True, appointment__unit__starts_at__gt=unit.starts_at
        ),
        unit,
    )


# Dated requests walked in deadline order before looking from the unit's side instead.
DATED_WALK = 200


def lowest_dated_deadline(unit: Unit):
    """The lowest deadline among the dated requests that could take the unit.

    A batch dates the most urgent first, so dated requests hold dates roughly in deadline
    order: walking them by deadline finds one with a date later than an early unit within a
    few rows, but walks nearly all of them for a late unit; the dates later than a late unit,
    few, find it instead (`appointment__unit__starts_at` on the units' index).
    """
    dated = dated_for(unit)
    head = in_line(unit, RequestStatus.DATED).order_by("deadline").values("pk")[:DATED_WALK]
    found = dated.filter(pk__in=head).order_by("deadline").values_list("deadline", flat=True)
    return found.first() or dated.aggregate(first=Min("deadline"))["first"]


def first_in_line(unit: Unit, now) -> list[tuple[int, datetime.date, datetime.datetime]]:
    """(id, deadline, registered_at) of the requests that could take the unit with the lowest
    deadline: only they can win it, so only they go through the lottery. A few small queries,
    whatever the length of the queue."""
    waiting = waiting_for(unit, now)
    firsts = [
        waiting.order_by("deadline").values_list("deadline", flat=True).first(),
        lowest_dated_deadline(unit),
    ]
    if not any(firsts):
        return []
    first = min(filter(None, firsts))
    fields = ("id", "deadline", "registered_at")
    return [
        *waiting.filter(deadline=first).values_list(*fields),
        *dated_for(unit).filter(deadline=first).values_list(*fields),
    ]


def offer_unit(unit: Unit, now=None):
    """Give or offer one free unit to the first request in priority order that can use it."""
    now = now or timezone.now()
    with transaction.atomic():
        # The service first, then the unit, as offer_many and a batch: two freed units never
        # pick the same person, and no two deciders wait on each other in a cycle.
        hold_service(unit.service_id)
        unit = (
            Unit.objects.select_for_update(of=("self",))
            .select_related("service__prefecture", "site")
            .get(pk=unit.pk)
        )
        if (
            unit.starts_at <= now
            or Appointment.objects.filter(unit=unit).exists()
            or unit.offers.filter(status=OfferStatus.PENDING).exists()
        ):
            return None
        tz = unit.service.prefecture.tz
        seed = secrets.randbits(62)
        chosen = choose_for_unit(
            (
                WaitingRequest(
                    key=request_id,
                    deadline=on_time_until(deadline, tz),
                    registered_at=registered_at,
                    sites=frozenset({unit.site_id}),
                    not_before=unit.starts_at,
                )
                for request_id, deadline, registered_at in first_in_line(unit, now)
            ),
            FreeUnit(key=unit.pk, site=unit.site_id, start=unit.starts_at),
            seed=seed,
        )
        if chosen is None:
            return None
        request = Request.objects.select_related("prefecture", "service").get(pk=cast(int, chosen))
        if request.status == RequestStatus.WAITING:
            return give_unit(request, unit, now)
        window = acceptance_window(unit.service, unit.starts_at, now)
        if window is None:
            LostUnit.objects.get_or_create(
                unit=unit, defaults={"recorded_at": now, "reason": LossReason.TOO_LATE}
            )
            return None
        offer = Offer.objects.create(
            request=request, unit=unit, made_at=now, expires_at=now + window, seed=seed
        )
        history.record(
            request,
            history.OfferMade(
                offer=offer.pk, unit=unit.pk, starts_at=unit.starts_at, expires_at=offer.expires_at
            ),
            at=now,
        )
        notify(
            request, "offer_made", event_key=f"offer:{offer.pk}", context={"offer": offer}, now=now
        )
        return offer


def give_unit(request: Request, unit: Unit, now) -> Appointment:
    """A first date for a waiting request (no consent needed: it had none)."""
    appointment = Appointment.objects.create(request=request, unit=unit, assigned_at=now)
    Request.objects.filter(pk=request.pk).update(status=RequestStatus.DATED)
    history.record(request, history.Dated(unit=unit.pk, starts_at=unit.starts_at), at=now)
    notify_dated(appointment, now)
    return appointment


def accept_offer(offer: Offer, now=None) -> bool:
    """The person takes the earlier date: their old unit is freed and offered in turn."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update(of=("self",)).select_related("unit").get(pk=offer.pk)
        )
        if offer.status != OfferStatus.PENDING or offer.expires_at <= now:
            return False
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(request_id=offer.request_id)
        )
        old_unit = appointment.unit
        appointment.unit = offer.unit
        appointment.assigned_at = now
        appointment.reconfirmed_at = None
        appointment.save(update_fields=["unit", "assigned_at", "reconfirmed_at"])
        Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.ACCEPTED, answered_at=now)
        history.record(
            appointment.request,
            history.MovedEarlier(
                offer=offer.pk,
                unit=offer.unit_id,
                starts_at=offer.unit.starts_at,
                previous_unit=old_unit.pk,
                previous_starts_at=old_unit.starts_at,
            ),
            at=now,
        )
        notify(
            appointment.request,
            "appointment_moved",
            event_key=f"moved:{offer.pk}",
            context={"appointment": appointment, "unit": offer.unit, "previous": old_unit},
            calendar=appointment_ics(appointment),
            now=now,
        )
    offer_unit(old_unit, now=now)
    return True


def decline_offer(offer: Offer, now=None) -> bool:
    """The person keeps their date; the unit goes to the next in line."""
    now = now or timezone.now()
    with transaction.atomic():
        closed = Offer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
            status=OfferStatus.DECLINED, answered_at=now
        )
        if closed:
            history.record(
                offer.request, history.OfferDeclined(offer=offer.pk, unit=offer.unit_id), at=now
            )
    if closed:
        offer_unit(offer.unit, now=now)
    return bool(closed)


def expire_offers(now=None) -> int:
    """Offers past their time are closed, all at once, and their units offered to the next in
    line (`offer_freed`)."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(
            Offer.objects.select_for_update(of=("self",))
            .filter(status=OfferStatus.PENDING, expires_at__lte=now)
            .order_by("made_at", "id")
            .values_list("pk", "request_id", "unit_id")
        )
        Offer.objects.filter(pk__in=[pk for pk, _request, _unit in expired]).update(
            status=OfferStatus.EXPIRED, answered_at=now
        )
        history.record_many(
            (
                (request_id, history.OfferExpired(offer=pk, unit=unit_id))
                for pk, request_id, unit_id in expired
            ),
            now,
        )
    units = Unit.objects.in_bulk([unit for _pk, _request, unit in expired])
    offer_freed([units[unit] for _pk, _request, unit in expired], now)
    return len(expired)


# From this many units freed together in one service, one pass (`offer_many`) beats one
# decision per unit (`offer_unit`, a few small queries each).
ONE_PASS_FROM = 20


def offer_freed(units: list[Unit], now) -> int:
    """Units freed together go down the queue: one by one in the order given when few, in one
    pass per service (in start order) when many. Returns how many were given or offered."""
    by_service: dict = collections.defaultdict(list)
    for unit in units:
        by_service[unit.service_id].append(unit)
    made = 0
    for freed in by_service.values():
        if len(freed) >= ONE_PASS_FROM:
            service = Service.objects.select_related("prefecture").get(pk=freed[0].service_id)
            made += offer_many(service, [unit.pk for unit in freed], now)
        else:
            made += sum(offer_unit(unit, now=now) is not None for unit in freed)
    return made


def latest_dates_by_site(service: Service, now) -> dict:
    """site -> the latest date held by someone who accepts that site and wants earlier dates."""
    latest: dict = {}
    for starts_at, site in Appointment.objects.filter(
        unit__service=service,
        unit__starts_at__gt=now,
        request__status=RequestStatus.DATED,
        request__accepts_offers=True,
    ).values_list("unit__starts_at", "request__sites"):
        latest[site] = max(starts_at, latest.get(site, starts_at))
    return latest


def make_offers(now=None, limit_per_service: int = 200, prefecture=None) -> int:
    """Offer every free unit someone could use earlier than their date: new capacity, units
    inside the lead time that batches leave alone, cascades a crash interrupted, the units a
    closure or many cancellations freed.

    Two queries per service find the units worth trying; `offer_freed` decides them.
    """
    now = now or timezone.now()
    made = 0
    services = Service.objects.select_related("prefecture")
    if prefecture is not None:
        services = services.filter(prefecture=prefecture)
    for service in services:
        latest = latest_dates_by_site(service, now)
        if not latest:
            continue
        free = free_units(service).filter(
            starts_at__gt=now + MIN_NOTICE, starts_at__lt=max(latest.values())
        )
        # Units of the same start (two desks, two sites) in one order, whichever way they are
        # decided: the order decides who gets which.
        in_order = ("starts_at", "id")
        wanted = [
            unit_id
            for unit_id, site, starts_at in free.order_by(*in_order).values_list(
                "id", "site_id", "starts_at"
            )
            if site in latest and starts_at < latest[site]
        ][:limit_per_service]
        made += offer_freed(list(Unit.objects.filter(pk__in=wanted).order_by(*in_order)), now)
    return made


@dataclasses.dataclass(eq=False)
class _Candidate:
    key: int
    deadline: datetime.date
    registered_at: datetime.datetime
    language: str
    contacts: tuple[str, str]
    holds: datetime.datetime | None = None  # the start of its date; None while it waits
    gone: bool = False  # given or offered a unit in this pass, or no longer able to take one


class _Line:
    """One site's candidates of one kind, most urgent first. Those gone are skipped for good."""

    def __init__(self, candidates):
        self.candidates = sorted(candidates, key=attrgetter("deadline"))
        self.head = 0

    def first(self, can_take) -> list[_Candidate]:
        """The candidates of the lowest deadline who can take the unit."""
        while self.head < len(self.candidates) and self.candidates[self.head].gone:
            self.head += 1
        tied: list[_Candidate] = []
        for index in range(self.head, len(self.candidates)):
            candidate = self.candidates[index]
            if tied and candidate.deadline > tied[0].deadline:
                break
            if not candidate.gone and can_take(candidate):
                tied.append(candidate)
        return tied


def _lines(rows, sites_of, holds: bool) -> dict:
    """site -> `_Line` of the candidates read (id, deadline, registered_at, language, email,
    phone[, start of their date])."""
    by_site: dict = collections.defaultdict(list)
    for key, deadline, registered_at, language, email, phone, *start in rows:
        candidate = _Candidate(
            key, deadline, registered_at, language, (email, phone), start[0] if holds else None
        )
        for site in sites_of.get(key, ()):
            by_site[site].append(candidate)
    return collections.defaultdict(lambda: _Line([]), {s: _Line(c) for s, c in by_site.items()})


CANDIDATE_FIELDS = ("id", "deadline", "registered_at", "language", "email", "phone")


def _sites_of(requests) -> dict:
    sites: dict = collections.defaultdict(set)
    for request_id, site_id in Request.sites.through.objects.filter(
        request__in=requests
    ).values_list("request_id", "site_id"):
        sites[request_id].add(site_id)
    return sites


def _waiting_heads(service: Service, units: list, lead_from, excluded: int):
    """The waiting requests that could win one of `units`: for each site, as many in deadline
    order as there are units and exclusions, and every one tied with the last of them; a unit
    can never need a request further down the line."""
    sites = {unit.site_id for unit in units if unit.starts_at >= lead_from}
    if not sites:
        return Request.objects.none()
    waiting = Request.objects.filter(service=service, status=RequestStatus.WAITING).exclude(
        Exists(Offer.objects.filter(request_id=OuterRef("pk"), status=OfferStatus.PENDING))
    )
    heads = Q(pk__in=[])
    for site in sites:
        accepts = Exists(
            Request.sites.through.objects.filter(request_id=OuterRef("pk"), site_id=site)
        )
        at_site = waiting.filter(accepts).order_by("deadline").values_list("deadline", flat=True)
        last = next(iter(at_site[len(units) + excluded - 1 :][:1]), None)
        heads |= Q(accepts, deadline__lte=last) if last else Q(accepts)
    return waiting.filter(heads)


def offer_many(service: Service, unit_ids: list[int], now) -> int:
    """Decide many free units of one service in one pass, in start order, as `offer_unit` would
    one after another: each to the first request in priority order that can take it (lowest
    deadline, then the lottery among those tied), a date for one who waits, an offer for one
    who holds a later date. A few reads, then bulk writes; messages queued unrendered.
    """
    with transaction.atomic():
        hold_service(service.pk)
        units = list(
            free_units(service)
            .select_for_update(of=("self",))
            .filter(pk__in=unit_ids, starts_at__gt=now)
            .order_by("starts_at", "id")
        )
        if not units:
            return 0
        prefecture = service.prefecture
        lead_from = now + datetime.timedelta(days=prefecture.min_lead_days)
        released = history.releases_of(Request.objects.filter(service=service))
        excluded = set(released) | set(
            Offer.objects.filter(unit__in=[unit.pk for unit in units]).values_list(
                "request_id", "unit_id"
            )
        )
        dated = (
            Request.objects.filter(
                service=service,
                status=RequestStatus.DATED,
                accepts_offers=True,
                appointment__unit__starts_at__gt=units[0].starts_at,
            )
            .exclude(
                Exists(Offer.objects.filter(request_id=OuterRef("pk"), status=OfferStatus.PENDING))
            )
            .values_list(*CANDIDATE_FIELDS, "appointment__unit__starts_at")
        )
        waiting = _waiting_heads(service, units, lead_from, len(excluded)).values_list(
            *CANDIDATE_FIELDS
        )
        dated_lines = _lines(dated, _sites_of(dated.values("id")), holds=True)
        waiting_lines = _lines(waiting, _sites_of(waiting.values("id")), holds=False)

        given, offered, too_late = [], [], []
        for unit in units:

            def can_take(candidate, unit=unit):
                if candidate.holds is not None and candidate.holds <= unit.starts_at:
                    candidate.gone = True  # later units start later still
                    return False
                return (candidate.key, unit.pk) not in excluded

            tied = dated_lines[unit.site_id].first(can_take)
            if unit.starts_at >= lead_from:
                tied += waiting_lines[unit.site_id].first(can_take)
            if not tied:
                continue
            first = min(candidate.deadline for candidate in tied)
            tied = {c.key: c for c in tied if c.deadline == first}
            seed = secrets.randbits(62)
            chosen = tied[
                choose_for_unit(
                    (
                        WaitingRequest(
                            key=candidate.key,
                            deadline=on_time_until(candidate.deadline, prefecture.tz),
                            registered_at=candidate.registered_at,
                            sites=frozenset({unit.site_id}),
                            not_before=unit.starts_at,
                        )
                        for candidate in tied.values()
                    ),
                    FreeUnit(key=unit.pk, site=unit.site_id, start=unit.starts_at),
                    seed=seed,
                )
            ]
            if chosen.holds is None:
                given.append((unit, chosen))
            elif (window := acceptance_window(service, unit.starts_at, now)) is None:
                too_late.append(unit)
                continue
            else:
                offered.append((unit, chosen, seed, window))
            chosen.gone = True
        write_decisions(given, offered, too_late, released, now)
    return len(given) + len(offered)


def write_decisions(given, offered, too_late, released, now) -> None:
    """`offer_many`'s decisions, in bulk: appointments and offers, the requests' status and
    history, lost units, and the messages, queued for the sender to render."""
    Appointment.objects.bulk_create(
        Appointment(request_id=candidate.key, unit_id=unit.pk, assigned_at=now)
        for unit, candidate in given
    )
    Request.objects.filter(pk__in=[candidate.key for _unit, candidate in given]).update(
        status=RequestStatus.DATED
    )
    offers = Offer.objects.bulk_create(
        Offer(
            request_id=candidate.key,
            unit_id=unit.pk,
            made_at=now,
            expires_at=now + window,
            seed=seed,
        )
        for unit, candidate, seed, window in offered
    )
    LostUnit.objects.bulk_create(
        (LostUnit(unit=unit, recorded_at=now, reason=LossReason.TOO_LATE) for unit in too_late),
        ignore_conflicts=True,
    )
    history.record_many(
        [
            (candidate.key, history.Dated(unit=unit.pk, starts_at=unit.starts_at))
            for unit, candidate in given
        ]
        + [
            (
                offer.request_id,
                history.OfferMade(
                    offer=offer.pk,
                    unit=unit.pk,
                    starts_at=unit.starts_at,
                    expires_at=offer.expires_at,
                ),
            )
            for offer, (unit, *_rest) in zip(offers, offered, strict=True)
        ],
        now,
    )
    queue_all(
        [
            message
            for unit, candidate in given
            for message in dated_messages(
                candidate.key, unit.pk, candidate.language, candidate.contacts, released, now
            )
        ]
        + [
            message
            for offer, (_unit, candidate, *_rest) in zip(offers, offered, strict=True)
            for message in unrendered(
                request_id=candidate.key,
                language=candidate.language,
                contacts=candidate.contacts,
                template="offer_made",
                event_key=f"offer:{offer.pk}",
                refs={"offer": (Offer, offer.pk)},
                now=now,
            )
        ]
    )
