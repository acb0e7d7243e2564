"""The person's documents page, reached from the status page by the secret link."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.booking.views.follow import request_by_token, unlisted

from ..enums import Sender
from ..services import (
    bring_everything_on_the_day,
    declare_not_concerned,
    dossier_of,
)
from .common import document_of, dossier_context, file_response, store_upload


def person_urls(token: str) -> dict:
    return {
        "upload_url": lambda d: reverse("documents:person_send", args=[token, d.pk]),
        "file_url": lambda d: reverse("documents:person_file", args=[token, d.pk]),
    }


def page(request, booking_request, failed=None, status=200):
    token = booking_request.access_token
    context = dossier_context(booking_request, failed=failed, **person_urls(token))
    context.update(
        title=_("Vos documents pour le rendez-vous"),
        back_url=reverse("booking:status", args=[token]),
        bring_url=reverse("documents:person_bring", args=[token]),
    )
    for row in context["rows"]:
        row["not_concerned_url"] = reverse(
            "documents:person_not_concerned", args=[token, row["document"].pk]
        )
    return render(request, "documents/person.html", context, status=status)


def to_page(booking_request):
    return redirect("documents:person", booking_request.access_token)


@unlisted
@require_GET
def documents(request, token):
    return page(request, request_by_token(request, token))


def sent_message(document) -> str:
    return _("« %(name)s » est bien envoyé. Un agent de la préfecture va le vérifier.") % {
        "name": document.requirement.name
    }


@unlisted
@require_http_methods(["POST"])
def send(request, token, document_id):
    booking_request = request_by_token(request, token)
    document = document_of(booking_request, document_id)
    form = store_upload(request, document, sender=Sender.PERSON, done=sent_message(document))
    if form is None:
        return to_page(booking_request)
    return page(request, booking_request, failed=(document, form))


@unlisted
@require_POST
def not_concerned(request, token, document_id):
    booking_request = request_by_token(request, token)
    document = document_of(booking_request, document_id)
    if declare_not_concerned(document):
        messages.success(
            request,
            _("C'est noté : « %(name)s » ne vous concerne pas.")
            % {"name": document.requirement.name},
        )
    return to_page(booking_request)


@unlisted
@require_POST
def bring(request, token):
    booking_request = request_by_token(request, token)
    bring_everything_on_the_day(dossier_of(booking_request))
    messages.success(
        request,
        _(
            "C'est noté : vous apporterez vos documents le jour du rendez-vous. Vous pouvez "
            "toujours en envoyer avant : un dossier vérifié à l'avance évite un second rendez-vous."
        ),
    )
    return redirect("booking:status", token)


@unlisted
@require_GET
def file(request, token, document_id):
    return file_response(document_of(request_by_token(request, token), document_id))
