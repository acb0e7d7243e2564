"""Pages a person reaches after registering: receipt, PDF, status by secret link; public check."""

import functools

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Request
from ..pdf import render_receipt_pdf
from ..receipts import check_receipt, local_time, receipt_context


def unlisted(view):
    """Pages reached by a link only its holder has (secret link, receipt QR): never indexed,
    never leaked to another site through the Referer header, never kept by a shared cache."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        response = view(*args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def in_document_language(view):
    """A receipt is one document in one language, whatever the browser asks.

    The project's words exist in French only: without this, a browser asking for English would
    get French sentences around English month and day names.
    """

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            response = view(*args, **kwargs)
        response["Content-Language"] = settings.LANGUAGE_CODE
        return response

    return wrapped


def request_by_token(token: str) -> Request:
    return get_object_or_404(
        Request.objects.select_related("prefecture", "service"), access_token=token
    )


@unlisted
@in_document_language
def receipt(request, token):
    booking_request = request_by_token(token)
    context = receipt_context(booking_request)
    context["title"] = _("Attestation d'enregistrement de demande de rendez-vous")
    return render(request, "booking/follow/receipt.html", context)


@unlisted
@in_document_language
def receipt_pdf(request, token):
    booking_request = request_by_token(token)
    response = HttpResponse(render_receipt_pdf(booking_request), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="attestation-{booking_request.number}.pdf"'
    )
    return response


@unlisted
@in_document_language
def status(request, token):
    booking_request = request_by_token(token)
    tz = booking_request.prefecture.tz
    context = receipt_context(booking_request)
    context["title"] = _("Suivi de votre demande de rendez-vous")
    context["history"] = [
        (local_time(event.at, tz, seconds=True), event.get_kind_display())
        for event in booking_request.events.all()
    ]
    return render(request, "booking/follow/status.html", context)


@unlisted
@in_document_language
def verify(request, signed):
    """Say whether a receipt is genuine, showing no more than initials of the person.

    A forged or altered receipt answers 404: there is no such receipt, and a script (or a court
    clerk's tool) can tell it from the status alone; the page still explains it in words.
    """
    booking_request = check_receipt(signed)
    if booking_request is None:
        context = {"title": _("Attestation non authentique"), "authentic": False}
        return render(request, "booking/follow/verify.html", context, status=404)
    context = {
        "title": _("Attestation authentique"),
        "authentic": True,
        "booking_request": booking_request,
        "registered_when": local_time(
            booking_request.registered_at, booking_request.prefecture.tz, seconds=True
        ),
    }
    return render(request, "booking/follow/verify.html", context)
