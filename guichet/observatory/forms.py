import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.booking.forms import IntakeBoundField

from .models import Dossier, PersonalTry, Target

MAX_PERIOD = datetime.timedelta(days=366)
MAX_TRY_FILE_BYTES = 10 * 1024 * 1024


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
        help_text=_("10 Mo au plus."),
    )

    class Meta:
        model = PersonalTry
        fields = ["tried_on", "kind", "note"]
        widgets = {
            "tried_on": DateInput,
            "kind": forms.Select(attrs={"class": "fr-select"}),
            "note": forms.TextInput(attrs={"class": "fr-input"}),
        }

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload and upload.size > MAX_TRY_FILE_BYTES:
            raise ValidationError(_("Le fichier dépasse 10 Mo."))
        return upload
