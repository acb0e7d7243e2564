"""Before the appointment: a reminder 48 h ahead, and for some services a confirmation of presence.

Where a service asks for it, the person confirms N days before (default 7); without an answer they
get one reminder a day later, and the next day the unit is released into the offer cascade. The
request goes back to the queue with its original registration and deadline: nothing is lost.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from guichet.notifications.services import notify

from .enums import EventKind, RequestStatus
from .models import Appointment, Request
from .services import record_event

REMINDER_BEFORE = datetime.timedelta(hours=48)


def dated_appointments():
    return Appointment.objects.filter(request__status=RequestStatus.DATED).select_related(
        "unit__site", "unit__service", "request__prefecture", "request__service"
    )


def send_reminders(now=None) -> int:
    """One reminder per appointment (and per date, if it moved), 48 hours before."""
    now = now or timezone.now()
    sent = 0
    for appointment in dated_appointments().filter(
        unit__starts_at__gt=now, unit__starts_at__lte=now + REMINDER_BEFORE
    ):
        sent += bool(
            notify(
                appointment.request,
                "appointment_reminder",
                event_key=f"reminder:{appointment.request_id}:{appointment.unit_id}",
                context={"appointment": appointment, "unit": appointment.unit},
                now=now,
            )
        )
    return sent


def reconfirmation_due(appointment, now, days_after_asking=0) -> bool:
    """Asked N days before the slot, or when the date was given if that was later: a date given
    or accepted three days ahead leaves its two days to answer, never a release in the same run."""
    service = appointment.unit.service
    asked_on = max(
        appointment.unit.starts_at - datetime.timedelta(days=service.reconfirm_days_before),
        appointment.assigned_at,
    )
    return now >= asked_on + datetime.timedelta(days=days_after_asking)


def unconfirmed_appointments(now):
    return [
        appointment
        for appointment in dated_appointments().filter(
            unit__service__needs_reconfirmation=True,
            reconfirmed_at__isnull=True,
            unit__starts_at__gt=now,
        )
        if (appointment.request.email or appointment.request.phone)
        and reconfirmation_due(appointment, now)
    ]


def ask_reconfirmations(now=None) -> int:
    """Ask, then remind once, the people whose service needs a confirmation of presence."""
    now = now or timezone.now()
    asked = 0
    for appointment in unconfirmed_appointments(now):
        key = f"{appointment.request_id}:{appointment.unit_id}"
        context = {"appointment": appointment, "unit": appointment.unit}
        if notify(
            appointment.request,
            "reconfirm_request",
            event_key=f"reconfirm:{key}",
            context=context,
            now=now,
        ):
            record_event(
                appointment.request,
                EventKind.RECONFIRMATION_ASKED,
                at=now,
                unit=appointment.unit_id,
            )
            asked += 1
        if reconfirmation_due(appointment, now, days_after_asking=1):
            notify(
                appointment.request,
                "reconfirm_reminder",
                event_key=f"reconfirm-reminder:{key}",
                context=context,
                now=now,
            )
    return asked


def reconfirm(request: Request, now=None) -> bool:
    """The person confirms they will come."""
    now = now or timezone.now()
    updated = Appointment.objects.filter(
        request=request, request__status=RequestStatus.DATED, reconfirmed_at__isnull=True
    ).update(reconfirmed_at=now)
    if updated:
        record_event(request, EventKind.RECONFIRMED, at=now)
    return bool(updated)


def release_unconfirmed(now=None) -> int:
    """Two days after asking with no answer, free the unit; the request goes back in the queue."""
    from .offers import offer_unit

    now = now or timezone.now()
    released = []
    for appointment in unconfirmed_appointments(now):
        if not reconfirmation_due(appointment, now, days_after_asking=2):
            continue
        with transaction.atomic():
            deleted, _ = Appointment.objects.filter(
                pk=appointment.pk, reconfirmed_at__isnull=True
            ).delete()
            if not deleted:
                continue
            request = appointment.request
            Request.objects.filter(pk=request.pk).update(status=RequestStatus.WAITING)
            record_event(request, EventKind.RELEASED, at=now, unit=appointment.unit_id)
            notify(
                request,
                "appointment_released",
                event_key=f"released:{request.pk}:{appointment.unit_id}",
                context={"unit": appointment.unit},
                now=now,
            )
        released.append(appointment.unit)
    for unit in released:
        offer_unit(unit, now=now)
    return len(released)
