"""The « attestation d'enregistrement »: what it says, and how anyone can check it is genuine.

The receipt carries a signed token naming the request number and its registration second. A
préfecture agent, a lawyer or a judge scans its QR code and the public verification page says
whether the préfecture really registered that request at that time; nobody can forge an earlier
one.
"""

import functools
import hashlib

import segno
from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.catalogue import cache
from guichet.catalogue.models import Site
from guichet.dates import local_time

from .enums import RequestStatus
from .models import Appointment, Request
from .services import appointment_of, waiting_rank

RECEIPT_SALT = "guichet.booking.receipt"
# "." is neither in a request number nor in base 62: the payload splits without ambiguity.
SEPARATOR = "."


def _signer(key=None) -> signing.Signer:
    return signing.Signer(key=key, salt=RECEIPT_SALT, sep=SEPARATOR)


def _registered_second(request: Request) -> int:
    """The receipt shows the registration time to the second: the token names that second."""
    return int(request.registered_at.timestamp())


def receipt_token(request: Request) -> str:
    """`<number>.<registration second in base 62>.<signature>`: short enough for a small QR."""
    payload = f"{request.number}{SEPARATOR}{signing.b62_encode(_registered_second(request))}"
    return _signer().sign(payload)


def verification_url(request: Request) -> str:
    return settings.SITE_URL + reverse("booking:verify", args=[receipt_token(request)])


def check_receipt(signed: str) -> Request | None:
    """The request a receipt token names, or None if the token was altered or names nothing."""
    try:
        payload = _signer().unsign(signed)
        number, encoded_second = payload.split(SEPARATOR)
        second = signing.b62_decode(encoded_second)
    except (signing.BadSignature, ValueError):
        return None
    request = Request.objects.select_related("prefecture", "service").filter(number=number).first()
    if request is None or _registered_second(request) != second:
        return None
    return request


# Receipts' QR codes are drawn once and kept in a cache table of their own (settings.CACHES).
QR_CACHE = "receipt_qr"


def verification_qr(request: Request, url: str | None = None) -> str:
    """The QR code of the verification link, as an SVG data URI for a page or a PDF.

    Drawing it took ~40 % of the status page, at every view; it is drawn once per request and
    kept, keyed by the link it encodes (a new SITE_URL or SECRET_KEY draws a new one). The store
    is a database table every web process shares: gunicorn's workers each take any request, so a
    per-process cache would draw it again in each worker and after every restart.
    """
    url = url or verification_url(request)
    key = "receipt-qr:" + hashlib.sha256(url.encode()).hexdigest()
    store = caches[QR_CACHE]
    qr = store.get(key)
    if qr is None:
        qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2, light="#fff")
        store.set(key, qr)
    return qr


def rank_sentence(ahead: int, tied: int) -> str:
    """Where a waiting request stands, in words: who surely passes first, who is drawn by lot."""
    if ahead:
        first = ngettext(
            "%(count)d demande a une échéance plus proche que la vôtre",
            "%(count)d demandes ont une échéance plus proche que la vôtre",
            ahead,
        ) % {"count": ahead}
    else:
        first = _("Aucune demande n'a une échéance plus proche que la vôtre")
    if tied:
        second = ngettext(
            "%(count)d a la même échéance et sera départagée de la vôtre par tirage au sort",
            "%(count)d ont la même échéance et seront départagées par tirage au sort",
            tied,
        ) % {"count": tied}
    else:
        second = _("aucune n'a la même échéance")
    return f"{first} ; {second}."


def current_appointment(request: Request) -> Appointment | None:
    """The appointment the person must come to, if the request is dated and still active."""
    return appointment_of(request) if request.is_active else None


def accepted_sites(request: Request) -> list[Site]:
    """The sites where the person can go, in the préfecture's order: their ids read from the
    request, the sites themselves kept with its motif (`catalogue.cache`)."""
    ids = set(
        Request.sites.through.objects.filter(request_id=request.pk).values_list(
            "site_id", flat=True
        )
    )
    found = cache.service_and_sites(request.service_id)
    sites = [site for site in found[1] if site.pk in ids] if found else []
    if len(sites) < len(ids):  # a site added since the kept rows were read
        sites = list(request.sites.all())
    return sites


def receipt_context(request: Request) -> dict:
    """What every copy of the receipt says: the page, the PDF and the status page share it."""
    tz = request.prefecture.tz
    appointment = current_appointment(request)
    url = verification_url(request)
    return {
        "booking_request": request,
        "registered_when": local_time(request.registered_at, tz, seconds=True),
        "sites": accepted_sites(request),
        "is_waiting": request.status == RequestStatus.WAITING,
        "rank": rank_sentence(*waiting_rank(request))
        if request.status == RequestStatus.WAITING
        else None,
        "appointment": appointment,
        "appointment_when": local_time(appointment.unit.starts_at, tz, weekday=True)
        if appointment
        else None,
        "documents": request.service.document_list,
        "verification_url": url,
        # Drawn (or read from its store) only by a template that shows it: not the status page.
        "verification_qr": functools.partial(verification_qr, request, url),
    }
