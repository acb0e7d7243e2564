"""Freed units go down the queue: one offer at a time, in the allocation's priority order.

A unit freed by a cancellation, a release or new capacity goes to the highest-priority request
(the same rule as a batch: deadline, then a lottery, then registration) that can use it and whose
current date is later. A waiting request gets it as its first date; a dated one is asked, and has
a limited time to accept. Nobody's date ever moves later, and nobody is moved without consent.
"""

import datetime
import secrets

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from guichet.allocation import FreeUnit, WaitingRequest, answer_window, choose_for_unit
from guichet.allocation.engine import OFFER_MIN_NOTICE_MINUTES, OFFER_MIN_WINDOW_MINUTES
from guichet.catalogue.models import Service, Unit
from guichet.notifications.services import notify

from .calendar import appointment_ics
from .enums import EventKind, LossReason, OfferStatus, RequestStatus
from .models import Appointment, LostUnit, Offer, Request, RequestEvent
from .services import free_units, notify_dated, on_time_until, record_event

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


def eligible_requests(unit: Unit, now):
    """Requests that could take this unit: waiting ones (when the unit leaves the préfecture's
    lead time), and dated ones that want earlier dates and hold a later one; none already
    offered this unit, none with an offer pending, none released from it.

    Every test is a condition on one row or an indexed lookup, so the database can walk the queue
    in deadline order (`booking_queue_by_deadline`) and stop at the first who qualifies.
    """
    who = Q(
        status=RequestStatus.DATED,
        accepts_offers=True,
        appointment__unit__starts_at__gt=unit.starts_at,
    )
    lead = datetime.timedelta(days=unit.service.prefecture.min_lead_days)
    if unit.starts_at >= now + lead:
        who |= Q(status=RequestStatus.WAITING)
    return (
        Request.objects.filter(
            who,
            service_id=unit.service_id,
            status__in=(RequestStatus.WAITING, RequestStatus.DATED),
        )
        .filter(
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
                    request_id=OuterRef("pk"), kind=EventKind.RELEASED, detail__unit=unit.pk
                )
            )
        )
    )


def first_in_line(unit: Unit, now) -> list[tuple[int, datetime.date, datetime.datetime]]:
    """(id, deadline, registered_at) of the eligible requests with the lowest deadline: only
    they can win the unit, so only they go through the lottery. Two small queries."""
    eligible = eligible_requests(unit, now)
    first = eligible.order_by("deadline").values_list("deadline", flat=True).first()
    if first is None:
        return []
    return list(eligible.filter(deadline=first).values_list("id", "deadline", "registered_at"))


def offer_unit(unit: Unit, now=None):
    """Give or offer one free unit to the first request in priority order that can use it."""
    now = now or timezone.now()
    with transaction.atomic():
        unit = (
            # The service's row too, as before: one offer decision at a time per service, so two
            # freed units never pick the same person.
            Unit.objects.select_for_update(of=("self", "service"))
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
        request = Request.objects.select_related("prefecture", "service").get(pk=chosen)
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
        record_event(
            request,
            EventKind.OFFER_MADE,
            at=now,
            offer=offer.pk,
            unit=unit.pk,
            starts_at=unit.starts_at.isoformat(),
            expires_at=offer.expires_at.isoformat(),
        )
        notify(
            request, "offer_made", event_key=f"offer:{offer.pk}", context={"offer": offer}, now=now
        )
        return offer


def give_unit(request: Request, unit: Unit, now) -> Appointment:
    """A first date for a waiting request (no consent needed: it had none)."""
    appointment = Appointment.objects.create(request=request, unit=unit, assigned_at=now)
    Request.objects.filter(pk=request.pk).update(status=RequestStatus.DATED)
    record_event(
        request, EventKind.DATED, at=now, unit=unit.pk, starts_at=unit.starts_at.isoformat()
    )
    notify_dated(appointment, now)
    return appointment


def accept_offer(offer: Offer, now=None) -> bool:
    """The person takes the earlier date: their old unit is freed and offered in turn."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = Offer.objects.select_for_update().select_related("unit").get(pk=offer.pk)
        if offer.status != OfferStatus.PENDING or offer.expires_at <= now:
            return False
        appointment = (
            Appointment.objects.select_for_update()
            .select_related("unit")
            .get(request_id=offer.request_id)
        )
        old_unit = appointment.unit
        appointment.unit = offer.unit
        appointment.assigned_at = now
        appointment.reconfirmed_at = None
        appointment.save(update_fields=["unit", "assigned_at", "reconfirmed_at"])
        Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.ACCEPTED, answered_at=now)
        record_event(
            appointment.request,
            EventKind.MOVED_EARLIER,
            at=now,
            offer=offer.pk,
            unit=offer.unit_id,
            starts_at=offer.unit.starts_at.isoformat(),
            previous_unit=old_unit.pk,
            previous_starts_at=old_unit.starts_at.isoformat(),
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
    return close_offer(offer, OfferStatus.DECLINED, EventKind.OFFER_DECLINED, now)


def close_offer(offer: Offer, status: str, event_kind: str, now=None) -> bool:
    now = now or timezone.now()
    with transaction.atomic():
        closed = Offer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
            status=status, answered_at=now
        )
        if closed:
            record_event(offer.request, event_kind, at=now, offer=offer.pk, unit=offer.unit_id)
    if closed:
        offer_unit(offer.unit, now=now)
    return bool(closed)


def expire_offers(now=None) -> int:
    """Offers past their time are closed and their units offered to the next in line."""
    now = now or timezone.now()
    expired = 0
    for offer in Offer.objects.filter(
        status=OfferStatus.PENDING, expires_at__lte=now
    ).select_related("request", "unit"):
        expired += close_offer(offer, OfferStatus.EXPIRED, EventKind.OFFER_EXPIRED, now)
    return expired


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
    inside the lead time that batches leave alone, cascades a crash interrupted.

    Two queries per service find the units worth trying; `offer_unit` decides each one.
    """
    now = now or timezone.now()
    made = 0
    services = Service.objects.all()
    if prefecture is not None:
        services = services.filter(prefecture=prefecture)
    for service in services:
        latest = latest_dates_by_site(service, now)
        if not latest:
            continue
        free = free_units(service).filter(
            starts_at__gt=now + MIN_NOTICE, starts_at__lt=max(latest.values())
        )
        wanted = [
            unit_id
            for unit_id, site, starts_at in free.order_by("starts_at").values_list(
                "id", "site_id", "starts_at"
            )
            if site in latest and starts_at < latest[site]
        ][:limit_per_service]
        for unit in Unit.objects.filter(pk__in=wanted).order_by("starts_at"):
            made += offer_unit(unit, now=now) is not None
    return made
