"""Public intake pages: préfecture → service → identity → contact → expiry → sites → confirm.

What the person typed stays in their session, step by step, already checked; nothing is written to
the database before the final « Envoyer ma demande », which checks everything once more.
"""

import dataclasses
import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.catalogue.models import Prefecture, Service, Site
from guichet.languages import with_french
from guichet.protection.guard import ChallengeRefused, RateLimited, guard_submission

from .. import validation
from ..enums import Channel
from ..forms import intake as intake_forms
from ..services import register_request

SESSION_KEY = "intake"
# The access token of the request this session just registered: a second click on « Envoyer »
# leads to the same receipt instead of a « session expired » page.
REGISTERED_KEY = "intake_registered"
RETURN_TO_SUMMARY = "recapitulatif"


@dataclasses.dataclass(frozen=True)
class Step:
    slug: str
    title: str | Promise
    form_class: type[intake_forms.StepForm] | None = None
    template: str = "booking/intake/step.html"
    # What must be chosen before: the préfecture (every step but the first), the service.
    needs_service: bool = True
    only_with_legal_deadline: bool = False

    @property
    def form_type(self) -> type[intake_forms.StepForm]:
        if self.form_class is None:
            raise ValueError(f"the step « {self.slug} » has no form")
        return self.form_class

    def applies_to(self, service: Service | None) -> bool:
        return not (self.only_with_legal_deadline and service and not service.has_legal_deadline)

    @property
    def url(self) -> str:
        if self is STEPS[0]:
            return reverse("booking:start")
        return reverse("booking:step", args=[self.slug])


STEPS = [
    Step(
        "prefecture",
        gettext_lazy("Votre préfecture"),
        intake_forms.PrefectureForm,
        needs_service=False,
    ),
    Step(
        "motif",
        gettext_lazy("Le motif du rendez-vous"),
        intake_forms.ServiceForm,
        template="booking/intake/service.html",
        needs_service=False,
    ),
    Step("identite", gettext_lazy("Votre identité"), intake_forms.IdentityForm),
    Step("contact", gettext_lazy("Vos coordonnées"), intake_forms.ContactForm),
    Step(
        "echeance",
        gettext_lazy("La fin de validité de votre document"),
        intake_forms.ExpiryForm,
        only_with_legal_deadline=True,
    ),
    Step("lieux", gettext_lazy("Les lieux possibles"), intake_forms.SitesForm),
    Step(
        "recapitulatif",
        gettext_lazy("Vérification et envoi"),
        template="booking/intake/confirm.html",
    ),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}
SUMMARY = STEPS[-1]


@dataclasses.dataclass
class Progress:
    """Where a person is in the intake: what they chose so far and which steps apply."""

    state: dict
    prefecture: Prefecture | None
    service: Service | None

    @classmethod
    def of(cls, state: dict) -> "Progress":
        prefecture = service = None
        try:
            prefecture = validation.find_prefecture(state.get("prefecture"))
            service = validation.find_service(prefecture, state.get("service"))
        except ValidationError:
            pass
        return cls(state, prefecture, service)

    @property
    def department_code(self) -> str:
        """The chosen préfecture's code, for what is priced or limited per préfecture."""
        return self.prefecture.department_code if self.prefecture else ""

    @property
    def steps(self) -> list[Step]:
        return [step for step in STEPS if step.applies_to(self.service)]

    def context(self) -> validation.IntakeContext | None:
        if self.prefecture is None:
            return None
        return validation.IntakeContext(prefecture=self.prefecture, service=self.service)

    def form(self, step: Step, data=None, **kwargs) -> intake_forms.StepForm:
        return step.form_type(data, context=self.context(), **kwargs)

    def is_complete(self, step: Step) -> bool:
        """What is kept for this step still passes its rules (later choices may change them)."""
        if step is not STEPS[0] and self.prefecture is None:
            return False
        if step.needs_service and self.service is None:
            return False
        # A form reads only its own fields: the declared ones cover those it may drop.
        data = {name: self.state.get(name, "") for name in step.form_type.base_fields}
        return self.form(step, data).is_valid()

    def first_incomplete(self) -> Step:
        return next(
            (step for step in self.steps if step is not SUMMARY and not self.is_complete(step)),
            SUMMARY,
        )

    def initial(self, form: intake_forms.StepForm) -> dict:
        initial = {name: self.state[name] for name in form.fields if name in self.state}
        if isinstance(form, intake_forms.SitesForm):
            offered = {str(site.pk) for site in form.offered_sites}
            kept = [str(pk) for pk in initial.get("sites", []) if str(pk) in offered]
            initial["sites"] = kept or sorted(offered)
        return initial


def stored(value):
    """A cleaned value as the session can keep it (JSON)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [item.pk if isinstance(item, Site) else item for item in value]
    return value


def session_expired(request):
    messages.info(
        request,
        _(
            "Votre session a expiré ou n'a pas été trouvée, et rien n'a été enregistré. "
            "Merci de recommencer votre demande depuis le début."
        ),
    )
    return redirect("booking:start")


def start(request):
    return step(request, STEPS[0].slug)


def step(request, slug):
    current = STEP_BY_SLUG.get(slug)
    if current is None:
        raise Http404
    state = request.session.get(SESSION_KEY)
    if state is None:
        if current is SUMMARY and request.method == "POST" and REGISTERED_KEY in request.session:
            return redirect("booking:receipt", request.session[REGISTERED_KEY])
        if current is not STEPS[0]:
            return session_expired(request)
        state = {}
    progress = Progress.of(state)
    steps = progress.steps
    blocking = progress.first_incomplete()
    if current not in steps or steps.index(current) > steps.index(blocking):
        return redirect(blocking.url)
    if current is SUMMARY:
        return summary(request, progress)

    returning = request.GET.get("retour") == RETURN_TO_SUMMARY
    if request.method == "POST":
        form = progress.form(current, request.POST)
        if form.is_valid():
            state.update({name: stored(form.cleaned_data[name]) for name in form.fields})
            request.session[SESSION_KEY] = state
            progress = Progress.of(state)
            if returning:
                return redirect(progress.first_incomplete().url)
            steps = progress.steps
            return redirect(steps[steps.index(current) + 1].url)
    else:
        form = progress.form(current)
        form.initial = progress.initial(form)
    return render(
        request, current.template, page_context(progress, current, form=form, returning=returning)
    )


def page_context(progress: Progress, current: Step, **extra) -> dict:
    steps = progress.steps
    position = steps.index(current)
    form = extra.get("form")
    has_errors = bool(form is not None and form.errors) or bool(extra.get("refusal"))
    return {
        "title": (_("Erreur : %s") % current.title) if has_errors else current.title,
        "step": current,
        "position": position + 1,
        "total": len(steps),
        "next_step": steps[position + 1] if position + 1 < len(steps) else None,
        "previous_step": steps[position - 1] if position else None,
        "prefecture": progress.prefecture,
        "service": progress.service,
        **extra,
    }


def summary(request, progress: Progress):
    """The last step: everything at a glance, each part with its « Modifier » link, then send."""
    if request.method != "POST":
        return render(request, SUMMARY.template, summary_context(request, progress))
    try:
        intake = validation.validate_intake(progress.state)
    except validation.IntakeInvalid:
        messages.error(
            request, _("Une information n'est plus valable : vérifiez-la puis renvoyez.")
        )
        return redirect(progress.first_incomplete().url)
    try:
        guard_submission(
            request,
            altcha_payload=request.POST.get("altcha", ""),
            contacts=intake.contacts,
            prefecture=progress.department_code,
        )
    except (ChallengeRefused, RateLimited) as refusal:
        status = 429 if isinstance(refusal, RateLimited) else 403
        response = render(
            request,
            SUMMARY.template,
            summary_context(request, progress, refusal=str(refusal)),
            status=status,
        )
        if isinstance(refusal, RateLimited):
            response["Retry-After"] = str(refusal.retry_after)
        return response
    # Whether this identity already holds a place is not told here, nor by any message to the
    # contact typed: every submission gets its own receipt and code (booking/duplicates.py).
    registered, _created = register_request(
        service=intake.service, applicant=intake.applicant, sites=intake.sites, channel=Channel.WEB
    )
    del request.session[SESSION_KEY]
    request.session[REGISTERED_KEY] = registered.access_token
    return redirect("booking:receipt", registered.access_token)


def summary_context(request, progress: Progress, **extra) -> dict:
    intake = validation.validate_intake(progress.state)
    applicant = intake.applicant
    edit = f"?retour={RETURN_TO_SUMMARY}"
    sections = [
        (STEP_BY_SLUG["prefecture"], [(_("Préfecture"), str(progress.prefecture))]),
        (STEP_BY_SLUG["motif"], [(_("Motif"), intake.service.name)]),
        (
            STEP_BY_SLUG["identite"],
            [
                (_("Nom de famille"), applicant.family_name),
                (_("Prénoms"), applicant.given_names),
                (_("Date de naissance"), applicant.birth_date),
                (_("Nationalité"), applicant.nationality),
            ]
            + (
                [(with_french(_("Numéro étranger"), "numéro étranger"), applicant.permit_number)]
                if applicant.permit_number
                else []
            )
            + (
                [(_("Numéro de passeport ou de document de voyage"), applicant.passport_number)]
                if applicant.passport_number
                else []
            ),
        ),
        (
            STEP_BY_SLUG["contact"],
            [
                (_("Adresse électronique"), applicant.email or _("non renseignée")),
                (_("Téléphone portable"), applicant.phone or _("non renseigné")),
            ],
        ),
    ]
    if applicant.permit_expires_on:
        sections.append(
            (
                STEP_BY_SLUG["echeance"],
                [(validation.expiry_label(intake.service), applicant.permit_expires_on)],
            )
        )
    sections.append(
        (STEP_BY_SLUG["lieux"], [(_("Lieux acceptés"), ", ".join(s.name for s in intake.sites))])
    )
    return page_context(
        progress,
        SUMMARY,
        sections=[(step, step.url + edit, rows) for step, rows in sections],
        altcha_enabled=settings.GUICHET_ALTCHA_ENABLED,
        # Priced for this préfecture's recent intake (protection.difficulty).
        challenge_url=reverse("booking:challenge") + f"?prefecture={progress.department_code}",
        **extra,
    )
