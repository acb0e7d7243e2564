"""Forms of the identity pages: find a request, cancel it, merge it, put it back in line, settle a
dispute."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guichet.booking.forms import IntakeBoundField

REASON_MAX = 500
# The journal and the request's history are append-only and outlive the person's data
# (docs/decisions/0011): what an agent writes there must not name anyone.
NO_NAMES = _("N'écrivez ni nom ni numéro de document : ce texte est gardé sans limite de durée.")


def reason_field(label, help_text=""):
    return forms.CharField(
        label=label,
        max_length=REASON_MAX,
        help_text=format_lazy("{} {}", help_text, NO_NAMES) if help_text else NO_NAMES,
        widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}),
        error_messages={
            "required": _("Écrivez le motif : il est enregistré au journal."),
            "max_length": _("%(limit_value)d caractères au plus."),
        },
    )


def number_field(label, help_text, required):
    """A request's number, typed or read from the receipt's QR code."""
    return forms.CharField(
        label=label,
        max_length=300,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "fr-input", "autocomplete": "off"}),
        error_messages={"required": required},
    )


class NumberForm(forms.Form):
    bound_field_class = IntakeBoundField

    number = number_field(
        _("Numéro de la demande"),
        _("Tapez-le (94-AB12-CD34) ou scannez le QR code de l'attestation."),
        _("Indiquez le numéro de la demande."),
    )


class CancelForm(forms.Form):
    bound_field_class = IntakeBoundField

    reason = reason_field(
        _("Motif de l'annulation, envoyé à la personne"),
        _("Par exemple : demande faite au nom d'une autre personne, vérifié sur pièces."),
    )


class MergeForm(forms.Form):
    bound_field_class = IntakeBoundField

    other = number_field(
        _("Numéro de l'autre demande de la même personne"),
        _(
            "La demande enregistrée la première garde sa place ; l'autre est annulée et la "
            "personne en est prévenue."
        ),
        _("Indiquez le numéro de l'autre demande."),
    )


class SettleForm(forms.Form):
    bound_field_class = IntakeBoundField

    note = reason_field(
        _("Documents vérifiés"),
        _("Le type de document vu (passeport, titre de séjour…) : enregistré au journal."),
    )


class ResumeForm(forms.Form):
    bound_field_class = IntakeBoundField

    note = reason_field(
        _("Documents vérifiés"),
        _(
            "Le type de document vu, ou lu par la personne au téléphone (passeport, titre de "
            "séjour…) : enregistré au journal."
        ),
    )
