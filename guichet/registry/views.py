"""Back-office pages of the registry: imports (managers), and the review of held renewals."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guichet.backoffice.access import agent_required, prefectures_of
from guichet.backoffice.enums import Role
from guichet.booking.enums import RequestStatus
from guichet.booking.models import Request

from .checks import accept_permit, held_requests, registry_entries_for, reject_permit
from .forms import ImportForm, RejectForm
from .imports import import_permits

RECENT_IMPORTS = 10


def registry_summary(prefecture) -> dict:
    """What a manager checks after an import: permits known, invitations, numbers to check."""
    return {
        "prefecture": prefecture,
        "permits": prefecture.permits.count(),
        "invited": prefecture.permits.filter(invited_request__isnull=False).count(),
        "held": prefecture.requests.filter(status=RequestStatus.HELD).count(),
        "imports": prefecture.registry_imports.select_related("imported_by")[:RECENT_IMPORTS],
    }


def registry_page(request, form=None):
    prefectures = prefectures_of(request.user)
    context = {
        "title": _("Registre des titres de séjour"),
        "summaries": [registry_summary(p) for p in prefectures],
        "form": form,
    }
    if form is None and request.agent.has_role(Role.MANAGER):
        context["form"] = ImportForm(prefectures=prefectures)
    return render(request, "registry/registry.html", context)


@agent_required
def registry(request):
    return registry_page(request)


@agent_required(role=Role.MANAGER)
@require_POST
def upload(request):
    form = ImportForm(request.POST, request.FILES, prefectures=prefectures_of(request.user))
    if not form.is_valid():
        return registry_page(request, form)
    prefecture = form.cleaned_data["prefecture"]
    batch = import_permits(prefecture, form.cleaned_data["file"], request.user)
    # One ngettext per count, so each noun agrees with its number and makemessages finds them.
    titles = [
        ngettext("%(n)d titre ajouté", "%(n)d titres ajoutés", batch.created)
        % {"n": batch.created},
        ngettext("%(n)d modifié", "%(n)d modifiés", batch.updated) % {"n": batch.updated},
        ngettext("%(n)d inchangé", "%(n)d inchangés", batch.unchanged) % {"n": batch.unchanged},
        ngettext("%(n)d ligne refusée", "%(n)d lignes refusées", batch.rejected)
        % {"n": batch.rejected},
    ]
    summary = _("Import de « %(file)s » : %(titles)s ; %(invited)s.") % {
        "file": batch.file_name,
        "titles": ", ".join(titles),
        "invited": ngettext("%(n)d convocation", "%(n)d convocations", batch.invited)
        % {"n": batch.invited},
    }
    (messages.warning if batch.rejected or batch.errors else messages.success)(request, summary)
    return redirect("backoffice:registry")


def held_request_or_404(request, request_id) -> Request:
    """Another préfecture's request does not exist for this agent, whatever the method."""
    return get_object_or_404(Request, pk=request_id, prefecture__in=prefectures_of(request.user))


def review_page(request, reject_forms=None):
    reject_forms = reject_forms or {}
    held = list(held_requests(prefectures_of(request.user)))
    entries = registry_entries_for(held)
    context = {
        "title": _("Numéros étrangers à vérifier"),
        "held": [
            (
                held_request,
                entries.get(held_request.pk),
                reject_forms.get(held_request.pk) or RejectForm(prefix=f"r{held_request.pk}"),
            )
            for held_request in held
        ],
    }
    return render(request, "registry/review.html", context)


def back_to_review(request, decided: bool, done: str):
    """The queue again, saying what was decided, or that another agent decided first."""
    if decided:
        messages.success(request, done)
    else:
        messages.info(request, _("Cette demande n'est plus en attente de vérification."))
    return redirect("backoffice:registry_review")


@agent_required
def review_queue(request):
    return review_page(request)


@agent_required
def accept(request, request_id):
    held = held_request_or_404(request, request_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return back_to_review(
        request,
        accept_permit(held, request.user),
        _("Demande %(number)s vérifiée : elle entre dans la file d'attente.")
        % {"number": held.number},
    )


@agent_required
def reject(request, request_id):
    held = held_request_or_404(request, request_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = RejectForm(request.POST, prefix=f"r{held.pk}")
    if not form.is_valid():
        return review_page(request, {held.pk: form})
    return back_to_review(
        request,
        reject_permit(held, request.user, form.cleaned_data["reason"]),
        _("Demande %(number)s annulée ; la personne reçoit le motif.") % {"number": held.number},
    )
