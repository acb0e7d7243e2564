"""Logging in: the password, then the code of the authentication app."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from guichet.booking.forms import IntakeBoundField
from guichet.protection.addresses import client_ip

from ..access import home_of
from ..auth import TooManyPasswords, take_password_attempt


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
