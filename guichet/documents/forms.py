from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.booking.forms import IntakeBoundField
from guichet.uploads import clean_document

from .enums import Criterion, Decision, RedoReason
from .models import Requirement

# Phones offer their camera for « image/* », and their files for the rest.
ACCEPTED_FILES = "image/*,application/pdf,.heic,.heif"


class UploadForm(forms.Form):
    """One document's file: checked, and re-encoded when it is a photo, before anything is kept."""

    bound_field_class = IntakeBoundField
    upload = forms.FileField(
        label=_("Photo ou scan du document"),
        help_text=_("Photo (JPEG, PNG, HEIC) ou PDF, 10 Mo au plus. Plusieurs pages : un PDF."),
        widget=forms.ClearableFileInput(attrs={"class": "fr-upload", "accept": ACCEPTED_FILES}),
        error_messages={
            "required": _("Choisissez la photo ou le fichier du document."),
            "empty": _("Ce fichier est vide : choisissez une autre photo ou un autre fichier."),
        },
    )

    # Set by clean_upload: what to store, and its extension.
    content: bytes = b""
    suffix: str = ""

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        self.content, self.suffix = clean_document(upload)
        return upload


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
