"""Registering a request on someone's behalf: the public intake's fields and rules on one page.

An agent (at the counter, on the phone, from a letter) or an association member fills in what the
person tells them. Every field is checked by the same rule as on the public pages
(`guichet.booking.validation`); only the contact is optional, since some people have neither an
e-mail address nor a mobile phone.
"""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.booking import validation
from guichet.booking.enums import Channel
from guichet.booking.forms import IntakeBoundField
from guichet.booking.forms import intake as intake_forms
from guichet.booking.services import Applicant

# The ways a person reaches a préfecture agent without the web.
AGENT_DESK_CHANNELS = (Channel.COUNTER, Channel.PHONE, Channel.POST)


class ServiceChoiceForm(forms.Form):
    """First choose the motif: the fields asked (permit number, expiry date) depend on it."""

    bound_field_class = IntakeBoundField
    motif: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Motif du rendez-vous"),
        queryset=None,
        empty_label=_("Choisissez un motif"),
        widget=forms.Select(attrs={"class": "fr-select"}),
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motif"].queryset = services
        if len({service.prefecture_id for service in services}) > 1:
            self.fields["motif"].label_from_instance = lambda s: f"{s.prefecture} — {s.name}"


def person_language_choices() -> list[tuple[str, str]]:
    """The nine languages as an agent reads them: « Arabe — العربية »."""
    return [
        (code, f"{translation.get_language_info(code)['name_translated']} — {name}")
        for code, name in settings.LANGUAGES
    ]


class OnBehalfForm(
    intake_forms.IdentityForm,
    intake_forms.ContactForm,
    intake_forms.ExpiryForm,
    intake_forms.SitesForm,
):
    """The whole intake for one motif, filled in by someone who helps the person, who may have
    no contact to give."""

    contact_required = False

    # People helped at the counter are often those who read French least: their messages and
    # pages can be in their own language.
    language = forms.ChoiceField(
        label=_("Langue de la personne"),
        initial=settings.LANGUAGE_CODE,
        required=False,  # left out: French
        widget=forms.Select(attrs={"class": "fr-select"}),
        help_text=_("Ses courriels, ses SMS et ses pages de suivi seront dans cette langue."),
    )

    field_order = [
        "family_name",
        "given_names",
        "birth_date",
        "nationality",
        "permit_number",
        "passport_number",
        "permit_expires_on",
        "email",
        "phone",
        "language",
        "sites",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.intake_context.motif.has_legal_deadline:
            del self.fields["permit_expires_on"]
        if "passport_number" in self.fields:
            self.fields["passport_number"].help_text = _(
                "Recopiez le numéro du passeport ou du document de voyage présenté, sur la page "
                "de la photo. Lettres et chiffres ; les espaces et les tirets ne comptent pas."
            )
        self.fields["email"].help_text = _("Facultatif. Format attendu : nom@exemple.fr")
        self.fields["phone"].help_text = _(
            "Facultatif. Sans courriel ni portable, la personne ne reçoit aucun message : "
            "remettez-lui ou envoyez-lui l'attestation et sa date par courrier."
        )
        self.fields["language"].choices = person_language_choices()
        if "sites" not in self.data:
            self.initial.setdefault("sites", [str(site.pk) for site in self.offered_sites])

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or settings.LANGUAGE_CODE

    def intake(self) -> validation.ValidIntake:
        """The checked request, ready for `register_request`."""
        data = self.cleaned_data
        applicant = Applicant(
            **{name: data[name] for name in Applicant.__dataclass_fields__ if name in self.fields}
        )
        return validation.ValidIntake(
            service=self.intake_context.motif, applicant=applicant, sites=data["sites"]
        )


class AgentRegistrationForm(OnBehalfForm):
    """An agent also records how the person reached the préfecture."""

    channel = forms.ChoiceField(
        label=_("Canal"),
        choices=[(channel.value, channel.label) for channel in AGENT_DESK_CHANNELS],
        initial=Channel.COUNTER,
        widget=forms.RadioSelect,
        help_text=_("Comment la personne s'est adressée à la préfecture."),
    )

    field_order = ["channel", *OnBehalfForm.field_order]
