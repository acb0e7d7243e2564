"""The counter's forms: which site and day, which request, present or absent."""

import itertools

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.booking.forms import IntakeBoundField


class SiteField(forms.ChoiceField):
    """A site among the agent's, grouped by préfecture; cleans to the Site itself."""

    def __init__(self, *, sites, **kwargs):
        super().__init__(widget=forms.Select(attrs={"class": "fr-select"}), **kwargs)
        self.sites = {str(site.pk): site for site in sites}
        self.choices = [("", _("Choisissez un site"))] + [
            (str(prefecture), [(pk, site.name) for pk, site in group])
            for prefecture, group in itertools.groupby(
                self.sites.items(), key=lambda item: item[1].prefecture
            )
        ]

    def clean(self, value):
        value = super().clean(value)
        return self.sites.get(value)


class CounterForm(forms.Form):
    bound_field_class = IntakeBoundField

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        site = SiteField(
            sites=sites, label=_("Site"), error_messages={"required": _("Choisissez le site.")}
        )
        self.fields = {"site": site, **self.fields}


class AgendaForm(CounterForm):
    day = forms.DateField(
        label=_("Jour"),
        widget=forms.DateInput(attrs={"class": "fr-input", "type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez le jour."),
            "invalid": _("Indiquez un jour valide."),
        },
    )


class LookupForm(CounterForm):
    number = forms.CharField(
        label=_("Numéro de la demande"),
        help_text=_(
            "Saisissez le numéro (par exemple 94-AB12-CD34) ou scannez le QR code de l'attestation."
        ),
        required=False,
        max_length=300,
        widget=forms.TextInput(
            # Focused on arrival: a USB QR reader types into it, then presses Enter.
            attrs={
                "class": "fr-input",
                "autocomplete": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class AttendanceForm(CounterForm):
    PRESENT, ABSENT = "present", "absent"

    number = forms.CharField(widget=forms.HiddenInput)
    presence = forms.ChoiceField(choices=[(PRESENT, PRESENT), (ABSENT, ABSENT)])
