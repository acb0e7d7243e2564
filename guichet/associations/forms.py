"""Filing for a person: the public intake's fields and rules, plus the mandate they consented to."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.backoffice.forms.registration import OnBehalfForm
from guichet.booking.forms import intake as intake_forms
from guichet.booking.validation import parse_date

from .enums import ConsentRecord, MandateScope
from .models import LONGEST_MANDATE


class MandateForm(OnBehalfForm):
    scope = forms.ChoiceField(
        label=_("Ce que la personne vous autorise à faire"),
        choices=MandateScope.choices,
        initial=MandateScope.FILE_AND_FOLLOW,
        widget=forms.RadioSelect,
    )
    consent = forms.ChoiceField(
        label=_("Comment la personne a donné son accord"),
        choices=ConsentRecord.choices,
        widget=forms.RadioSelect,
    )
    ends_on = intake_forms.RuleField(
        label=_("Fin du mandat"),
        input_type="date",
        help_text=_("Un an au plus. Format attendu : JJ/MM/AAAA."),
    )

    field_order = [*OnBehalfForm.field_order, "scope", "consent", "ends_on"]

    def clean_ends_on(self):
        today = self.intake_context.day
        ends_on = parse_date(self.cleaned_data["ends_on"])
        if ends_on is None:
            raise ValidationError(_("Indiquez jusqu'à quand la personne vous donne mandat."))
        if ends_on < today:
            raise ValidationError(_("Cette date est déjà passée."))
        if ends_on > today + LONGEST_MANDATE:
            raise ValidationError(
                _("Un mandat dure un an au plus : la personne pourra le renouveler.")
            )
        return ends_on
