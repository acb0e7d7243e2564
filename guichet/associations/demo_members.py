"""A demo-only member of an accredited organisation, following demo requests under mandates.

Never in production: the account's password and TOTP secret are the demo agents' public ones,
printed by `guichet demo`.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from guichet.backoffice.demo_agents import DEMO_PASSWORD, DEMO_TOTP_SECRET
from guichet.backoffice.models import SecondFactor
from guichet.booking.enums import ACTIVE_STATUSES, Channel
from guichet.booking.models import Request
from guichet.catalogue.models import Prefecture

from .enums import ConsentRecord, MandateEventKind, MandateScope, OrganisationKind
from .models import Mandate, Membership, Organisation
from .services import record_mandate_event

DEMO_MEMBER = "asso.94"
DEMO_ORGANISATION = "Accueil et droits des étrangers du Val-de-Marne (démo)"
# Requests of the demo's own « association » channel that the member follows.
DEMO_MANDATES = 3


def ensure_demo_member(department_code: str = "94") -> Membership | None:
    """The demo member, their accredited organisation and a few live mandates; created once."""
    existing = Membership.objects.filter(user__username=DEMO_MEMBER).first()
    prefecture = Prefecture.objects.filter(department_code=department_code).first()
    if existing is not None or prefecture is None:
        return existing
    today = timezone.localdate()
    organisation = Organisation.objects.create(
        name=DEMO_ORGANISATION,
        kind=OrganisationKind.ASSOCIATION,
        accredited=True,
        accredited_until=today + datetime.timedelta(days=365),
    )
    organisation.prefectures.add(prefecture)
    user = get_user_model().objects.create_user(username=DEMO_MEMBER, password=DEMO_PASSWORD)
    SecondFactor.objects.create(user=user, secret=DEMO_TOTP_SECRET)
    membership = Membership.objects.create(user=user, organisation=organisation)
    followed = Request.objects.filter(
        prefecture=prefecture, channel=Channel.ASSOCIATION, status__in=ACTIVE_STATUSES
    ).order_by("pk")[:DEMO_MANDATES]
    now = timezone.now()
    for request in followed:
        mandate = Mandate.objects.create(
            organisation=organisation,
            request=request,
            person_name=f"{request.given_names} {request.family_name.upper()}",
            scope=MandateScope.FILE_AND_FOLLOW,
            consent=ConsentRecord.SIGNED_FORM,
            granted_at=now,
            granted_by=user,
            ends_on=today + datetime.timedelta(days=180),
        )
        record_mandate_event(mandate, user, MandateEventKind.GRANTED, at=now, filed=False)
    return membership


def how_to_log_in() -> str:
    return (
        f"DEMO ONLY: associations' space at /agent/connexion/ as {DEMO_MEMBER} "
        f"({DEMO_ORGANISATION}), same password and TOTP secret as the demo agents"
    )
