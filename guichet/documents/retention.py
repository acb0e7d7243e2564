"""Documents' files are kept for the visit, not after: deleted `document_days` after the
appointment, or after the request closed without one (settings.GUICHET_RETENTION,
docs/privacy.md). The dossier's rows stay with their states and history (what the figures on
visits per title need), without any file."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from guichet.booking.enums import ACTIVE_STATUSES

from . import storage
from .models import Document, DocumentEvent, Dossier

# As privacy's erasure reasons say it (the layer above): the period ran out, or the person asked.
RETENTION = "retention"


def period() -> datetime.timedelta:
    return datetime.timedelta(days=settings.GUICHET_RETENTION["document_days"])


def dossiers_past_retention(now):
    """Dossiers still holding files whose appointment is `period()` past, or whose request
    closed (without a visit to come) that long ago."""
    cutoff = now - period()
    return (
        Dossier.objects.filter(files_erased_at__isnull=True)
        .annotate(closed_at=Max("request__events__at"))
        .filter(
            Q(request__appointment__unit__starts_at__lt=cutoff)
            | (~Q(request__status__in=ACTIVE_STATUSES) & Q(closed_at__lt=cutoff))
        )
    )


def erase_files(dossier: Dossier, now=None, reason: str = RETENTION) -> int:
    """Delete the dossier's files, keeping its rows and history; returns how many went."""
    now = now or timezone.now()
    with transaction.atomic():
        documents = Document.objects.filter(dossier=dossier).exclude(file="")
        files = list(documents.values_list("file", flat=True))
        documents.update(file="", file_bytes=0)
        Dossier.objects.filter(pk=dossier.pk).update(files_erased_at=now)
        DocumentEvent.erased(dossier, files=len(files), reason=reason, at=now)
        transaction.on_commit(lambda: storage.remove(files))
    return len(files)


def erase_due_files(now=None) -> int:
    """The due-work step: every dossier past its period loses its files; how many dossiers."""
    now = now or timezone.now()
    done = 0
    for dossier in dossiers_past_retention(now).distinct():
        erase_files(dossier, now)
        done += 1
    return done
