"""The agents' pages: the review queue, a dossier's check, post received, the lists' editor.

Every query goes through `prefectures_of`: a request, a document or a service of another
préfecture is « not found », whatever its id.
"""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.backoffice.access import agent_required, prefectures_of
from guichet.backoffice.enums import Role
from guichet.booking.models import Request
from guichet.catalogue.models import Service

from ..enums import Decision, Sender
from ..forms.agent import CheckForm, RequirementForm
from ..models import Requirement
from ..services import (
    REVIEW_DAYS_BEFORE,
    Check,
    change_list,
    checklist,
    dossier_of,
    record_checks,
    review_queue,
    review_target,
)
from .common import document_of, dossier_context, file_response, store_upload


def request_of(request, request_id: int) -> Request:
    return get_object_or_404(
        Request.objects.select_related("prefecture", "service", "appointment__unit__site"),
        pk=request_id,
        prefecture__in=prefectures_of(request.user),
    )


@agent_required
@require_GET
def queue(request):
    """Dossiers waiting for a check, nearest appointment first, late ones said so."""
    today = timezone.localdate()
    rows = []
    for dossier in review_queue(prefectures_of(request.user)):
        target = review_target(dossier.request)
        rows.append({"dossier": dossier, "target": target, "late": target and target < today})
    context = {
        "title": _("Documents à vérifier"),
        "rows": rows,
        "review_days": REVIEW_DAYS_BEFORE,
    }
    return render(request, "documents/agents/queue.html", context)


def agent_urls() -> dict:
    return {
        "upload_url": lambda d: reverse("documents:agent_post", args=[d.dossier.request_id, d.pk]),
        "file_url": lambda d: reverse("documents:agent_file", args=[d.dossier.request_id, d.pk]),
    }


def review_page(request, booking_request, *, forms=None, failed=None, status=200):
    context = dossier_context(booking_request, failed=failed, **agent_urls())
    for row in context["rows"]:
        document = row["document"]
        row["check"] = (forms or {}).get(document.pk) or CheckForm(
            prefix=f"d{document.pk}",
            initial={"decision": document.state if document.state in Decision.values else ""},
        )
    context.update(
        title=_("Documents de la demande %(number)s") % {"number": booking_request.number},
        target=review_target(booking_request),
    )
    return render(request, "documents/agents/review.html", context, status=status)


@agent_required
def review(request, request_id):
    """A dossier's documents; the agent's decisions on them, then the person is told."""
    booking_request = request_of(request, request_id)
    if request.method != "POST":
        return review_page(request, booking_request)
    dossier = dossier_of(booking_request)
    documents = checklist(dossier)
    forms = {d.pk: CheckForm(request.POST, prefix=f"d{d.pk}") for d in documents}
    if not all(form.is_valid() for form in forms.values()):
        messages.error(request, _("Rien n'a été enregistré : corrigez les erreurs signalées."))
        return review_page(request, booking_request, forms=forms, status=400)
    checks = [
        Check(
            d, form.cleaned_data["decision"], form.cleaned_data["reason"], form.cleaned_data["note"]
        )
        for d in documents
        if (form := forms[d.pk]).cleaned_data["decision"]
    ]
    if record_checks(dossier, checks, agent=request.user):
        messages.success(
            request,
            _("Vérification enregistrée : la personne vient d'être prévenue par message."),
        )
    else:
        messages.info(request, _("Aucune décision nouvelle : rien n'a été envoyé."))
    return redirect("documents:review", request_id=booking_request.pk)


@agent_required
@require_POST
def received_by_post(request, request_id, document_id):
    """A document the person sent by post, scanned and attached by an agent."""
    booking_request = request_of(request, request_id)
    document = document_of(booking_request, document_id)
    done = _("« %(name)s » reçu par courrier est joint au dossier.") % {
        "name": document.requirement.name
    }
    form = store_upload(request, document, sender=Sender.POST, done=done, user=request.user)
    if form is None:
        return redirect("documents:review", request_id=booking_request.pk)
    return review_page(request, booking_request, failed=(document, form), status=400)


@agent_required
@require_GET
def file(request, request_id, document_id):
    return file_response(document_of(request_of(request, request_id), document_id))


# --- The lists of documents, for managers -----------------------------------------------------


def services_of(user):
    return Service.objects.filter(prefecture__in=prefectures_of(user)).select_related("prefecture")


@agent_required(role=Role.MANAGER)
@require_GET
def lists(request):
    services = (
        services_of(request.user)
        .annotate(asked=Count("requirements", distinct=True))
        .order_by("prefecture", "name")
    )
    return render(
        request,
        "documents/agents/lists.html",
        {"title": _("Listes des documents à fournir"), "services": services},
    )


def save_requirement(request, form, service) -> None:
    requirement = form.save(commit=False)
    requirement.service = service
    change_list(requirement, manager=request.user)


@agent_required(role=Role.MANAGER)
def service_list(request, service_id):
    """One service's list: each document to edit, and a new one to add."""
    service = get_object_or_404(services_of(request.user), pk=service_id)
    form = RequirementForm(
        request.POST or None,
        initial={"position": (service.requirements.count() + 1) * 10},
    )
    if request.method == "POST" and form.is_valid():
        save_requirement(request, form, service)
        messages.success(request, _("Document ajouté à la liste."))
        return redirect("documents:service_list", service_id=service.pk)
    context = {
        "title": _("Documents à fournir : %(service)s") % {"service": service.name},
        "service": service,
        "requirements": service.requirements.all(),
        "form": form,
    }
    return render(request, "documents/agents/service_list.html", context)


@agent_required(role=Role.MANAGER)
def requirement(request, requirement_id):
    found = get_object_or_404(
        Requirement.objects.select_related("service__prefecture"),
        pk=requirement_id,
        service__prefecture__in=prefectures_of(request.user),
    )
    form = RequirementForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        save_requirement(request, form, found.service)
        messages.success(request, _("Document modifié."))
        return redirect("documents:service_list", service_id=found.service_id)
    context = {
        "title": _("Modifier « %(name)s »") % {"name": found.name},
        "service": found.service,
        "form": form,
    }
    return render(request, "documents/agents/requirement.html", context)
