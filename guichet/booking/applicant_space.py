"""What the applicant space may do for a person holding the secret link, and when.

The changes themselves are made by `services`, `offers` and `reminders`; this module only says
what is awaited from the person and keeps the pages from being used to flood a contact.
"""

import datetime
import math

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import ngettext

from guichet.protection.addresses import connection_key
from guichet.protection.contacts import canonical_contact
from guichet.protection.ratelimits import contact_hits, count_submissions

from .enums import OfferStatus
from .models import Appointment, Offer, Request
from .reminders import reconfirmation_due
from .services import (
    MAX_VERIFICATION_ATTEMPTS,
    resend_access_link,
    send_verification,
)

# A person may ask for the code again once a minute: enough for a slow SMS, too slow to flood.
CODE_RESEND_INTERVAL = datetime.timedelta(minutes=1)


def code_attempts_left(request: Request) -> int:
    return max(0, MAX_VERIFICATION_ATTEMPTS - request.verification_attempts)


def seconds_before_new_code(request: Request, now=None) -> int:
    """0 when a code may be sent again, else how long to wait since the last one."""
    now = now or timezone.now()
    last = (
        request.messages.filter(template="verify_contact")
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None or now - last >= CODE_RESEND_INTERVAL:
        return 0
    return math.ceil((last + CODE_RESEND_INTERVAL - now).total_seconds())


def send_code_again(request: Request, now=None) -> None:
    """Send the code again; once its attempts are used up, a new code with fresh attempts."""
    send_verification(request, new_code=not code_attempts_left(request), now=now)


def with_pending_offer(requests: QuerySet, now=None) -> QuerySet:
    """Requests with `pending_offer_id`: the earlier date the person can still answer, if any.

    Asked inside the request's own query: most requests have no offer, and the status page,
    opened all day, would otherwise pay a query to learn it.
    """
    offers = Offer.objects.filter(
        request=OuterRef("pk"), status=OfferStatus.PENDING, expires_at__gt=now or timezone.now()
    )
    return requests.annotate(pending_offer_id=Subquery(offers.values("pk")[:1]))


def pending_offer(request: Request, now=None) -> Offer | None:
    """The earlier date proposed to the person, while they can still answer it."""
    if getattr(request, "pending_offer_id", ...) is None:
        return None  # loaded `with_pending_offer`, which found none
    now = now or timezone.now()
    return (
        request.offers.filter(status=OfferStatus.PENDING, expires_at__gt=now)
        .select_related("unit__site")
        .first()
    )


def awaits_reconfirmation(appointment: Appointment | None, now=None) -> bool:
    """The service asks people to confirm they will come, and the time to do so has come."""
    now = now or timezone.now()
    return bool(
        appointment
        and appointment.unit.service.needs_reconfirmation
        and appointment.reconfirmed_at is None
        and reconfirmation_due(appointment, now)
    )


def ask_access_link(number: str, contact: str, client_ip: str, now=None) -> int:
    """Send the link again if number and contact match; 0, or seconds to wait when one
    connection, or one contact (whatever its spelling), asked too often. Whether anything
    matched is never told to the caller, and both are counted either way."""
    if settings.GUICHET_RATE_LIMITS_ENABLED:
        hits = [
            ("access-link", connection_key(client_ip), settings.GUICHET_RATE_LIMIT_ACCESS_LINK),
            *contact_hits(
                "access-link-contact", [contact], settings.GUICHET_RATE_LIMIT_ACCESS_LINK_CONTACT
            ),
        ]
        if wait := count_submissions(hits):
            return wait
    resend_access_link(number, contact, now=now)
    return 0


def contact_change_wait(request: Request, *, email: str, phone: str) -> int:
    """0, or seconds to wait: a new contact counts against the intake's limit per contact
    (canonical form), so one mailbox or number cannot be handed to request after request."""
    if not settings.GUICHET_RATE_LIMITS_ENABLED:
        return 0
    current = {canonical_contact(c) for c in (request.email, request.phone) if c}
    new = [c for c in (email, phone) if c and canonical_contact(c) not in current]
    return (
        count_submissions(contact_hits("contact", new, settings.GUICHET_RATE_LIMIT_PER_CONTACT))
        or 0
    )


def contact_given_too_often(wait: int) -> str:
    minutes = max(1, math.ceil(wait / 60))
    return ngettext(
        "Ces coordonnées ont été données à trop de demandes ces derniers temps. Rien n'a été "
        "changé. Réessayez dans %(n)d minute, ou adressez-vous à la préfecture.",
        "Ces coordonnées ont été données à trop de demandes ces derniers temps. Rien n'a été "
        "changé. Réessayez dans %(n)d minutes, ou adressez-vous à la préfecture.",
        minutes,
    ) % {"n": minutes}
