from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.booking.forms import IntakeBoundField

from ..enums import Criterion, Decision, RedoReason
from ..models import Requirement


class CheckForm(forms.Form):
    """An agent's decision on one document (prefix: the document's id)."""

    bound_field_class = IntakeBoundField
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("", _("Pas encore vérifié")), *Decision.choices],
        required=False,
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    reason = forms.ChoiceField(
        label=_("Raison (si « à refaire »)"),
        choices=[("", "—"), *RedoReason.choices],
        required=False,
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    note = forms.CharField(
        label=_("Précision pour la personne"),
        help_text=_("Sans nom ni numéro de document : la personne la lit dans son message."),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "fr-input"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.REDO and not data.get("reason"):
            raise ValidationError(
                {"reason": _("Choisissez la raison : la personne doit savoir quoi refaire.")}
            )
        if data.get("reason") == RedoReason.OTHER and not data.get("note"):
            raise ValidationError({"note": _("Précisez la raison pour la personne.")})
        return data


class RequirementForm(forms.ModelForm):
    bound_field_class = IntakeBoundField
    criteria = forms.MultipleChoiceField(
        label=_("Critères d'acceptation"),
        choices=Criterion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Requirement
        fields = ["name", "condition", "criteria", "details", "position", "active"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "fr-input"}),
            "condition": forms.TextInput(attrs={"class": "fr-input"}),
            "details": forms.TextInput(attrs={"class": "fr-input"}),
            "position": forms.NumberInput(attrs={"class": "fr-input"}),
        }
