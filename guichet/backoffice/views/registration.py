"""Agents register a request on someone's behalf (counter, phone, post): same rules, same queue
as the web, and a receipt to print for the person."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from guichet.booking.models import Request
from guichet.booking.receipts import receipt_context
from guichet.booking.validation import IntakeContext
from guichet.catalogue.models import Service

from ..access import agent_required, prefecture_or_403, prefectures_of
from ..forms.registration import AgentRegistrationForm, ServiceChoiceForm
from ..registration import register_for_person


def on_behalf_page(request, form_class, services, **extra):
    """The motif chooser and, once a motif is chosen, the intake form for it.

    Returns (form, context): `form` is valid when the page was posted and everything passed.
    """
    choice = ServiceChoiceForm(request.GET or None, services=services)
    context = {"choice": choice, **extra}
    form = None
    if choice.is_valid():
        service = choice.cleaned_data["motif"]
        form = form_class(
            request.POST if request.method == "POST" else None,
            context=IntakeContext(prefecture=service.prefecture, service=service),
        )
        context.update(service=service, form=form)
    if form is not None and form.errors:
        context["title"] = _("Erreur : %s") % context["title"]
    return form, context


@agent_required
def registration(request):
    services = Service.objects.filter(
        prefecture__in=prefectures_of(request.user), active=True
    ).select_related("prefecture")
    form, context = on_behalf_page(
        request,
        AgentRegistrationForm,
        services,
        title=_("Enregistrer une demande pour une personne"),
    )
    if request.method == "POST" and form is not None and form.is_valid():
        return register_on_behalf(request, form)
    return render(request, "backoffice/registration/form.html", context)


def register_on_behalf(request, form: AgentRegistrationForm):
    """Open the receipt of the request registered (backoffice/registration.py), or of the one
    the person already had here; only a word if it is another préfecture's."""
    done = register_for_person(request.user, form.intake(), form.cleaned_data["channel"])
    if done.request is None:
        return render(
            request,
            "backoffice/registration/elsewhere.html",
            {"title": _("Une demande est déjà enregistrée dans une autre préfecture")},
        )
    if done.created:
        messages.success(
            request, _("Demande enregistrée. Imprimez l'attestation pour la personne.")
        )
    else:
        messages.warning(
            request,
            _(
                "Cette personne a déjà une demande active pour ce type de démarche : la voici. "
                "Elle garde sa place ; aucune nouvelle demande n'a été créée."
            ),
        )
    return redirect("backoffice:registration_receipt", done.request.pk)


@agent_required
def registration_receipt(request, request_id):
    """The receipt to print or hand over, with the PDF, for a request of the agent's préfecture."""
    booking_request = get_object_or_404(
        Request.objects.select_related("prefecture", "service"), pk=request_id
    )
    prefecture_or_403(request.user, booking_request.prefecture_id)
    context = receipt_context(booking_request)
    context.update(
        title=_("Attestation d'enregistrement — %(number)s") % {"number": booking_request.number},
        has_contact=bool(booking_request.email or booking_request.phone),
    )
    return render(request, "backoffice/registration/receipt.html", context)
