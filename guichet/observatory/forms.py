import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.booking.forms import IntakeBoundField
from guichet.uploads import file_kind, read_bounded

from .models import Dossier, PersonalTry, Target

MAX_PERIOD = datetime.timedelta(days=366)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(attrs={"class": "fr-input"}, format="%Y-%m-%d")


class DossierForm(forms.ModelForm):
    bound_field_class = IntakeBoundField
    target = forms.ModelChoiceField(
        Target.objects.filter(checks__isnull=False).distinct(),
        label=_("Démarche observée"),
        widget=forms.Select(attrs={"class": "fr-select"}),
    )

    class Meta:
        model = Dossier
        fields = ["target", "period_start", "period_end"]
        widgets = {"period_start": DateInput, "period_end": DateInput}

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise ValidationError({"period_end": _("La fin doit suivre le début.")})
        if start and end and end - start > MAX_PERIOD:
            raise ValidationError({"period_end": _("La période ne peut dépasser un an.")})
        return data


class PersonalTryForm(forms.ModelForm):
    bound_field_class = IntakeBoundField
    upload = forms.FileField(
        widget=forms.ClearableFileInput(attrs={"class": "fr-upload"}),
        label=_("Fichier (capture d'écran, courriel, preuve d'envoi)"),
        required=False,
        help_text=_("PDF, PNG ou JPEG, 10 Mo au plus."),
    )

    class Meta:
        model = PersonalTry
        fields = ["tried_on", "kind", "note"]
        widgets = {
            "tried_on": DateInput,
            "kind": forms.Select(attrs={"class": "fr-select"}),
            "note": forms.TextInput(attrs={"class": "fr-input"}),
        }

    # Set by clean_upload: the file's bytes and the extension its content calls for.
    upload_data: bytes | None = None
    upload_suffix: str = ""

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return upload
        data = read_bounded(upload)
        suffix = file_kind(data)
        if suffix is None:
            raise ValidationError(
                _(
                    "Ce fichier n'est ni une image PNG ou JPEG, ni un document PDF : "
                    "envoyez une capture d'écran, une photo ou un PDF."
                )
            )
        self.upload_data, self.upload_suffix = data, suffix
        return upload
