"""« Je confirme ma venue »: for services that ask for it, once the time to confirm has come."""

import datetime

import pytest

from guichet.booking.enums import EventKind
from tests.applicant_space import dated, follow_to_status, text_of, url
from tests.factories import NOW

START = NOW + datetime.timedelta(days=14)
ASKED = START - datetime.timedelta(days=7)
BUTTON = "Je confirme ma venue"


pytestmark = [pytest.mark.django_db]


@pytest.fixture
def request_to_confirm(clock):
    request = dated(start=START)
    request.service.needs_reconfirmation = True
    request.service.reconfirm_days_before = 7
    request.service.save()
    return request


def test_no_button_before_the_time_to_confirm(client, request_to_confirm):
    assert BUTTON not in text_of(client.get(url("status", request_to_confirm)))

    response = client.post(url("confirm_attendance", request_to_confirm))

    assert "Aucun rendez-vous n'attend" in follow_to_status(client, response, request_to_confirm)
    request_to_confirm.appointment.refresh_from_db()
    assert request_to_confirm.appointment.reconfirmed_at is None


def test_confirming_records_it_and_the_button_goes(client, request_to_confirm, clock):
    clock.move_to(ASKED)
    assert BUTTON in text_of(client.get(url("status", request_to_confirm)))

    response = client.post(url("confirm_attendance", request_to_confirm))

    text = follow_to_status(client, response, request_to_confirm)
    assert "Merci : votre venue est confirmée" in text
    assert BUTTON not in text
    assert "Venue confirmée le 30 novembre 2026 à 11:00" in text
    request_to_confirm.appointment.refresh_from_db()
    assert request_to_confirm.appointment.reconfirmed_at == ASKED
    assert request_to_confirm.events.filter(kind=EventKind.RECONFIRMED).count() == 1


def test_services_without_confirmation_show_no_button(client, clock):
    request = dated(start=START)
    clock.move_to(ASKED)

    assert BUTTON not in text_of(client.get(url("status", request)))
