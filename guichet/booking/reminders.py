"""Before the appointment: a reminder 48 h ahead, and for some services a confirmation of presence.

Where a service asks for it, the person confirms N days before (default 7); without an answer they
get one reminder a day later, and the next day the unit is released into the offer cascade.
Requests without a contact (registered at the counter) are never asked.

A released request is paused: it keeps its registration and deadline, but gets no new date until
the person says they still need one (« J'ai toujours besoin d'un rendez-vous », on the status page
or through the link of the release message); it then goes back in the queue as it was. Put back
at once, a request nobody answers for was dated, released and dated again, each time a few days
before the slot: three fake identities a day that never reconfirm took a third of the capacity,
lost 41 % of it and made real people wait 45 days instead of 7 (docs/simulator.md, « Abus »).
A bot on a catch-all mail domain reads the release message too and could press the button after
every release, which was the same loop: so the person may put their request back themselves
once (SELF_RESUMES); released again, only the préfecture can, at the counter or by phone with
papers checked (`backoffice.duplicates.resume_by_agent`), and the pages and messages say so.
Without an answer within PAUSE_ANSWER_DAYS (a reminder a week before), the request closes; the
person can always make a new one.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from guichet.notifications.services import notify

from . import history
from .enums import EventKind, OfferStatus, RequestStatus
from .models import Appointment, Request
from .services import date_key

REMINDER_BEFORE = datetime.timedelta(hours=48)
# How long a paused request waits for the person to say they still need a date, and when they
# are reminded. The simulator's `Abuse.pause_answer_days` mirrors it.
PAUSE_ANSWER_DAYS = 30
PAUSE_ANSWER = datetime.timedelta(days=PAUSE_ANSWER_DAYS)
PAUSE_REMINDER_BEFORE = datetime.timedelta(days=7)
# How many times the person may put a paused request back in line by themselves; after that only
# the préfecture. The simulator's `Abuse.self_resumes` mirrors it.
SELF_RESUMES = 1


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
                event_key=f"reminder:{date_key(appointment)}",
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
        key = date_key(appointment)
        context = {"appointment": appointment, "unit": appointment.unit}
        if notify(
            appointment.request,
            "reconfirm_request",
            event_key=f"reconfirm:{key}",
            context=context,
            now=now,
        ):
            history.record(
                appointment.request,
                history.ReconfirmationAsked(unit=appointment.unit_id),
                at=now,
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
        history.record(request, history.Reconfirmed(), at=now)
    return bool(updated)


def still_needed_link(request: Request) -> str:
    """The release message's link: a page with the « J'ai toujours besoin d'un rendez-vous »
    button (mail scanners open links, so opening it does nothing by itself)."""
    return settings.SITE_URL + reverse("booking:still_needed", args=[request.access_token])


def release_unconfirmed(now=None) -> int:
    """Two days after asking with no answer, free the unit; the request is paused until the
    person says they still need a date, and is told how and by when."""
    from .offers import offer_freed

    now = now or timezone.now()
    released, freed = 0, []
    for appointment in unconfirmed_appointments(now):
        if not reconfirmation_due(appointment, now, days_after_asking=2):
            continue
        key = date_key(appointment)  # before this release is recorded
        with transaction.atomic():
            deleted, _ = Appointment.objects.filter(
                pk=appointment.pk, reconfirmed_at__isnull=True
            ).delete()
            if not deleted:
                continue
            request = appointment.request
            Request.objects.filter(pk=request.pk).update(status=RequestStatus.PAUSED)
            # An earlier date offered meanwhile can no longer be taken: it has no date to move.
            pending = request.offers.filter(status=OfferStatus.PENDING)
            withdrawn = list(pending.select_related("unit"))
            pending.filter(pk__in=[offer.pk for offer in withdrawn]).update(
                status=OfferStatus.WITHDRAWN, answered_at=now
            )
            history.record(request, history.Released(unit=appointment.unit_id), at=now)
            notify(
                request,
                "appointment_released",
                event_key=f"released:{key}",
                context={
                    "unit": appointment.unit,
                    "answer_by": now + PAUSE_ANSWER,
                    "still_needed_link": still_needed_link(request),
                    "may_resume": may_resume_oneself(request),
                },
                now=now,
            )
        released += 1
        freed += [appointment.unit, *(offer.unit for offer in withdrawn)]
    offer_freed(freed, now)
    return released


def paused_requests():
    """Paused requests, with when their last release happened (`paused_at`) and its event
    (`release`): the time to answer runs from there."""
    released = Q(events__kind=EventKind.RELEASED)
    return (
        Request.objects.filter(status=RequestStatus.PAUSED)
        .annotate(
            paused_at=Max("events__at", filter=released),
            release=Max("events__pk", filter=released),
        )
        .select_related("prefecture")
    )


def answer_by(request: Request):
    """When a paused request closes without an answer; None when it is not paused."""
    if request.status != RequestStatus.PAUSED:
        return None
    paused_at = request.events.filter(kind=EventKind.RELEASED).aggregate(at=Max("at"))["at"]
    return paused_at + PAUSE_ANSWER if paused_at else None


def may_resume_oneself(request: Request) -> bool:
    """Whether the person may still put the request back in line themselves (SELF_RESUMES
    times): a bot reading the release message could otherwise do it after every release."""
    return request.events.filter(kind=EventKind.STILL_NEEDED).count() < SELF_RESUMES


def resume_paused(request: Request, now=None, *, by_prefecture: bool = False) -> bool:
    """« J'ai toujours besoin d'un rendez-vous »: the paused request goes back in the queue with
    its original registration and deadline (neither was ever changed). The person may do it
    once; the préfecture (an agent, papers checked) always. False if not paused, or if the
    person already did it once."""
    now = now or timezone.now()
    with transaction.atomic():
        if not (by_prefecture or may_resume_oneself(request)):
            return False
        resumed = Request.objects.filter(pk=request.pk, status=RequestStatus.PAUSED).update(
            status=RequestStatus.WAITING
        )
        if resumed:
            event = history.ResumedByPrefecture() if by_prefecture else history.StillNeeded()
            history.record(request, event, at=now)
    return bool(resumed)


def remind_paused(now=None) -> int:
    """One reminder a week before a paused request closes, per release."""
    now = now or timezone.now()
    reminded = 0
    for request in paused_requests().filter(
        paused_at__lte=now - PAUSE_ANSWER + PAUSE_REMINDER_BEFORE
    ):
        reminded += bool(
            notify(
                request,
                "pause_reminder",
                event_key=f"pause-reminder:{request.pk}:{request.release}",
                context={
                    "answer_by": request.paused_at + PAUSE_ANSWER,
                    "still_needed_link": still_needed_link(request),
                    "may_resume": may_resume_oneself(request),
                },
                now=now,
            )
        )
    return reminded


def close_paused(now=None) -> int:
    """Paused requests left without an answer for PAUSE_ANSWER_DAYS close, and the person is
    told they can make a new request."""
    now = now or timezone.now()
    closed = 0
    for request in paused_requests().filter(paused_at__lte=now - PAUSE_ANSWER):
        with transaction.atomic():
            updated = Request.objects.filter(pk=request.pk, status=RequestStatus.PAUSED).update(
                status=RequestStatus.LAPSED
            )
            if not updated:
                continue
            history.record(request, history.Lapsed(), at=now)
            notify(request, "request_lapsed", event_key=f"lapsed:{request.pk}", now=now)
        closed += 1
    return closed
