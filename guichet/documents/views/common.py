"""What the person's, the association's and the agents' pages of a dossier share."""

from collections.abc import Callable

from django.contrib import messages
from django.http import FileResponse, Http404

from guichet.booking.models import Request

from .. import storage
from ..forms import UploadForm
from ..models import Document
from ..services import (
    SendingRefused,
    appointment_day,
    checklist,
    dossier_of,
    dossier_progress,
    send_document,
)


def store_upload(request, document: Document, *, sender, done: str, user=None) -> UploadForm | None:
    """The file posted for `document`, checked and kept: None once kept (`done` is said to the
    person on the next page), else the form with what to correct, for the page to show again."""
    form = UploadForm(request.POST, request.FILES, auto_id=f"id_doc{document.pk}_%s")
    if form.is_valid():
        try:
            send_document(document, form.content, form.suffix, sender=sender, user=user)
        except SendingRefused as refusal:
            form.add_error("upload", str(refusal))
        else:
            messages.success(request, done)
            return None
    return form


def dossier_context(
    booking_request: Request,
    *,
    upload_url: Callable[[Document], str],
    file_url: Callable[[Document], str],
    failed: tuple[Document, UploadForm] | None = None,
) -> dict:
    """The checklist, each document with its upload form (the one that failed with its
    errors), the day to send by, and whether the dossier is complete."""
    dossier = dossier_of(booking_request)
    documents = checklist(dossier)
    rows = []
    for document in documents:
        form = (
            failed[1]
            if failed and failed[0].pk == document.pk
            else UploadForm(auto_id=f"id_doc{document.pk}_%s")
        )
        rows.append(
            {
                "document": document,
                "form": form,
                "upload_url": upload_url(document),
                "file_url": file_url(document) if document.has_file else "",
            }
        )
    return {
        "booking_request": booking_request,
        "dossier": dossier,
        "rows": rows,
        **dossier_progress(booking_request, [document.state for document in documents]),
        "appointment_day": appointment_day(booking_request),
    }


def document_of(booking_request: Request, document_id: int) -> Document:
    """A document of this request's dossier; any other id is « not found »."""
    document = (
        Document.objects.select_related("requirement", "dossier__request__prefecture")
        .filter(pk=document_id, dossier__request=booking_request)
        .first()
    )
    if document is None:
        raise Http404
    return document


def file_response(document: Document) -> FileResponse:
    """The stored file, shown in the browser, never cached."""
    path = storage.path_of(document.file)
    if path is None:
        raise Http404
    response = FileResponse(
        path.open("rb"),
        content_type=storage.CONTENT_TYPES[document.file_kind],
        as_attachment=False,
        filename=f"document-{document.pk}.{document.file_kind}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    # Nothing the file holds runs as a page of the site. An image is sandboxed; a PDF is not,
    # since Chromium's viewer refuses sandboxed documents (its scripts and actions were refused
    # at upload, guichet.uploads.check_pdf).
    policy = "default-src 'none'; img-src 'self'"
    response["Content-Security-Policy"] = (
        policy if document.file_kind == "pdf" else f"{policy}; sandbox"
    )
    return response
