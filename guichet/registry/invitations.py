"""Proactive renewals: the préfecture registers the renewal request itself and invites the person.

CESEDA R431-5: a renewal is filed between the 120th and the 60th day before the permit expires.
The window opens on the 120th day; it stays open until expiry, because the 60th day binds the
person, not the préfecture, and someone who has not asked by then needs the invitation most.
A permit that has already expired is not invited: that situation needs an agent.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from guichet.booking.enums import Channel
from guichet.booking.services import Applicant, register_request
from guichet.catalogue.enums import ServiceKind
from guichet.catalogue.models import Prefecture

from .models import PermitRecord

RENEWAL_WINDOW_DAYS = 120

logger = logging.getLogger(__name__)


def renewal_window_opens(expires_on: datetime.date) -> datetime.date:
    return expires_on - datetime.timedelta(days=RENEWAL_WINDOW_DAYS)


def not_yet_invited() -> Q:
    """Never invited, or invited for an earlier permit that was since renewed."""
    return Q(invited_for__isnull=True) | Q(invited_for__lt=F("expires_on"))


def permits_to_invite(prefecture: Prefecture, today: datetime.date):
    """Permits inside their renewal window, with a contact to invite, not invited yet."""
    return (
        PermitRecord.objects.filter(
            prefecture=prefecture,
            expires_on__gt=today,
            expires_on__lte=today + datetime.timedelta(days=RENEWAL_WINDOW_DAYS),
        )
        .filter(not_yet_invited())
        .exclude(email="", phone="")
    )


def invite_renewal(record: PermitRecord, service, sites) -> bool:
    """Register the renewal on the person's behalf, once per permit.

    Someone who already holds an active request of the residence group keeps it: the permit is
    linked to that request and no second message is sent.
    """
    with transaction.atomic():
        claimed = (
            PermitRecord.objects.filter(pk=record.pk)
            .filter(not_yet_invited())
            .update(invited_for=record.expires_on)
        )
        if not claimed:
            return False
        request, _created = register_request(
            service=service,
            applicant=Applicant(
                family_name=record.family_name,
                given_names=record.given_names,
                birth_date=record.birth_date,
                nationality="",
                permit_number=record.permit_number,
                email=record.email,
                phone=record.phone,
                permit_expires_on=record.expires_on,
            ),
            sites=sites,
            channel=Channel.INVITATION,
        )
        PermitRecord.objects.filter(pk=record.pk).update(invited_request=request)
    return True


def invite_renewals(prefecture: Prefecture, now=None) -> int:
    """Invite every permit of the préfecture whose renewal window is open today."""
    now = now or timezone.now()
    today = timezone.localdate(now, prefecture.tz)
    due = list(permits_to_invite(prefecture, today))
    if not due:
        return 0
    service = prefecture.services.filter(kind=ServiceKind.RENEWAL, active=True).first()
    if service is None:
        logger.warning("%s: renewals due but no open renewal service", prefecture)
        return 0
    sites = list(prefecture.sites.all())
    return sum(invite_renewal(record, service, sites) for record in due)


def invite_due_renewals(now=None) -> int:
    """The daily step of the worker: safe to run any number of times."""
    prefectures = Prefecture.objects.filter(pk__in=PermitRecord.objects.values("prefecture"))
    return sum(invite_renewals(prefecture, now) for prefecture in prefectures)
