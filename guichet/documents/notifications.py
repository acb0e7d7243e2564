"""What the person is told once agents checked their documents: what to add or redo, by when."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from guichet.notifications.services import notify

from .enums import DocumentState, RedoReason
from .models import Document, Dossier
from .services import answer_by, is_complete


def documents_link(request) -> str:
    return settings.SITE_URL + reverse("documents:person", args=[request.access_token])


def tell_checked(dossier: Dossier, documents: list[Document], *, now=None):
    """One message per check (its key: the dossier and the check's number), in the person's
    language: the documents to redo with their reason, those missing, and the day to do it by;
    or that the dossier is complete."""
    now = now or timezone.now()
    request = dossier.request
    redo = [
        {
            "name": d.requirement.name,
            "reason": RedoReason(d.reason).label if d.reason else "",
            "note": d.note,
        }
        for d in documents
        if d.state == DocumentState.REDO
    ]
    missing = [
        {"name": d.requirement.name, "note": d.note}
        for d in documents
        if d.state in (DocumentState.MISSING, DocumentState.EXPECTED)
    ]
    return notify(
        request,
        "documents_checked",
        event_key=f"documents:{dossier.pk}:{dossier.reviews}",
        context={
            "redo": redo,
            "missing": missing,
            "complete": is_complete([d.state for d in documents]),
            "answer_by": answer_by(request, timezone.localdate(now, request.prefecture.tz)),
            "documents_link": documents_link(request),
        },
        now=now,
    )
