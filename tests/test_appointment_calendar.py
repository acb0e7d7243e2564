"""The appointment as an .ics file, on the préfecture's own clock."""

import datetime

import pytest
import time_machine
from icalendar import Calendar

from guichet.booking.enums import Channel
from tests import factories
from tests.applicant_space import NOW, dated, register, text_of, url

pytestmark = pytest.mark.django_db

# Monday 7 December 2026, 09:00 in La Réunion.
START = datetime.datetime(2026, 12, 7, 5, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_ics_starts_at_the_local_time_of_an_overseas_prefecture(client):
    reunion = factories.make_prefecture("974", "La Réunion", time_zone="Indian/Reunion")
    request = dated(reunion, start=START)

    response = client.get(url("calendar", request))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="rendez-vous-{request.number}.ics"' in response["Content-Disposition"]
    assert response["Referrer-Policy"] == "no-referrer"
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == START
    assert str(start.tzinfo) == "Indian/Reunion"
    assert (start.hour, start.minute) == (9, 0)
    assert request.number in str(event.get("summary"))


def test_status_page_links_to_the_ics(client):
    request = dated(start=START)

    response = client.get(url("status", request))

    assert f'href="{url("calendar", request)}"' in response.content.decode()
    assert "Ajouter à mon agenda" in text_of(response)


def test_a_request_without_appointment_has_no_ics(client):
    request = register(channel=Channel.COUNTER)

    assert client.get(url("calendar", request)).status_code == 404
    assert "Ajouter à mon agenda" not in text_of(client.get(url("status", request)))
