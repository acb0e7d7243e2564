"""The associations' space: file for a person, follow the people under a live mandate, revoke."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.backoffice.views.registration import on_behalf_page
from guichet.booking.enums import RequestStatus
from guichet.booking.receipts import current_appointment, rank_sentence, receipt_context
from guichet.booking.services import waiting_rank
from guichet.booking.views.follow import receipt_download
from guichet.catalogue.models import Service
from guichet.dates import local_time

from .access import member_required
from .forms import MandateForm
from .services import file_for_person, followed_mandates, followed_request_or_404, revoke_mandate


@member_required
def people(request):
    """« Mes personnes accompagnées »: each request under a live mandate, its status, date, rank."""
    rows = []
    for mandate in followed_mandates(request.organisation):
        followed = mandate.request
        appointment = current_appointment(followed)
        rows.append(
            {
                "mandate": mandate,
                "request": followed,
                "when": local_time(appointment.unit.starts_at, followed.prefecture.tz)
                if appointment
                else None,
                "rank": rank_sentence(*waiting_rank(followed))
                if followed.status == RequestStatus.WAITING
                else None,
            }
        )
    return render(
        request,
        "associations/people.html",
        {"title": _("Mes personnes accompagnées"), "rows": rows},
    )


@member_required
def file_request(request):
    """« Déposer une demande pour une personne »: the public rules, and the mandate with it."""
    organisation = request.organisation
    accredited = organisation.is_accredited(timezone.localdate())
    services = Service.objects.filter(
        prefecture__in=organisation.prefectures.all(), active=True
    ).select_related("prefecture")
    form, context = on_behalf_page(
        request,
        MandateForm,
        services if accredited else services.none(),
        title=_("Déposer une demande pour une personne"),
        accredited=accredited,
    )
    if request.method == "POST" and form is not None and form.is_valid():
        mandate = file_for_person(
            organisation=organisation,
            member=request.user,
            intake=form.intake(),
            scope=form.cleaned_data["scope"],
            consent=form.cleaned_data["consent"],
            ends_on=form.cleaned_data["ends_on"],
        )
        if mandate is None:
            return render(
                request,
                "associations/already_registered.html",
                {"title": _("Une demande est déjà enregistrée")},
            )
        messages.success(
            request, _("Demande enregistrée. Imprimez l'attestation pour la personne.")
        )
        return redirect("associations:person", mandate.request_id)
    return render(request, "associations/file.html", context)


@member_required
def person(request, request_id):
    followed, mandate = followed_request_or_404(request.organisation, request_id)
    context = receipt_context(followed)
    context.update(title=_("Demande %(number)s") % {"number": followed.number}, mandate=mandate)
    return render(request, "associations/person.html", context)


@member_required
def receipt_pdf(request, request_id):
    followed, _mandate = followed_request_or_404(request.organisation, request_id)
    return receipt_download(followed)


@member_required
@require_POST
def revoke(request, mandate_id):
    mandate = followed_mandates(request.organisation).filter(pk=mandate_id).first()
    if mandate is None:
        raise Http404
    revoke_mandate(mandate, request.user)
    messages.success(
        request,
        _("Mandat révoqué : votre organisation ne voit plus la demande %(number)s.")
        % {"number": mandate.request.number},
    )
    return redirect("associations:people")
