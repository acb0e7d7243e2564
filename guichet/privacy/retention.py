"""How long personal data is kept, and the daily job that erases what is past its period.

A request is closed when it is no longer active (cancelled, seen, absent, expired, lapsed,
closed as a duplicate); it is closed since its last history line. `closed_request_days` after
that (`unconfirmed_request_days` for a web request whose contact was never confirmed: it never
entered the queue, and anyone can type anyone's identity), its identity, contacts, messages and
free texts are erased in place: the request row stays (its history is append-only evidence and
protects it, docs/decisions/0003), with what the figures need and nothing that names the
person: service, channel, status, registration time, deadline, appointment. An observatory
dossier's uploads and notes go `dossier_days` after it was made. docs/decisions/0011 says why
erasing in place, and docs/privacy.md lists every field.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.associations.models import Mandate
from guichet.booking.enums import ACTIVE_STATUSES, RequestStatus
from guichet.booking.models import Dispute, Request, new_access_token
from guichet.booking.services import cancel_request
from guichet.dates import date_text
from guichet.documents.models import Dossier as DocumentDossier
from guichet.documents.retention import erase_files
from guichet.notifications.enums import MessageStatus
from guichet.notifications.models import Message
from guichet.observatory.evidence import evidence_dir
from guichet.observatory.models import Dossier, PersonalTry

from .enums import ErasureReason
from .models import DossierErasure, Erasure, RetentionRun

# What an erased birth date reads: the field cannot be empty, and this day names nobody.
ERASED_BIRTH_DATE = datetime.date(1, 1, 1)
ERASED = "effacé"
# Every field of a request that says who the person is or how to reach them, and what it
# becomes. The figures read none of them (transparency.figures): they use the deadline, which for
# a renewal already is the permit's expiry day.
ERASED_FIELDS = {
    "family_name": ERASED,
    "given_names": ERASED,
    "birth_date": ERASED_BIRTH_DATE,
    "nationality": "",
    "permit_number": "",
    "passport_number": "",
    "identity_key": "",
    "person_key": "",
    "email": "",
    "phone": "",
    "pending_email": "",
    "pending_phone": "",
    "verification_code": "",
    "permit_expires_on": None,
}


def policy() -> dict:
    """The periods in force, in days, as settings.GUICHET_RETENTION sets them."""
    return dict(settings.GUICHET_RETENTION)


def closed_requests():
    """Requests no longer active, each annotated with `closed_at`: its last history line."""
    return Request.objects.exclude(status__in=ACTIVE_STATUSES).annotate(closed_at=Max("events__at"))


def period(status: str) -> datetime.timedelta:
    """How long a request closed with this status keeps its personal data."""
    key = "unconfirmed_request_days" if status == RequestStatus.EXPIRED else "closed_request_days"
    return datetime.timedelta(days=policy()[key])


def retention_date(request: Request) -> datetime.date | None:
    """The day its personal data will be erased; None while the request is still active (its
    data is needed for the appointment) or once it was erased."""
    if request.is_active or Erasure.objects.filter(request=request).exists():
        return None
    closed_at = request.events.aggregate(last=Max("at"))["last"] or request.registered_at
    return timezone.localdate(closed_at + period(request.status), request.prefecture.tz)


def retention_status(request: Request) -> str:
    """What agents read on a request's page: until when its personal data is kept."""
    erasure = Erasure.objects.filter(request=request).first()
    if erasure is not None:
        return _("effacées le %(day)s (%(reason)s)") % {
            "day": date_text(timezone.localdate(erasure.at, request.prefecture.tz)),
            "reason": ErasureReason(erasure.reason).label.lower(),
        }
    until = retention_date(request)
    if until is None:
        return _("conservées tant que la demande est en cours")
    return _("conservées jusqu'au %(day)s, puis effacées") % {"day": date_text(until)}


def requests_past_retention(now):
    unconfirmed = Q(status=RequestStatus.EXPIRED)
    return (
        closed_requests()
        .filter(
            (unconfirmed & Q(closed_at__lt=now - period(RequestStatus.EXPIRED)))
            | (~unconfirmed & Q(closed_at__lt=now - period(RequestStatus.CANCELLED)))
        )
        .exclude(Exists(Erasure.objects.filter(request=OuterRef("pk"))))
    )


def erase_request(request: Request, reason: str, now=None) -> bool:
    """Erase one closed request's personal data in place; False if it was erased already or is
    still active (an active request's data is needed to receive the person)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Request.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if locked.status in ACTIVE_STATUSES or Erasure.objects.filter(request=locked).exists():
            return False
        Request.objects.filter(pk=locked.pk).update(
            **ERASED_FIELDS,
            # The secret link stops opening anything: whoever finds it later sees nothing.
            access_token=new_access_token(),
        )
        # A message not sent yet (the cancellation of an erasure on request) is not sent at all.
        Message.objects.filter(request=locked, status=MessageStatus.QUEUED).delete()
        Message.objects.filter(request=locked).update(to="", subject="", body="", calendar="")
        Dispute.objects.filter(request=locked).update(account="", note="")
        Mandate.objects.filter(request=locked).update(person_name=ERASED)
        # The documents it sent go with it, whatever their own period.
        for documents in DocumentDossier.objects.filter(request=locked, files_erased_at=None):
            erase_files(documents, now, reason=reason)
        Erasure.objects.create(request=locked, at=now, reason=reason)
    return True


def dossiers_past_retention(now):
    cutoff = now - datetime.timedelta(days=policy()["dossier_days"])
    return Dossier.objects.filter(created_at__lt=cutoff).exclude(
        Exists(DossierErasure.objects.filter(dossier=OuterRef("pk")))
    )


def erase_dossier(dossier: Dossier, now) -> None:
    """A dossier's own files and notes go; the robot's checks it cited stay (they are public)."""
    with transaction.atomic():
        tries = PersonalTry.objects.filter(dossier=dossier)
        files = {name for name in tries.values_list("file", flat=True) if name}
        if dossier.pdf_file:
            files.add(dossier.pdf_file)
        tries.update(note="", file="", file_sha256="", sent_from="")
        Dossier.objects.filter(pk=dossier.pk).update(pdf_file="", pdf_fingerprint="")
        DossierErasure.objects.create(dossier=dossier, at=now)
        # Files are stored once per content: one another dossier still cites stays.
        still_cited = set(
            PersonalTry.objects.filter(file__in=files).values_list("file", flat=True)
        ) | set(Dossier.objects.filter(pdf_file__in=files).values_list("pdf_file", flat=True))
        doomed = files - still_cited
        transaction.on_commit(lambda: remove_files(doomed))


def remove_files(relatives) -> None:
    for relative in relatives:
        (evidence_dir() / relative).unlink(missing_ok=True)


def apply_retention(now=None) -> dict:
    """Erase every request and dossier past its period; returns how many of each."""
    now = now or timezone.now()
    requests = sum(
        erase_request(request, ErasureReason.RETENTION, now=now)
        for request in requests_past_retention(now).only("pk")
    )
    dossiers = 0
    for dossier in dossiers_past_retention(now):
        erase_dossier(dossier, now)
        dossiers += 1
    return {"requests": requests, "dossiers": dossiers}


def run_daily_retention(now=None) -> int:
    """The scheduled step (duework.jobs): once a day, whatever the number of ticks."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if RetentionRun.objects.filter(day=today).exists():
        return 0
    done = apply_retention(now)
    RetentionRun.objects.get_or_create(day=today, defaults={"ran_at": now, **done})
    return done["requests"] + done["dossiers"]


def erasable_on_request(request: Request) -> bool:
    """A person may have their data erased unless an appointment is pending: that one they
    cancel first, so that nobody loses a date by a wrong click."""
    return request.status != RequestStatus.DATED


def erase_on_request(request: Request, now=None) -> bool:
    """The person asked: a request still in line is cancelled (its place is given up), then its
    data erased at once. False when an appointment is pending."""
    now = now or timezone.now()
    if not erasable_on_request(request):
        return False
    cancel_request(request, by="applicant", now=now)
    request.refresh_from_db(fields=["status"])
    return erase_request(request, ErasureReason.PERSON_ASKED, now=now)
