"""Agents' identity pages: open « Ce n'est pas moi » disputes with both requests side by side,
and one request to cancel with a reason, to merge with another of the same person, or, paused
after a release, to put back in line.

Every request and dispute is looked up among the agent's préfectures: another's is not found.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.booking.enums import EventKind, RequestStatus
from guichet.booking.models import Dispute, Request
from guichet.booking.reminders import may_resume_oneself
from guichet.booking.services import appointment_of
from guichet.dates import local_time

from ..access import agent_required, prefectures_of
from ..counter import find_request
from ..duplicates import (
    MORE_FACTS,
    ActionRefused,
    cancel_by_agent,
    merge_requests,
    open_disputes,
    possible_duplicates,
    reject_dispute,
    resume_by_agent,
    uphold_dispute,
)
from ..forms.duplicates import CancelForm, MergeForm, NumberForm, ResumeForm, SettleForm

UPHOLD, REJECT = "uphold", "reject"


def facts(booking_request: Request) -> list[tuple[str, str]]:
    """What an agent compares with the papers, line by line."""
    tz = booking_request.prefecture.tz
    appointment = appointment_of(booking_request)
    document = booking_request.identity_document
    return [
        (_("Numéro"), booking_request.number),
        (_("Préfecture"), booking_request.prefecture.name),
        (_("Motif"), booking_request.service.name),
        (_("Statut"), booking_request.get_status_display()),
        (_("Canal"), booking_request.get_channel_display()),
        (_("Enregistrée"), local_time(booking_request.registered_at, tz, seconds=True)),
        (_("Nom de famille"), booking_request.family_name.upper()),
        (_("Prénoms"), booking_request.given_names),
        (_("Date de naissance"), booking_request.birth_date.strftime("%d/%m/%Y")),
        (_("Nationalité"), booking_request.nationality or "—"),
        (
            _("Numéro étranger")
            if booking_request.service.needs_permit_number
            else _("Passeport ou document de voyage"),
            document or _("non renseigné"),
        ),
        (_("Courriel"), booking_request.email or "—"),
        (_("Portable"), booking_request.phone or "—"),
        (
            _("Rendez-vous"),
            local_time(appointment.unit.starts_at, tz, weekday=True) if appointment else "—",
        ),
        *((label, fact(booking_request)) for label, fact in MORE_FACTS),
    ]


# --- Disputes -----------------------------------------------------------------------------


def disputes_page(request, forms=None):
    forms = forms or {}
    listed = [
        (
            dispute,
            list(zip(facts(dispute.contested), facts(dispute.request), strict=True)),
            local_time(dispute.opened_at, dispute.prefecture.tz),
            forms.get(dispute.pk) or SettleForm(prefix=f"d{dispute.pk}"),
        )
        for dispute in open_disputes(prefectures_of(request.user))
    ]
    context = {"title": _("Contestations d'identité"), "disputes": listed}
    if forms:
        context["title"] = _("Erreur : %s") % context["title"]
    return render(request, "backoffice/duplicates/disputes.html", context)


@agent_required
def disputes(request):
    return disputes_page(request)


@agent_required
@require_POST
def settle_dispute(request, request_id):
    """Uphold (the contested request is cancelled, the person's enters the queue) or reject."""
    dispute = get_object_or_404(
        Dispute, request_id=request_id, prefecture__in=prefectures_of(request.user)
    )
    form = SettleForm(request.POST, prefix=f"d{dispute.pk}")
    decision = request.POST.get("decision")
    if decision not in (UPHOLD, REJECT) or not form.is_valid():
        return disputes_page(request, {dispute.pk: form})
    settle = uphold_dispute if decision == UPHOLD else reject_dispute
    try:
        settle(dispute, request.user, form.cleaned_data["note"])
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("backoffice:disputes")
    if decision == UPHOLD:
        done = _(
            "Contestation reconnue : la demande %(cancelled)s est annulée, la demande "
            "%(restored)s entre dans la file avec son heure d'enregistrement. Les deux "
            "personnes sont prévenues."
        ) % {"cancelled": dispute.contested.number, "restored": dispute.request.number}
    else:
        done = _(
            "Contestation rejetée : la demande %(kept)s garde sa place ; la personne qui "
            "contestait est prévenue."
        ) % {"kept": dispute.contested.number}
    messages.success(request, done)
    return redirect("backoffice:disputes")


# --- One request: cancel, merge -----------------------------------------------------------


@agent_required
def requests(request):
    """Find a request by its number or its receipt's QR code, to cancel or merge it."""
    form = NumberForm(request.GET or None)
    if form.is_valid():
        found = find_request(form.cleaned_data["number"], request.user)
        if found is not None:
            return redirect("backoffice:request_detail", found.pk)
        form.add_error(
            "number",
            _("Aucune demande de votre préfecture ne correspond à ce numéro ou à ce QR code."),
        )
    title = _("Annuler ou fusionner une demande")
    if form.errors:
        title = _("Erreur : %s") % title
    return render(request, "backoffice/duplicates/lookup.html", {"title": title, "form": form})


def request_of_agent(request, request_id) -> Request:
    """A request of the agent's préfectures; another's does not exist, whatever the method."""
    return get_object_or_404(
        Request.objects.select_related("prefecture", "service"),
        pk=request_id,
        prefecture__in=prefectures_of(request.user),
    )


def detail_page(
    request, booking_request: Request, cancel_form=None, merge_form=None, resume_form=None
):
    forms = (cancel_form, merge_form, resume_form)
    context = {
        "title": _("Demande %(number)s") % {"number": booking_request.number},
        "booking_request": booking_request,
        "facts": facts(booking_request),
        "duplicates": [
            (other, local_time(other.registered_at, other.prefecture.tz, seconds=True))
            for other in possible_duplicates(booking_request, prefectures_of(request.user))
        ],
        "cancel_form": cancel_form or CancelForm(),
        "merge_form": merge_form or MergeForm(),
        "resume_form": resume_form or ResumeForm(),
    }
    if booking_request.status == RequestStatus.PAUSED:
        context.update(
            releases=booking_request.events.filter(kind=EventKind.RELEASED).count(),
            may_resume=may_resume_oneself(booking_request),
        )
    if any(form and form.errors for form in forms):
        context["title"] = _("Erreur : %s") % context["title"]
    return render(request, "backoffice/duplicates/request.html", context)


@agent_required
def request_detail(request, request_id):
    return detail_page(request, request_of_agent(request, request_id))


def request_action(request, request_id, form_class, form_name: str, act, done: str):
    """Cancel or put back in line: the form checked (or the page again with its errors), the
    service's refusal or `done` told to the agent, then back to the request's page."""
    booking_request = request_of_agent(request, request_id)
    form = form_class(request.POST)
    if not form.is_valid():
        return detail_page(request, booking_request, **{form_name: form})
    try:
        act(booking_request, request.user, form.cleaned_data)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done % {"number": booking_request.number})
    return redirect("backoffice:request_detail", booking_request.pk)


@agent_required
@require_POST
def cancel(request, request_id):
    return request_action(
        request,
        request_id,
        CancelForm,
        "cancel_form",
        lambda booking_request, agent, data: cancel_by_agent(
            booking_request, agent, data["reason"]
        ),
        _("Demande %(number)s annulée ; la personne reçoit le motif."),
    )


@agent_required
@require_POST
def merge(request, request_id):
    booking_request = request_of_agent(request, request_id)
    form = MergeForm(request.POST)
    other = None
    if form.is_valid():
        other = find_request(form.cleaned_data["other"], request.user)
        if other is None:
            form.add_error("other", _("Aucune demande de votre préfecture ne porte ce numéro."))
    if other is None:
        return detail_page(request, booking_request, merge_form=form)
    try:
        kept, cancelled = merge_requests(booking_request, other, request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("backoffice:request_detail", booking_request.pk)
    messages.success(
        request,
        _(
            "Demandes fusionnées : %(kept)s, enregistrée la première, garde sa place ; "
            "%(cancelled)s est annulée et la personne en est prévenue."
        )
        % {"kept": kept.number, "cancelled": cancelled.number},
    )
    return redirect("backoffice:request_detail", kept.pk)


@agent_required
@require_POST
def resume(request, request_id):
    """A paused request back in line, papers checked: after its second release the person can
    no longer do it themselves (booking/reminders.py)."""
    return request_action(
        request,
        request_id,
        ResumeForm,
        "resume_form",
        lambda found, agent, data: resume_by_agent(found, agent, data["note"]),
        _(
            "Demande %(number)s remise dans la file d'attente, avec son heure "
            "d'enregistrement et son échéance : elle recevra une date à son tour, et la "
            "personne en sera prévenue."
        ),
    )
