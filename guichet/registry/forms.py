from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.backoffice.forms.duplicates import NO_NAMES
from guichet.booking.forms import IntakeBoundField

# A registry of a large préfecture: some 200,000 permits of about 120 bytes each.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    bound_field_class = IntakeBoundField

    prefecture: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Préfecture"), queryset=None, empty_label=None, widget=forms.Select
    )
    file = forms.FileField(
        label=_("Fichier CSV du registre"),
        help_text=_(
            "Première ligne : permit_number, family_name, given_names, birth_date, expires_on, "
            "email, phone. Séparateur « ; » ou « , », encodage UTF-8, dates AAAA-MM-JJ ou "
            "JJ/MM/AAAA."
        ),
    )

    def __init__(self, *args, prefectures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].queryset = prefectures
        self.fields["prefecture"].widget.attrs["class"] = "fr-select"
        self.fields["file"].widget.attrs.update({"class": "fr-upload", "accept": ".csv,text/csv"})

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Ce fichier dépasse 50 Mo : découpez-le en plusieurs."))
        return file


class RejectForm(forms.Form):
    bound_field_class = IntakeBoundField

    reason = forms.CharField(
        label=_("Motif du refus, envoyé à la personne"),
        help_text=NO_NAMES,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}),
    )
