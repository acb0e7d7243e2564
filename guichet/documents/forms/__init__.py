"""The documents' forms: the upload every audience shares here, the agents' in agent.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.booking.forms import IntakeBoundField
from guichet.uploads import clean_document

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
