import datetime
import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

from guichet.booking.forms import IntakeBoundField

from .models import Dossier, PersonalTry, Target

MAX_PERIOD = datetime.timedelta(days=366)
MAX_TRY_FILE_BYTES = 10 * 1024 * 1024
# Pillow's names of the image formats accepted, and the extension each file is stored under.
IMAGE_SUFFIXES = {"PNG": "png", "JPEG": "jpg"}


def file_kind(data: bytes) -> str | None:
    """« pdf », « png » or « jpg » by what the file is, whatever its name says; else None.

    Images are opened by Pillow and checked whole (a renamed or truncated file is refused);
    a PDF by its header, the one thing every PDF reader requires.
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    try:
        with Image.open(io.BytesIO(data), formats=list(IMAGE_SUFFIXES)) as image:
            image.verify()
            return IMAGE_SUFFIXES.get(image.format or "")
    except Exception:  # noqa: BLE001 - whatever Pillow cannot read is not an accepted image
        return None


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
        if upload.size > MAX_TRY_FILE_BYTES:
            raise ValidationError(_("Le fichier dépasse 10 Mo."))
        data = upload.read()
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
