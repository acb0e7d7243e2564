"""Forms proposing a capacity change; each cleans to an unsaved OpeningRule or Closure."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.booking.forms import IntakeBoundField
from guichet.catalogue.capacity import public_holidays
from guichet.catalogue.models import Closure, OpeningRule

from ..planning import horizon

DATE = forms.DateInput(attrs={"class": "fr-input", "type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"class": "fr-input", "type": "time"}, format="%H:%M")
NUMBER = {"class": "fr-input", "inputmode": "numeric"}
SELECT = forms.Select(attrs={"class": "fr-select"})


class PlanningForm(forms.ModelForm):
    """Sites and services of one préfecture only; dates from today to its horizon."""

    bound_field_class = IntakeBoundField

    def __init__(self, *args, prefecture, **kwargs):
        super().__init__(*args, **kwargs)
        self.prefecture = prefecture
        self.today, self.last_day = horizon(prefecture, timezone.now())
        if "site" in self.fields:
            self.fields["site"].queryset = prefecture.sites.all()
        if "service" in self.fields:
            self.fields["service"].queryset = prefecture.services.all()
        for name, least in (("desks", 1), ("slot_minutes", 5)):
            if name in self.fields:
                self.fields[name].validators.append(MinValueValidator(least))

    def _post_clean(self):
        # The models' own checks compare fields: run them only once every field is valid.
        if not self.errors:
            super()._post_clean()

    def check_day(self, field: str) -> None:
        day = self.cleaned_data.get(field)
        if day and not self.today <= day <= self.last_day:
            self.add_error(
                field,
                _("Choisissez un jour entre aujourd'hui et le %(last)s (horizon d'ouverture).")
                % {"last": self.last_day.strftime("%d/%m/%Y")},
            )


RULE_WIDGETS = {
    "site": SELECT,
    "service": SELECT,
    "weekday": SELECT,
    "opens_at": TIME,
    "closes_at": TIME,
    "desks": forms.NumberInput(attrs={**NUMBER, "min": 1, "max": 50}),
    "slot_minutes": forms.NumberInput(attrs={**NUMBER, "min": 5, "max": 240}),
    "valid_from": DATE,
    "valid_until": DATE,
}


class RecurringRuleForm(PlanningForm):
    """Every week on one day, from one time to another, some desks receive for one service."""

    class Meta:
        model = OpeningRule
        fields = [
            "site",
            "service",
            "weekday",
            "opens_at",
            "closes_at",
            "desks",
            "slot_minutes",
            "valid_from",
            "valid_until",
        ]
        widgets = RULE_WIDGETS

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("La fin doit suivre le début."))
        return cleaned


class ExceptionalSessionForm(PlanningForm):
    """One day only (a Saturday, an evening, a temporary desk): an opening rule valid that day."""

    day = forms.DateField(
        label=_("Jour de la séance"),
        widget=DATE,
        error_messages={"required": _("Indiquez le jour."), "invalid": _("Jour invalide.")},
    )

    class Meta:
        model = OpeningRule
        fields = ["site", "service", "opens_at", "closes_at", "desks", "slot_minutes"]
        widgets = RULE_WIDGETS

    field_order = ["site", "service", "day"]

    def clean(self):
        cleaned = super().clean()
        self.check_day("day")
        day = cleaned.get("day")
        if day and day in public_holidays(self.prefecture, day, day):
            self.add_error("day", _("Ce jour est férié : aucun créneau n'y serait ouvert."))
        if day:
            self.instance.weekday = day.weekday()
            self.instance.valid_from = self.instance.valid_until = day
        return cleaned


class ClosureForm(PlanningForm):
    keep_appointments = forms.BooleanField(
        label=_("Maintenir les rendez-vous déjà donnés ces jours-là (ces personnes seront reçues)"),
        required=False,
    )

    class Meta:
        model = Closure
        fields = ["site", "starts_on", "ends_on", "reason"]
        widgets = {
            "site": SELECT,
            "starts_on": DATE,
            "ends_on": DATE,
            "reason": forms.TextInput(attrs={"class": "fr-input"}),
        }
        help_texts = {"site": _("Laissez vide pour fermer toute la préfecture.")}

    def __init__(self, *args, prefecture, **kwargs):
        super().__init__(*args, prefecture=prefecture, **kwargs)
        self.instance.prefecture = prefecture
        self.fields["site"].empty_label = _("Toute la préfecture")

    def clean(self):
        cleaned = super().clean()
        self.check_day("starts_on")
        return cleaned


CHANGE_FORMS = {
    "session": ExceptionalSessionForm,
    "rule": RecurringRuleForm,
    "closure": ClosureForm,
}
