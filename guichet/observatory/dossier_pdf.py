"""A dossier's PDF, built by the worker and kept until the dossier changes.

Rendering one takes seconds of CPU (WeasyPrint, screenshots): done in web requests, a few
anonymous clicks held every web worker and stalled the whole site. The page asks for it
(`request_pdf`), the worker builds it (`build_pdf`, from observatory.tasks) and stores it under
the evidence directory, which web and worker already share; the page then serves that file at
once for as long as its fingerprint is the dossier's.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import json
import os
import tempfile
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from .dossier import build_dossier, period_checks, render_dossier_pdf
from .evidence import evidence_dir
from .models import Dossier

# A request older than this whose PDF never came (worker stopped, build failed) may be made again.
REQUEST_EXPIRES = datetime.timedelta(minutes=15)
# Bump when the PDF's template changes what a stored PDF would show.
LAYOUT = 1


class PdfState(enum.Enum):
    READY = "ready"
    PREPARING = "preparing"
    ABSENT = "absent"


def fingerprint(dossier: Dossier) -> str:
    """What the PDF would show, hashed: the dossier's fields, its pieces, the period's checks.

    Checks are never changed or deleted, so their count and last number in the period say
    whether the robot added any; a changed target name, period or piece changes it too.
    """
    checks = period_checks(dossier.target, dossier.period_start, dossier.period_end).aggregate(
        count=Count("pk"), last=Max("sequence")
    )
    state = {
        "layout": LAYOUT,
        "target": [dossier.target_id, str(dossier.target)],
        "period": [dossier.period_start.isoformat(), dossier.period_end.isoformat()],
        "checks": [checks["count"], checks["last"]],
        "tries": [
            [t.pk, t.tried_on.isoformat(), t.kind, t.note, t.file_sha256]
            for t in dossier.tries.order_by("pk")
        ],
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def pdf_state(dossier: Dossier, current: str | None = None) -> PdfState:
    current = current or fingerprint(dossier)
    if dossier.pdf_fingerprint == current and stored_path(dossier) is not None:
        return PdfState.READY
    if (
        dossier.pdf_requested_fingerprint == current
        and dossier.pdf_requested_at
        and timezone.now() - dossier.pdf_requested_at < REQUEST_EXPIRES
    ):
        return PdfState.PREPARING
    return PdfState.ABSENT


def stored_path(dossier: Dossier) -> Path | None:
    if not dossier.pdf_file:
        return None
    path = evidence_dir() / dossier.pdf_file
    return path if path.is_file() else None


def current_pdf(dossier: Dossier) -> Path | None:
    """The stored PDF if it shows the dossier as it is now, else None."""
    return stored_path(dossier) if pdf_state(dossier) is PdfState.READY else None


def request_pdf(dossier: Dossier) -> PdfState:
    """Ask the worker for the PDF of the dossier as it is, unless it is stored or on its way."""
    from .tasks import build_dossier_pdf

    current = fingerprint(dossier)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
        state = pdf_state(dossier, current)
        if state is not PdfState.ABSENT:
            return state
        dossier.pdf_requested_fingerprint = current
        dossier.pdf_requested_at = timezone.now()
        dossier.save(update_fields=["pdf_requested_fingerprint", "pdf_requested_at"])
        build_dossier_pdf.enqueue(dossier.pk)
    return PdfState.PREPARING


def build_pdf(dossier_id: int) -> bool:
    """Render and store the PDF of the dossier as it is now; False if the stored one is current."""
    dossier = Dossier.objects.select_related("target").get(pk=dossier_id)
    current = fingerprint(dossier)
    if dossier.pdf_fingerprint == current and stored_path(dossier) is not None:
        return False
    contents = build_dossier(
        dossier.target, dossier.period_start, dossier.period_end, dossier.tries.all()
    )
    relative = f"dossiers/{dossier.pk}-{current[:16]}.pdf"
    write_atomically(evidence_dir() / relative, render_dossier_pdf(contents))
    previous = stored_path(dossier)
    Dossier.objects.filter(pk=dossier.pk).update(
        pdf_file=relative, pdf_fingerprint=current, pdf_built_at=timezone.now()
    )
    if previous is not None and previous != evidence_dir() / relative:
        previous.unlink(missing_ok=True)
    return True


def write_atomically(path: Path, data: bytes) -> None:
    """Written aside, then renamed: a download never reads half a PDF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", delete=False) as handle:
        handle.write(data)
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, path)
