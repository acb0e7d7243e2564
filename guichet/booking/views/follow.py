"""Pages a person reaches after registering: receipt, PDF, status by secret link; public check.

The status page is the applicant space: every action there is a POST that calls the service doing
it, then comes back to the status page saying in plain words what was done.
"""

import functools
import math

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.catalogue import cache
from guichet.dates import local_time
from guichet.languages import language_name, speak_their_language
from guichet.protection.guard import client_ip

from ..applicant_space import (
    ask_access_link,
    awaits_reconfirmation,
    code_attempts_left,
    contact_change_wait,
    contact_given_too_often,
    pending_offer,
    seconds_before_new_code,
    send_code_again,
    with_pending_offer,
)
from ..calendar import appointment_ics
from ..duplicates import open_dispute
from ..enums import EventKind, RequestStatus
from ..forms.follow import (
    CodeForm,
    ContactChangeForm,
    DisputeForm,
    FindLinkForm,
    PreferencesForm,
)
from ..models import Request
from ..offers import accept_offer, decline_offer
from ..pdf import render_receipt_pdf
from ..receipts import check_receipt, current_appointment, receipt_context
from ..reminders import (
    PAUSE_ANSWER_DAYS,
    answer_by,
    may_resume_oneself,
    reconfirm,
    resume_paused,
)
from ..services import (
    awaits_contact_confirmation,
    cancel_request,
    change_contact,
    confirm_contact,
    set_preferences,
)

# The token never leaves in a Referer (only the site's origin does), yet browsers still send the
# Origin of the page's own forms, which Django's CSRF check needs: « no-referrer » made every
# browser post with « Origin: null » and every form on these pages answer 403.
# docs/decisions/0001-secret-link-pages.md says why this policy and not another.
SECRET_LINK_REFERRER_POLICY = "strict-origin"
# The history's labels. get_kind_display() rebuilt a dictionary of every kind (translating each
# label) for every line of the history: a tenth of the status page's time.
EVENT_LABELS = dict(EventKind.choices)


def unlisted(view):
    """Pages reached by a link only its holder has (secret link, receipt QR): never indexed,
    never leaked to another site through the Referer header, never kept by a shared cache."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        response = view(*args, **kwargs)
        response["Referrer-Policy"] = SECRET_LINK_REFERRER_POLICY
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def request_by_token(http_request, token: str) -> Request:
    """The request, its appointment, pending offer and dossier in one query, its préfecture,
    motif and the appointment's site kept by the process (`catalogue.cache`): these pages are
    opened all day, and each query or join costs more than the rest of the page. The page then
    speaks the language stored with the request, unless this browser chose another
    (guichet.languages)."""
    requests = Request.objects.select_related(
        "appointment__unit",
        "document_dossier",  # the documents' checklist (documents.services.status_lines)
    )
    # Not get(): its LIMIT made PostgreSQL weigh fast-start plans for this join and spend ~5 ms
    # planning it at every view, against ~1 ms without (the token is unique).
    found = list(with_pending_offer(requests).filter(access_token=token).order_by())
    if not found:
        raise Http404
    booking_request = found[0]
    with_catalogue(booking_request)
    speak_their_language(http_request, booking_request)
    return booking_request


def with_catalogue(booking_request: Request) -> None:
    """The request's préfecture and motif, and its appointment's site, from the rows the process
    keeps (`catalogue.cache`); what they do not hold is read from the database if asked for."""
    kept = cache.service_and_sites(booking_request.service_id)
    if kept is None:
        return
    service, sites = kept
    booking_request.service = service
    if service.prefecture_id == booking_request.prefecture_id:
        booking_request.prefecture = service.prefecture
    appointment = getattr(booking_request, "appointment", None)
    if appointment is None:
        return
    unit = appointment.unit
    if unit.service_id == service.pk:
        unit.service = service
    site = next((site for site in sites if site.pk == unit.site_id), None)
    if site is not None:
        unit.site = site


def to_status(booking_request: Request):
    return redirect("booking:status", booking_request.access_token)


def applicant_page(view):
    """A page of one request, reached by its secret link: unlisted."""
    return unlisted(view)


def follow_page(request, booking_request: Request, name: str, title, **context):
    """A page of the request's own, `booking/follow/<name>.html`, with its title."""
    context.update(title=title, booking_request=booking_request)
    return render(request, f"booking/follow/{name}.html", context)


def contact_confirmation_context(booking_request: Request, code_form=None) -> dict:
    """The code form, shown while a contact waits to be confirmed."""
    awaiting = awaits_contact_confirmation(booking_request)
    return {
        "awaiting_code": awaiting,
        "code_form": (code_form or CodeForm()) if awaiting else None,
    }


@applicant_page
@require_GET
def receipt(request, token):
    booking_request = request_by_token(request, token)
    context = receipt_context(booking_request)
    context.update(contact_confirmation_context(booking_request))
    context.update(paused_context(booking_request))
    context["title"] = _("Attestation d'enregistrement de demande de rendez-vous")
    return render(request, "booking/follow/receipt.html", context)


@applicant_page
@require_GET
def receipt_pdf(request, token):
    booking_request = request_by_token(request, token)
    return receipt_download(booking_request, language=translation.get_language())


def receipt_download(booking_request: Request, language: str | None = None) -> HttpResponse:
    """The receipt's PDF, for the person or the association following the request."""
    pdf = render_receipt_pdf(booking_request, language=language)
    return download(pdf, "application/pdf", f"attestation-{booking_request.number}.pdf")


def download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def applicant_space(request, booking_request: Request, *, code_form=None, dispute_form=None):
    """The status page: the request, its history, and what the person can do about it now.

    Changing preferences or contact details has a page of its own: each form drawn here costs
    every visit, and most visits only look at the date.
    """
    now = timezone.now()
    tz = booking_request.prefecture.tz
    context = receipt_context(booking_request)
    context.update(contact_confirmation_context(booking_request, code_form))
    appointment = context["appointment"]
    offer = pending_offer(booking_request, now)
    # Only a request closed as a duplicate can be disputed: no query for the others.
    is_duplicate = booking_request.status == RequestStatus.DUPLICATE
    dispute = getattr(booking_request, "dispute", None) if is_duplicate else None
    may_dispute = is_duplicate and dispute is None
    context.update(
        title=_("Suivi de votre demande de rendez-vous"),
        history=[
            (local_time(at, tz, seconds=True), EVENT_LABELS.get(kind, kind))
            for at, kind in booking_request.events.values_list("at", "kind")
        ],
        offer=offer,
        offer_when=local_time(offer.unit.starts_at, tz, weekday=True) if offer else None,
        offer_until=local_time(offer.expires_at, tz) if offer else None,
        awaits_reconfirmation=awaits_reconfirmation(appointment, now),
        reconfirmed_when=local_time(appointment.reconfirmed_at, tz)
        if appointment and appointment.reconfirmed_at
        else None,
        message_language=language_name(booking_request.language),
        dispute=dispute,
        dispute_when=local_time(dispute.opened_at, tz) if dispute else None,
        dispute_form=(dispute_form or DisputeForm()) if may_dispute else None,
        **paused_context(booking_request),
    )
    return render(request, "booking/follow/status.html", context)


def paused_context(booking_request: Request) -> dict:
    """For a request paused after a release: by when the person must say they still need a
    date before it closes, and whether they still may themselves (once) or only the
    préfecture can."""
    until = answer_by(booking_request)
    return {
        "paused_until": local_time(until, booking_request.prefecture.tz) if until else None,
        "pause_days": PAUSE_ANSWER_DAYS,
        "may_resume": until is not None and may_resume_oneself(booking_request),
    }


@applicant_page
@require_GET
def status(request, token):
    return applicant_space(request, request_by_token(request, token))


# --- Confirming the contact ---------------------------------------------------------------


def code_refused(booking_request: Request) -> str:
    """Why a code was refused, and what to do: try again, or ask for a new one."""
    booking_request.refresh_from_db(fields=["verification_attempts"])
    left = code_attempts_left(booking_request)
    if not left:
        return _(
            "Trop d'essais avec un code erroné : ce code ne peut plus servir. Demandez un "
            "nouveau code avec le bouton « Renvoyer le code »."
        )
    return ngettext(
        "Ce code n'est pas le bon. Vérifiez les 6 chiffres du dernier message reçu : il vous "
        "reste %(n)d essai.",
        "Ce code n'est pas le bon. Vérifiez les 6 chiffres du dernier message reçu : il vous "
        "reste %(n)d essais.",
        left,
    ) % {"n": left}


def confirm_with(request, booking_request: Request, code: str):
    """The contact confirmed by `code`, then the status page saying what it changed; None when
    the code is refused."""
    was_unverified = booking_request.status == RequestStatus.UNVERIFIED
    if not confirm_contact(booking_request, code):
        return None
    booking_request.refresh_from_db(fields=["status"])
    if booking_request.status == RequestStatus.DUPLICATE:
        # The status page says why it did not enter the queue, and what to do.
        messages.success(request, _("Vos coordonnées sont confirmées."))
    elif was_unverified:
        messages.success(
            request,
            _(
                "Vos coordonnées sont confirmées. Votre demande est dans la file d'attente : "
                "vous serez prévenu dès qu'une date lui sera attribuée."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "Vos nouvelles coordonnées sont confirmées : les prochains messages y "
                "seront envoyés."
            ),
        )
    return to_status(booking_request)


def awaiting_contact(view):
    """A page of the contact's confirmation: once nothing waits to be confirmed, it says so and
    leads back to the status page. The view gets the request instead of its token."""

    @functools.wraps(view)
    def page(request, token, **kwargs):
        booking_request = request_by_token(request, token)
        if not awaits_contact_confirmation(booking_request):
            messages.info(request, _("Il n'y a aucune coordonnée à confirmer pour cette demande."))
            return to_status(booking_request)
        return view(request, booking_request, **kwargs)

    return page


@applicant_page
@require_POST
@awaiting_contact
def confirm_code(request, booking_request):
    """The code typed on the receipt or status page."""
    form = CodeForm(request.POST)
    if form.is_valid():
        if confirmed := confirm_with(request, booking_request, form.cleaned_data["code"]):
            return confirmed
        form.add_error("code", code_refused(booking_request))
    return applicant_space(request, booking_request, code_form=form)


@applicant_page
@require_http_methods(["GET", "POST"])
@awaiting_contact
def confirm_link(request, booking_request, code):
    """The link sent with the code. Mail scanners open links: only the button's POST confirms."""
    if request.method == "POST":
        if confirmed := confirm_with(request, booking_request, code):
            return confirmed
        messages.error(request, code_refused(booking_request))
        return to_status(booking_request)
    return follow_page(request, booking_request, "confirm_link", _("Confirmer vos coordonnées"))


@applicant_page
@require_POST
@awaiting_contact
def resend_code(request, booking_request):
    if wait := seconds_before_new_code(booking_request):
        messages.warning(request, code_recently_sent(wait))
    else:
        send_code_again(booking_request)
        messages.success(
            request,
            _(
                "Un nouveau message avec le code vient d'être envoyé. Il peut mettre quelques "
                "minutes à arriver ; pensez à regarder dans les courriers indésirables."
            ),
        )
    return to_status(booking_request)


def code_recently_sent(wait: int) -> str:
    return ngettext(
        "Un code vient d'être envoyé. Attendez %(n)d seconde avant d'en demander un autre : "
        "un message met parfois quelques minutes à arriver.",
        "Un code vient d'être envoyé. Attendez %(n)d secondes avant d'en demander un autre : "
        "un message met parfois quelques minutes à arriver.",
        wait,
    ) % {"n": wait}


# --- The appointment ----------------------------------------------------------------------


@applicant_page
@require_GET
def appointment_calendar(request, token):
    """The appointment as an .ics file, for the person's own calendar."""
    booking_request = request_by_token(request, token)
    appointment = current_appointment(booking_request)
    if appointment is None:
        raise Http404(_("Cette demande n'a pas de rendez-vous."))
    return download(
        appointment_ics(appointment, language=translation.get_language()),
        "text/calendar; charset=utf-8",
        f"rendez-vous-{booking_request.number}.ics",
    )


@applicant_page
@require_POST
def confirm_attendance(request, token):
    booking_request = request_by_token(request, token)
    appointment = current_appointment(booking_request)
    if awaits_reconfirmation(appointment) and reconfirm(booking_request):
        messages.success(
            request,
            _("Merci : votre venue est confirmée, votre rendez-vous %(when)s est maintenu.")
            % {"when": local_time(appointment.unit.starts_at, booking_request.prefecture.tz)},
        )
    else:
        messages.info(request, _("Aucun rendez-vous n'attend de confirmation de votre venue."))
    return to_status(booking_request)


@applicant_page
@require_POST
def answer_offer(request, token, offer_id, accept):
    """Accept or decline an earlier date; only an offer made to this request can be answered."""
    booking_request = request_by_token(request, token)
    offer = get_object_or_404(booking_request.offers.select_related("unit__site"), pk=offer_id)
    tz = booking_request.prefecture.tz
    previous = current_appointment(booking_request)
    if not (accept_offer if accept else decline_offer)(offer):
        messages.error(
            request,
            _(
                "Cette proposition n'est plus valable : le délai pour répondre est passé ou "
                "vous y avez déjà répondu. Votre rendez-vous reste inchangé."
            ),
        )
    elif accept:
        messages.success(
            request,
            _(
                "C'est noté : votre rendez-vous est avancé %(when)s, %(site)s. Votre ancien "
                "créneau est proposé à une autre personne."
            )
            % {"when": local_time(offer.unit.starts_at, tz), "site": offer.unit.site.name},
        )
    else:
        messages.success(
            request,
            _(
                "C'est noté : vous gardez votre rendez-vous %(when)s. Le créneau proposé passe "
                "à la personne suivante."
            )
            % {"when": local_time(previous.unit.starts_at, tz)},
        )
    return to_status(booking_request)


def only_the_prefecture() -> str:
    return _(
        "Vous avez déjà remis cette demande dans la file vous-même une fois : seule la "
        "préfecture peut maintenant l'y remettre. Présentez-vous au guichet de la préfecture "
        "ou appelez-la, avec vos documents d'identité : un agent les vérifiera. Rien n'a changé."
    )


@applicant_page
@require_http_methods(["GET", "POST"])
def still_needed(request, token):
    """« J'ai toujours besoin d'un rendez-vous »: a paused request goes back in the queue, once;
    after that only the préfecture can put it back, and the page says so. The release message
    links here; mail scanners open links, so only the button's POST does it."""
    booking_request = request_by_token(request, token)
    if booking_request.status != RequestStatus.PAUSED:
        messages.info(
            request, _("Cette demande n'attend pas de réponse de votre part : rien n'a changé.")
        )
        return to_status(booking_request)
    if request.method == "POST":
        if not may_resume_oneself(booking_request):
            messages.error(request, only_the_prefecture())
        elif resume_paused(booking_request):
            messages.success(
                request,
                _(
                    "C'est noté : votre demande est de nouveau dans la file d'attente, avec son "
                    "heure d'enregistrement et son échéance d'origine. Vous serez prévenu dès "
                    "qu'une nouvelle date lui sera attribuée."
                ),
            )
        return to_status(booking_request)
    return follow_page(
        request,
        booking_request,
        "still_needed",
        _("Avez-vous toujours besoin d'un rendez-vous ?"),
        **paused_context(booking_request),
    )


@applicant_page
@require_http_methods(["GET", "POST"])
def cancel(request, token):
    """A confirmation step, then the cancellation: the unit goes at once to someone else."""
    booking_request = request_by_token(request, token)
    if not booking_request.is_active:
        messages.info(request, _("Cette demande n'est plus active : il n'y a rien à annuler."))
        return to_status(booking_request)
    appointment = current_appointment(booking_request)
    tz = booking_request.prefecture.tz
    when = local_time(appointment.unit.starts_at, tz, weekday=True) if appointment else None
    if request.method == "POST":
        cancel_request(booking_request, by="applicant")
        if appointment:
            done = _(
                "Votre demande %(number)s est annulée. Votre rendez-vous %(when)s est proposé "
                "dès maintenant à une autre personne de la file d'attente."
            ) % {"number": booking_request.number, "when": when}
        else:
            done = _("Votre demande %(number)s est annulée : elle a quitté la file d'attente.") % {
                "number": booking_request.number
            }
        messages.success(request, done)
        return to_status(booking_request)
    return follow_page(
        request,
        booking_request,
        "cancel",
        _("Annuler ma demande de rendez-vous"),
        appointment=appointment,
        appointment_when=when,
    )


@applicant_page
@require_POST
def dispute(request, token):
    """« Ce n'est pas moi », from the page of a request closed as a duplicate."""
    booking_request = request_by_token(request, token)
    if booking_request.status != RequestStatus.DUPLICATE or hasattr(booking_request, "dispute"):
        messages.info(request, _("Il n'y a rien à contester pour cette demande."))
        return to_status(booking_request)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return applicant_space(request, booking_request, dispute_form=form)
    open_dispute(
        booking_request, account=form.cleaned_data["account"], proof=form.cleaned_data["proof"]
    )
    messages.success(
        request,
        _(
            "Votre contestation est enregistrée. Un agent de la préfecture l'examinera en "
            "vérifiant vos documents ; vous recevrez un message dès qu'il aura décidé."
        ),
    )
    return to_status(booking_request)


# --- Preferences and contact --------------------------------------------------------------


def still_active_or_say_so(request, booking_request: Request) -> bool:
    if booking_request.is_active:
        return True
    messages.info(request, _("Cette demande n'est plus active : elle ne peut plus être modifiée."))
    return False


@applicant_page
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    """Earlier dates or not, and the language of messages: a page of its own."""
    booking_request = request_by_token(request, token)
    if not still_active_or_say_so(request, booking_request):
        return to_status(booking_request)
    if request.method == "GET":
        form = PreferencesForm(
            initial={
                "accepts_offers": booking_request.accepts_offers,
                "language": booking_request.language,
            }
        )
        return change_page(request, booking_request, "preferences", form)
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return change_page(request, booking_request, "preferences", form)
    accepts_offers, language = form.cleaned_data["accepts_offers"], form.cleaned_data["language"]
    if (accepts_offers, language) == (booking_request.accepts_offers, booking_request.language):
        messages.info(request, _("Vos préférences n'ont pas changé."))
        return to_status(booking_request)
    set_preferences(booking_request, accepts_offers=accepts_offers, language=language)
    offers_said = (
        _("des dates plus proches vous seront proposées si un créneau se libère")
        if accepts_offers
        else _("aucune date plus proche ne vous sera proposée")
    )
    messages.success(
        request,
        _("Vos préférences sont enregistrées : %(offers)s ; vos messages seront en %(language)s.")
        % {"offers": offers_said, "language": language_name(language)},
    )
    return to_status(booking_request)


@applicant_page
@require_http_methods(["GET", "POST"])
def new_contact(request, token):
    """New contact details: a code goes to them; they replace the old ones once confirmed."""
    booking_request = request_by_token(request, token)
    if not still_active_or_say_so(request, booking_request):
        return to_status(booking_request)
    form = ContactChangeForm(request.POST or None, booking_request=booking_request)
    if not form.is_valid():
        return change_page(request, booking_request, "new_contact", form)
    if wait := seconds_before_new_code(booking_request):
        messages.warning(request, code_recently_sent(wait))
        return to_status(booking_request)
    email, phone = form.cleaned_data["email"], form.cleaned_data["phone"]
    if wait := contact_change_wait(booking_request, email=email, phone=phone):
        messages.error(request, contact_given_too_often(wait))
        return to_status(booking_request)
    change_contact(booking_request, email=email, phone=phone)
    messages.success(
        request,
        _(
            "Un code vient d'être envoyé à vos nouvelles coordonnées. Saisissez-le ci-dessous : "
            "elles remplaceront les anciennes une fois confirmées. D'ici là, les messages "
            "continuent d'arriver aux anciennes."
        ),
    )
    return to_status(booking_request)


CHANGE_PAGE_TITLES = {
    "preferences": _lazy("Modifier mes préférences"),
    "new_contact": _lazy("Modifier mes coordonnées"),
}


def change_page(request, booking_request: Request, name: str, form):
    """The page of one change to the request, its form blank, filled or with its errors."""
    return follow_page(request, booking_request, name, CHANGE_PAGE_TITLES[name], form=form)


# --- A lost link --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def find_link(request):
    """The same answer whether or not the number and contact match: nobody can use this page
    to learn who has a request."""
    form = FindLinkForm(request.POST or None)
    context = {"title": _("Retrouver mon lien de suivi"), "form": form}
    if request.method == "POST" and form.is_valid():
        wait = ask_access_link(
            form.cleaned_data["number"], form.cleaned_data["contact"], client_ip(request)
        )
        if not wait:
            return render(request, "booking/follow/find_link_sent.html", context)
        minutes = max(1, math.ceil(wait / 60))
        context["refused"] = ngettext(
            "Trop de demandes de lien depuis cette connexion ou pour ces coordonnées. "
            "Réessayez dans %(n)d minute.",
            "Trop de demandes de lien depuis cette connexion ou pour ces coordonnées. "
            "Réessayez dans %(n)d minutes.",
            minutes,
        ) % {"n": minutes}
        return render(request, "booking/follow/find_link.html", context, status=429)
    return render(request, "booking/follow/find_link.html", context)


@unlisted
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
