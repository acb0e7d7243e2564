"""Forms of the applicant space: the confirmation code, preferences, new contact, lost link,
« Ce n'est pas moi ».

E-mail and phone are checked by the same rules as at intake (`validation`), with the same words.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import validation
from ..enums import DisputeProof
from ..validation import IntakeContext
from . import IntakeBoundField
from .intake import ContactForm, RuleField

CODE_LENGTH = 6
DISPUTE_ACCOUNT_MAX = 2000


class CodeForm(forms.Form):
    """The 6 digits sent by e-mail or SMS; spaces are forgiven, anything else is refused."""

    bound_field_class = IntakeBoundField

    code = RuleField(
        label=_("Code à 6 chiffres"),
        max_length=20,
        inputmode="numeric",
        autocomplete="one-time-code",
        help_text=_("Il figure dans le dernier courriel ou SMS reçu. Exemple : 123456"),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code:
            raise ValidationError(_("Saisissez le code à 6 chiffres reçu par courriel ou SMS."))
        if not (code.isascii() and code.isdigit() and len(code) == CODE_LENGTH):
            raise ValidationError(
                _("Le code compte exactement 6 chiffres, sans lettre. Vérifiez votre saisie.")
            )
        return code


def message_language_choices():
    """The languages messages can be written in: every language of the site, named in itself."""
    return list(settings.LANGUAGES)


class PreferencesForm(forms.Form):
    bound_field_class = IntakeBoundField

    accepts_offers = forms.BooleanField(
        label=_("Me proposer des dates plus proches"),
        required=False,
        help_text=_(
            "Si un créneau plus proche se libère, il vous est proposé ; vous restez libre de le "
            "refuser et de garder votre date."
        ),
    )
    language = forms.ChoiceField(
        label=_("Langue des courriels et SMS"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choisissez une langue dans la liste.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = message_language_choices()


class ContactChangeForm(ContactForm):
    """New contact details, checked by the intake's rules; they must differ from the current."""

    def __init__(self, *args, booking_request, **kwargs):
        kwargs.setdefault(
            "initial", {"email": booking_request.email, "phone": booking_request.phone}
        )
        super().__init__(
            *args,
            context=IntakeContext(
                prefecture=booking_request.prefecture, service=booking_request.service
            ),
            **kwargs,
        )
        self.booking_request = booking_request

    def clean(self):
        cleaned = super().clean()
        unchanged = (
            cleaned.get("email", "").casefold() == self.booking_request.email.casefold()
            and cleaned.get("phone") == self.booking_request.phone
        )
        if not self.errors and unchanged:
            raise ValidationError(
                _("Ce sont déjà les coordonnées de votre demande : modifiez-en au moins une.")
            )
        return cleaned


class FindLinkForm(forms.Form):
    """What a person who lost their link still knows: the number, and the contact they gave."""

    bound_field_class = IntakeBoundField

    number = RuleField(
        label=_("Numéro de la demande"),
        max_length=30,
        autocomplete="off",
        help_text=_("Il figure sur votre attestation. Exemple : 94-AB12-CD34"),
    )
    contact = RuleField(
        label=_("Adresse électronique ou numéro de portable donné dans la demande"),
        max_length=validation.EMAIL_MAX,
        help_text=_("Le lien y sera envoyé, et nulle part ailleurs."),
    )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if not number:
            raise ValidationError(_("Indiquez le numéro de votre demande."))
        return number

    def clean_contact(self):
        """A phone typed as 06 12 34 56 78 is compared in the form the request keeps (+33…)."""
        contact = self.cleaned_data["contact"].strip()
        if not contact:
            raise ValidationError(_("Indiquez l'adresse électronique ou le numéro de portable."))
        if "@" in contact:
            return contact
        try:
            return validation.clean_phone(contact)
        except ValidationError:
            return contact


class DisputeForm(forms.Form):
    """« Ce n'est pas moi »: what happened, and how the person will show their papers."""

    bound_field_class = IntakeBoundField

    account = forms.CharField(
        label=_("Ce qui s'est passé"),
        required=False,
        strip=False,
        help_text=_(
            "En quelques mots : par exemple, vous n'avez jamais fait d'autre demande, ou "
            "quelqu'un d'autre l'a faite à votre place."
        ),
        widget=forms.Textarea(
            attrs={"class": "fr-input", "rows": 4, "maxlength": DISPUTE_ACCOUNT_MAX}
        ),
    )
    proof = forms.ChoiceField(
        label=_("Comment montrerez-vous vos documents à un agent ?"),
        choices=DisputeProof.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez comment vous montrerez vos documents."),
            "invalid_choice": _("Choisissez comment vous montrerez vos documents."),
        },
    )

    def clean_account(self):
        return validation.clean_text(
            self.cleaned_data["account"],
            max_length=DISPUTE_ACCOUNT_MAX,
            missing=_("Dites en quelques mots ce qui s'est passé."),
        )
