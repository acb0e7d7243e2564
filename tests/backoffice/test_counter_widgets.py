"""The counter's select and date input are written by Python, character for character as
Django's templates write theirs (guichet.backoffice.forms.widgets)."""

import datetime

import pytest
from django import forms

from guichet.backoffice.forms import widgets

CHOICES = [
    ("", "Choisissez un site"),
    ("Val-de-Marne (94)", [("1", "Préfecture"), ("2", "Créteil <annexe> & « Nord »")]),
    ("Essonne (91)", [("3", 'Évry "centre"')]),
]


@pytest.mark.parametrize("value", ["", "2", "3", None, "404"])
@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"required": True, "id": "id_site", "aria-describedby": "id_site-error"},
        {"class": "fr-select fr-select--error", "disabled": False, "data-x": None, "autofocus": 1},
    ],
)
def test_the_select_is_djangos_to_the_character(value, attrs):
    django_select = forms.Select(attrs={"class": "fr-select"}, choices=CHOICES)
    counter_select = widgets.Select(attrs={"class": "fr-select"}, choices=CHOICES)

    expected = django_select.render("site", value, attrs)
    assert counter_select.render("site", value, attrs) == expected


@pytest.mark.parametrize("value", [None, "", "2026-12-07", datetime.date(2026, 12, 7), "<b>"])
@pytest.mark.parametrize(
    "attrs",
    [{}, {"required": True, "id": "id_day", "class": "fr-input fr-input--error", "x": False}],
)
def test_the_date_input_is_djangos_to_the_character(value, attrs):
    django_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    counter_input = widgets.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    expected = django_input.render("day", value, attrs)
    assert counter_input.render("day", value, attrs) == expected


def test_bound_fields_call_them_a_select_and_a_date():
    class Form(forms.Form):
        site = forms.ChoiceField(choices=CHOICES, widget=widgets.Select)
        day = forms.DateField(widget=widgets.DateInput)

    form = Form()
    assert (form["site"].widget_type, form["day"].widget_type) == ("select", "date")
