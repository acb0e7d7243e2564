"""What a member does for a person: file under a mandate, follow, revoke.

The request itself goes through the préfecture's own rules (`register_request`); a mandate only
says which organisation may see it, for how long, with the person's recorded consent.
"""

import datetime

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from guichet.booking.duplicates import tell_holder
from guichet.booking.enums import Channel
from guichet.booking.models import Request
from guichet.booking.services import register_request
from guichet.booking.validation import ValidIntake

from .enums import MandateEventKind
from .models import Mandate, MandateEvent, Organisation


def record_mandate_event(mandate: Mandate, user, kind: str, at=None, **detail) -> MandateEvent:
    return MandateEvent.objects.create(
        mandate=mandate, user=user, kind=kind, at=at or timezone.now(), detail=detail
    )


def file_for_person(
    *,
    organisation: Organisation,
    member,
    intake: ValidIntake,
    scope: str,
    consent: str,
    ends_on: datetime.date,
) -> Mandate | None:
    """Register the person's request and the mandate that lets the organisation follow it.

    The person keeps receiving every message at the contact they gave. If their identity already
    holds a place, nothing is created and the organisation sees nothing of it: knowing a person's
    identity never opens a request; its holder is told at the contact registered with it, with
    its link, once a day at most (`duplicates.tell_holder`).
    """
    now = timezone.now()
    with transaction.atomic():
        request, created = register_request(
            service=intake.service,
            applicant=intake.applicant,
            sites=intake.sites,
            channel=Channel.ASSOCIATION,
        )
        if not created:
            tell_holder(request, now)
            return None
        mandate = Mandate.objects.create(
            organisation=organisation,
            request=request,
            person_name=f"{request.given_names} {request.family_name.upper()}",
            scope=scope,
            consent=consent,
            granted_at=now,
            granted_by=member,
            ends_on=ends_on,
        )
        record_mandate_event(mandate, member, MandateEventKind.GRANTED, at=now, filed=True)
    return mandate


def followed_mandates(organisation: Organisation, day: datetime.date | None = None):
    """The organisation's live mandates, with their requests: all a member may see."""
    return (
        Mandate.objects.live(day)
        .filter(organisation=organisation)
        .select_related("request__prefecture", "request__service")
    )


def followed_request_or_404(organisation: Organisation, request_id: int) -> tuple[Request, Mandate]:
    """A request under a live mandate of this organisation; any other is « not found »."""
    mandate = followed_mandates(organisation).filter(request_id=request_id).first()
    if mandate is None:
        raise Http404
    return mandate.request, mandate


def revoke_mandate(mandate: Mandate, member, now=None) -> bool:
    """End a mandate at once (the person withdrew consent, or the follow-up is over)."""
    now = now or timezone.now()
    with transaction.atomic():
        revoked = Mandate.objects.filter(pk=mandate.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if revoked:
            record_mandate_event(mandate, member, MandateEventKind.REVOKED, at=now)
    return bool(revoked)
