"""The back-office's forms: logging in, which site and day, which request, the journal's filters."""

import itertools

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from guichet.booking.forms import IntakeBoundField
from guichet.protection.addresses import client_ip

from ..access import home_of
from ..auth import TooManyPasswords, take_password_attempt
from ..enums import JournalAction


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


class LoginForm(AuthenticationForm):
    """Django's password check, in the DSFR's markup; only agents and members of an organisation
    have a space to open. Wrong passwords are limited per account and per connection
    (`auth.take_password_attempt`): once locked, even the right password is refused."""

    bound_field_class = IntakeBoundField
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Identifiant ou mot de passe incorrect."),
        "not_an_agent": _(
            "Ce compte n'a accès ni au back-office des agents ni à l'espace des associations."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Identifiant")
        self.fields["password"].label = _("Mot de passe")
        for field in self.fields.values():
            field.widget.attrs["class"] = "fr-input"

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        address = client_ip(self.request) if self.request is not None else ""
        try:
            take_back = take_password_attempt(username, address)
        except TooManyPasswords as refusal:
            raise forms.ValidationError(str(refusal), code="too_many_attempts") from refusal
        try:
            return super().clean()
        finally:
            if self.user_cache is not None:  # the password was right: it does not count
                take_back()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if home_of(user) is None:
            raise forms.ValidationError(self.error_messages["not_an_agent"], code="not_an_agent")


class CodeForm(forms.Form):
    bound_field_class = IntakeBoundField

    code = forms.CharField(
        label=_("Code à 6 chiffres"),
        help_text=_("Le code affiché par votre application d'authentification."),
        max_length=12,
        error_messages={"required": _("Saisissez le code.")},
        widget=forms.TextInput(
            attrs={
                "class": "fr-input",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )


class JournalFilterForm(forms.Form):
    """Which lines of the journal: by agent, action, request number, day; all optional."""

    bound_field_class = IntakeBoundField

    agent = forms.TypedChoiceField(
        label=_("Agent"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, widget=forms.Select(attrs={"class": "fr-select"})
    )
    number = forms.CharField(
        label=_("Numéro de la demande"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "fr-input", "spellcheck": "false"}),
    )
    day = forms.DateField(
        label=_("Jour"),
        required=False,
        widget=forms.DateInput(attrs={"class": "fr-input", "type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Indiquez un jour valide.")},
    )

    def __init__(self, *args, users, actions, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("Tous les agents"))]
        self.fields["agent"].choices = everyone + [(u.pk, u.get_username()) for u in users]
        every_action = [("", _("Toutes les actions"))]
        labels = dict(JournalAction.choices)
        self.fields["action"].choices = every_action + [(a, labels.get(a, a)) for a in actions]
