"""An association's member sends a person's documents, under a live mandate."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.associations.access import member_required
from guichet.associations.services import followed_request_or_404

from ..enums import Sender
from .common import document_of, dossier_context, file_response, store_upload


def member_page(request, followed, failed=None, status=200):
    context = dossier_context(
        followed,
        failed=failed,
        upload_url=lambda d: reverse("documents:member_send", args=[followed.pk, d.pk]),
        file_url=lambda d: reverse("documents:member_file", args=[followed.pk, d.pk]),
    )
    context.update(
        title=_("Documents de la demande %(number)s") % {"number": followed.number},
        back_url=reverse("associations:person", args=[followed.pk]),
    )
    return render(request, "documents/agents/member.html", context, status=status)


@member_required
@require_GET
def documents(request, request_id):
    followed, _mandate = followed_request_or_404(request.organisation, request_id)
    return member_page(request, followed)


@member_required
@require_POST
def send(request, request_id, document_id):
    followed, _mandate = followed_request_or_404(request.organisation, request_id)
    document = document_of(followed, document_id)
    done = _("« %(name)s » est envoyé pour la personne.") % {"name": document.requirement.name}
    form = store_upload(request, document, sender=Sender.ASSOCIATION, done=done, user=request.user)
    if form is None:
        return redirect("documents:member", request_id=followed.pk)
    return member_page(request, followed, failed=(document, form))


@member_required
@require_GET
def file(request, request_id, document_id):
    followed, _mandate = followed_request_or_404(request.organisation, request_id)
    return file_response(document_of(followed, document_id))
