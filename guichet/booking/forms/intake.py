"""The intake pages' forms: one per step, every field checked by its rule in `validation`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.models import Prefecture
from guichet.languages import with_french_lazy

from .. import validation
from ..validation import IntakeContext
from . import IntakeBoundField


class RuleField(forms.CharField):
    """A text field left to the rules of `validation`: the browser's limits are only a help."""

    def __init__(self, *, label, max_length=None, input_type="text", help_text="", **attrs):
        widget = forms.TextInput(attrs={"class": "fr-input", **attrs})
        widget.input_type = input_type
        if max_length:
            widget.attrs["maxlength"] = max_length
        super().__init__(
            label=label, required=False, strip=False, help_text=help_text, widget=widget
        )


class ChoiceByRule(forms.ChoiceField):
    """A choice checked by a rule of `validation`, with its own message, not Django's."""

    def validate(self, value):
        pass


class ChoicesByRule(forms.MultipleChoiceField):
    """Checkboxes whose choice is checked by a rule of `validation`, with its own message."""

    widget = forms.CheckboxSelectMultiple

    def validate(self, value):
        pass


class StepForm(forms.Form):
    """One step of the intake: the fields it asks, checked in the context of the request."""

    bound_field_class = IntakeBoundField
    contact_required = True

    def __init__(self, *args, context: IntakeContext | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.context = context

    @property
    def intake_context(self) -> IntakeContext:
        """Where and for what: known at every step after the choice of the préfecture."""
        if self.context is None:
            raise ValueError(f"{type(self).__name__} comes after the choice of the préfecture")
        return self.context

    def clean(self):
        cleaned = super().clean()
        ruled = [name for name in self.fields if name in validation.FIELD_RULES]
        values, errors = validation.apply_rules(
            cleaned, self.context, ruled, contact_required=self.contact_required
        )
        cleaned.update(values)
        for name, messages in errors.items():
            self.add_error(name if name in self.fields else None, messages)
        return cleaned


class PrefectureForm(StepForm):
    prefecture = ChoiceByRule(
        label=_("Préfecture de votre département de résidence"),
        required=False,
        widget=forms.Select(attrs={"class": "fr-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", _("Choisissez votre préfecture"))] + [
            (p.department_code, str(p)) for p in Prefecture.objects.all()
        ]

    def clean_prefecture(self):
        return validation.find_prefecture(self.cleaned_data["prefecture"]).department_code


class ServiceForm(StepForm):
    service = ChoiceByRule(
        label=_("Motif de votre rendez-vous"), required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.services = list(self.intake_context.prefecture.services.filter(active=True))
        self.fields["service"].choices = [(str(s.pk), s.name) for s in self.services]

    def options(self):
        """Each radio button with its service, to show the duration and documents to bring."""
        return list(zip(self["service"], self.services, strict=True))

    def clean_service(self):
        return validation.find_service(
            self.intake_context.prefecture, self.cleaned_data["service"]
        ).pk


class IdentityForm(StepForm):
    family_name = RuleField(
        label=_("Nom de famille"),
        max_length=validation.FAMILY_NAME_MAX,
        autocomplete="family-name",
        help_text=with_french_lazy(
            _("Comme sur votre passeport ou votre titre de séjour."), "titre de séjour"
        ),
    )
    given_names = RuleField(
        label=_("Prénoms"),
        max_length=validation.GIVEN_NAMES_MAX,
        autocomplete="given-name",
        help_text=_("Tous vos prénoms, dans l'ordre de votre passeport."),
    )
    birth_date = RuleField(
        label=_("Date de naissance"),
        input_type="date",
        autocomplete="bday",
        help_text=_("Format attendu : JJ/MM/AAAA."),
    )
    nationality = RuleField(
        label=_("Nationalité"),
        max_length=validation.NATIONALITY_MAX,
        help_text=_("Par exemple : sénégalaise, marocaine, ukrainienne."),
    )
    # The words of the person's papers stay beside a translation (guichet.languages).
    permit_number = RuleField(
        label=with_french_lazy(_("Numéro étranger"), "numéro étranger"),
        max_length=14,
        inputmode="numeric",
        help_text=with_french_lazy(
            _("10 chiffres, écrits sur votre titre de séjour ou votre récépissé (numéro AGDREF)."),
            "titre de séjour, récépissé, numéro AGDREF",
        ),
    )

    passport_number = RuleField(
        label=_("Numéro de passeport ou de document de voyage"),
        max_length=validation.PASSPORT_TYPED_MAX,
        autocomplete="off",
        autocapitalize="characters",
        spellcheck="false",
        help_text=_(
            "Sur la page de votre passeport où figure votre photo (ou sur votre document de "
            "voyage). Il protège votre place dans la file : sans ce numéro, personne ne peut la "
            "prendre en votre nom. Lettres et chiffres ; les espaces et les tirets ne comptent "
            "pas."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Renewals and pick-ups identify people by their permit number, the others by passport.
        if self.intake_context.motif.needs_permit_number:
            del self.fields["passport_number"]
        else:
            del self.fields["permit_number"]


class ContactForm(StepForm):
    email = RuleField(
        label=_("Adresse électronique"),
        input_type="email",
        max_length=validation.EMAIL_MAX,
        autocomplete="email",
        help_text=_("Format attendu : nom@exemple.fr"),
    )
    phone = RuleField(
        label=_("Numéro de téléphone portable"),
        input_type="tel",
        max_length=validation.PHONE_TYPED_MAX,
        autocomplete="tel",
        help_text=_("Par exemple : 06 12 34 56 78 ou +262 692 12 34 56."),
    )


class ExpiryForm(StepForm):
    permit_expires_on = RuleField(
        label="",
        input_type="date",
        help_text=_("La date écrite après « valable jusqu'au ». Format attendu : JJ/MM/AAAA."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_expires_on"].label = validation.expiry_label(self.intake_context.motif)


class SitesForm(StepForm):
    sites = ChoicesByRule(
        label=_("Lieux où vous pouvez vous rendre"),
        required=False,
        help_text=_(
            "Plus vous cochez de lieux, plus tôt vous pourrez recevoir une date. "
            "Vous recevrez un seul rendez-vous, dans l'un des lieux cochés."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered_sites = list(self.intake_context.prefecture.sites.all())
        self.fields["sites"].choices = [
            (str(site.pk), f"{site.name} — {site.address}" if site.address else site.name)
            for site in self.offered_sites
        ]
