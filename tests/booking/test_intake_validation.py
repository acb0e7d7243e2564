"""The intake rules shared by the web pages and the API: clean values out, French messages."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from guichet.booking import validation
from guichet.booking.validation import IntakeContext, IntakeInvalid, validate_intake
from guichet.catalogue.enums import ServiceKind
from tests.factories import (
    make_one_site_service,
    make_prefecture,
    make_service,
    make_site,
    renewal_intake,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def renewal():
    return make_one_site_service(ServiceKind.RENEWAL)


@pytest.fixture
def context(renewal):
    return IntakeContext(prefecture=renewal.prefecture, service=renewal, today=TODAY)


def request_data(for_service, **fields):
    """A renewal reached by e-mail only."""
    return renewal_intake(for_service, **{"email": "aminata@example.org", "phone": "", **fields})


def refusal(rule, value, context):
    with pytest.raises(ValidationError) as caught:
        rule(value, context)
    return " ".join(caught.value.messages)


def test_a_complete_request_gives_an_applicant(renewal):
    intake = validate_intake(request_data(renewal), today=TODAY)

    assert intake.service == renewal
    assert intake.applicant.birth_date == datetime.date(1990, 5, 14)
    assert intake.applicant.permit_expires_on == datetime.date(2026, 6, 30)
    assert intake.sites == list(renewal.prefecture.sites.all())


def test_the_motif_and_the_sites_are_read_in_one_query(renewal, django_assert_num_queries):
    nogent = make_site(renewal.prefecture, "Nogent-sur-Marne")
    data = request_data(renewal, sites=[nogent.pk])

    with django_assert_num_queries(1):
        intake = validate_intake(data, today=TODAY)

    assert intake.sites == [nogent]
    assert (intake.sites[0].name, intake.sites[0].prefecture) == (nogent.name, renewal.prefecture)


def test_at_a_prefecture_without_sites_the_sites_are_refused_not_the_motif():
    renewal = make_service(make_prefecture("13", "Bouches-du-Rhône"), ServiceKind.RENEWAL)

    with pytest.raises(IntakeInvalid) as caught:
        validate_intake(request_data(renewal, sites=["1"]), today=TODAY)

    assert not caught.value.unknown
    assert set(caught.value.errors) == {"sites"}


def test_every_wrong_field_gets_its_own_message(renewal):
    data = request_data(renewal, family_name="", birth_date="2026-02-30", email="pas-une-adresse")

    with pytest.raises(IntakeInvalid) as caught:
        validate_intake(data, today=TODAY)

    assert set(caught.value.errors) == {"family_name", "birth_date", "email"}
    assert not caught.value.unknown


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("prefecture", "999", "Nous ne connaissons pas cette préfecture"),
        ("service", 987654, "n'existe pas ou n'est plus ouvert"),
        ("service", "abc", "n'existe pas ou n'est plus ouvert"),
    ],
)
def test_unknown_prefecture_or_service_is_flagged_unknown(renewal, field, value, words):
    with pytest.raises(IntakeInvalid) as caught:
        validate_intake(request_data(renewal, **{field: value}), today=TODAY)

    assert caught.value.unknown
    assert words in caught.value.errors[field][0]


def test_a_service_of_another_prefecture_or_closed_is_refused(renewal):
    other = make_service(make_prefecture("13", "Bouches-du-Rhône"), ServiceKind.FIRST_PERMIT)
    closed = make_service(renewal.prefecture, ServiceKind.NATURALISATION)
    closed.active = False
    closed.save()

    for service in (other, closed):
        with pytest.raises(IntakeInvalid) as caught:
            validate_intake(request_data(renewal, service=service.pk), today=TODAY)
        assert "service" in caught.value.errors


def test_a_site_of_another_prefecture_is_refused(renewal, context):
    elsewhere = make_site(make_prefecture("13", "Bouches-du-Rhône"), "Marseille")

    assert "n'accueille pas" in refusal(validation.clean_sites, [elsewhere.pk], context)
    assert "au moins un lieu" in refusal(validation.clean_sites, [], context)


@pytest.mark.parametrize(
    ("typed", "clean"),
    [("  Diallo   Ba ", "Diallo Ba"), ("N'Diaye-Sow", "N'Diaye-Sow"), ("Zoë", "Zoë")],
)
def test_names_are_trimmed(context, typed, clean):
    assert validation.clean_family_name(typed, context) == clean


@pytest.mark.parametrize("typed", ["Dia\x00llo", "Dia\x1bllo", "Dia\u202ello"])
def test_names_with_control_characters_are_refused(context, typed):
    assert "invisibles" in refusal(validation.clean_family_name, typed, context)


def test_oversized_names_say_the_limit(context):
    message = refusal(validation.clean_family_name, "A" * 101, context)

    assert "100 caractères au plus" in message
    assert validation.clean_given_names("A" * 150, context) == "A" * 150
    assert "150" in refusal(validation.clean_given_names, "A" * 151, context)
    assert "100" in refusal(validation.clean_nationality, "A" * 101, context)


def test_names_are_required(context):
    assert "nom de famille" in refusal(validation.clean_family_name, "   ", context)
    assert "prénoms" in refusal(validation.clean_given_names, "", context)
    assert "nationalité" in refusal(validation.clean_nationality, None, context)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1990-05-14", datetime.date(1990, 5, 14)), ("14/05/1990", datetime.date(1990, 5, 14))],
)
def test_birth_date_formats(context, typed, expected):
    assert validation.clean_birth_date(typed, context) == expected


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2026-02-30", "n'existe pas"),
        ("31/04/1990", "n'existe pas"),
        ("1990-5-14x", "JJ/MM/AAAA"),
        ("hier", "JJ/MM/AAAA"),
        ("2026-03-03", "futur"),
        ("1899-12-31", "trop ancienne"),
        ("", "Indiquez votre date de naissance"),
    ],
)
def test_wrong_birth_dates(context, typed, words):
    assert words in refusal(validation.clean_birth_date, typed, context)


def test_permit_number_is_ten_digits_when_the_service_needs_it(context):
    assert validation.clean_permit_number(" 12 3456 7890 ", context) == "1234567890"
    assert "Indiquez votre numéro étranger" in refusal(validation.clean_permit_number, "", context)
    assert "exactement 10 chiffres" in refusal(validation.clean_permit_number, "123456789", context)
    assert "exactement 10 chiffres" in refusal(
        validation.clean_permit_number, "12345678AB", context
    )
    assert "exactement 10 chiffres" in refusal(
        validation.clean_permit_number, "١٢٣٤٥٦٧٨٩٠", context
    )


def test_permit_number_is_ignored_when_the_service_does_not_need_it(renewal):
    first = make_service(renewal.prefecture, ServiceKind.FIRST_PERMIT)
    context = IntakeContext(prefecture=renewal.prefecture, service=first, today=TODAY)

    assert validation.clean_permit_number("n'importe quoi", context) == ""


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("12AB34567", "12AB34567"),
        (" 12 ab 34567 ", "12AB34567"),
        ("a-1234.567/8", "A12345678"),
        ("ＡＢ１２３４５", "AB12345"),  # full-width, as some phone keyboards type
    ],
)
def test_passport_number_is_uppercase_letters_and_digits(renewal, typed, clean):
    first = make_service(renewal.prefecture, ServiceKind.FIRST_PERMIT)
    context = IntakeContext(prefecture=renewal.prefecture, service=first, today=TODAY)

    assert validation.clean_passport_number(typed, context) == clean


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Indiquez le numéro de votre passeport"),
        ("  - ", "Indiquez le numéro de votre passeport"),
        ("AB12", "de 5 à 20"),
        ("A" * 21, "de 5 à 20"),
        ("12ÉB34567", "lettres (sans accent) et chiffres"),
        ("12AB_34567", "lettres (sans accent) et chiffres"),
        ("12AB\u202e34567", "lettres (sans accent) et chiffres"),
    ],
)
def test_wrong_passport_numbers_say_what_to_type(renewal, typed, words):
    first = make_service(renewal.prefecture, ServiceKind.FIRST_PERMIT)
    context = IntakeContext(prefecture=renewal.prefecture, service=first, today=TODAY)

    assert words in refusal(validation.clean_passport_number, typed, context)


def test_the_passport_is_asked_where_the_permit_number_is_not(renewal):
    """A renewal identifies the person by the permit number (checked against the registry)."""
    first = make_service(renewal.prefecture, ServiceKind.FIRST_PERMIT)

    with pytest.raises(IntakeInvalid) as caught:
        validate_intake(request_data(first, permit_number=""), today=TODAY)
    renewed = validate_intake(request_data(renewal, passport_number="n'importe quoi"), today=TODAY)

    assert list(caught.value.errors) == ["passport_number"]
    assert renewed.applicant.passport_number == ""


def test_email(context):
    assert validation.clean_email(" a.b@example.org ", context) == "a.b@example.org"
    assert validation.clean_email("", context) == ""
    assert "n'est pas valide" in refusal(validation.clean_email, "a@b", context)
    assert "n'est pas valide" in refusal(validation.clean_email, "a b@example.org", context)
    assert "trop longue" in refusal(validation.clean_email, "a" * 250 + "@example.org", context)


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("07.12.34.56.78", "+33712345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("0692 12 34 56", "+262692123456"),
        ("0690123456", "+590690123456"),
        ("0694123456", "+594694123456"),
        ("0696123456", "+596696123456"),
        ("0639123456", "+262639123456"),
        ("+262 692 12 34 56", "+262692123456"),
        ("+590 690 12 34 56", "+590690123456"),
        ("+269 639 12 34 56", "+269639123456"),
    ],
)
def test_french_mobiles_are_written_in_international_form(context, typed, e164):
    assert validation.clean_phone(typed, context) == e164


@pytest.mark.parametrize(
    "typed",
    ["01 23 45 67 89", "06 12 34 56", "+44 7700 900123", "06123456789", "téléphone", "0" * 40],
)
def test_other_numbers_are_refused_with_an_example(context, typed):
    assert "06 12 34 56 78" in refusal(validation.clean_phone, typed, context)


def test_at_least_one_contact(renewal):
    with pytest.raises(IntakeInvalid) as caught:
        validate_intake(request_data(renewal, email="", phone=""), today=TODAY)

    assert "au moins une adresse électronique ou un numéro" in caught.value.errors["contact"][0]


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2026-03-01", "la préfecture peut vous aider"),
        ("2036-03-03", "plus de 10 ans"),
        ("2026-02-30", "n'existe pas"),
        ("", "Indiquez la date"),
    ],
)
def test_wrong_expiry_dates(context, typed, words):
    assert words in refusal(validation.clean_permit_expires_on, typed, context)


def test_expiry_today_or_in_ten_years_is_accepted(context):
    assert validation.clean_permit_expires_on("2026-03-02", context) == TODAY
    assert validation.clean_permit_expires_on("2036-03-02", context) == datetime.date(2036, 3, 2)


def test_expiry_is_ignored_without_legal_deadline(renewal):
    first = make_service(renewal.prefecture, ServiceKind.FIRST_PERMIT)
    context = IntakeContext(prefecture=renewal.prefecture, service=first, today=TODAY)

    assert validation.clean_permit_expires_on("2001-01-01", context) is None


def test_today_is_the_prefecture_s_day(renewal):
    """At 22:30 in Paris it is already the next day in La Réunion (UTC+4)."""
    reunion = make_prefecture("974", "La Réunion", time_zone="Indian/Reunion")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 21, 30, tzinfo=datetime.UTC)):
        assert IntakeContext(prefecture=reunion).today == datetime.date(2026, 3, 3)
        assert IntakeContext(prefecture=renewal.prefecture).today == datetime.date(2026, 3, 2)
