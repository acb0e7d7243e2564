"""The journal's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.booking.forms import IntakeBoundField

from ..enums import JournalAction


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
