"""The appointment as an .ics file, on the préfecture's own clock."""

import datetime
import zoneinfo

import pytest
import vobject
from icalendar import Calendar

from guichet.booking.enums import Channel
from tests import factories
from tests.applicant_space import dated, register, text_of, url

# Monday 7 December 2026, 09:00 in La Réunion.
START = datetime.datetime(2026, 12, 7, 5, 0, tzinfo=datetime.UTC)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_ics_starts_at_the_local_time_of_an_overseas_prefecture(client):
    reunion = factories.make_prefecture("974", "La Réunion", time_zone="Indian/Reunion")
    request = dated(reunion, start=START)

    response = client.get(url("calendar", request))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="rendez-vous-{request.number}.ics"' in response["Content-Disposition"]
    assert response["Referrer-Policy"] == "strict-origin"
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


def _read_with_icalendar(ics: bytes) -> tuple[datetime.datetime, datetime.datetime]:
    """icalendar, on the file's own VTIMEZONE rather than the tz database's entry for its TZID."""
    calendar = Calendar.from_ical(ics)
    (vtimezone,) = calendar.walk("VTIMEZONE")
    zone = vtimezone.to_tz(lookup_tzid=False)
    (event,) = calendar.walk("VEVENT")
    return tuple(
        event.decoded(name).replace(tzinfo=zone).astimezone(datetime.UTC)
        for name in ("dtstart", "dtend")
    )


def _read_with_vobject(ics: bytes) -> tuple[datetime.datetime, datetime.datetime]:
    """vobject (the parser of Radicale and of many CalDAV tools) reads the VTIMEZONE too."""
    event = vobject.readOne(ics.decode()).vevent
    return event.dtstart.value.astimezone(datetime.UTC), event.dtend.value.astimezone(datetime.UTC)


ZONES = ("Europe/Paris", "Indian/Reunion", "America/Guadeloupe")
# A Monday in the southern summer and one in the northern summer: Paris is at +01:00, then +02:00.
WALL_CLOCKS = {"january": (2027, 1, 11, 9, 30), "july": (2027, 7, 5, 9, 30)}


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("wall_clock", WALL_CLOCKS.values(), ids=WALL_CLOCKS.keys())
def test_independent_parsers_read_the_appointment_at_its_own_instant(client, zone, wall_clock):
    start = datetime.datetime(*wall_clock, tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(datetime.UTC)
    prefecture = factories.make_prefecture("97", "Préfecture", time_zone=zone)
    request = dated(prefecture, start=start)
    unit = request.appointment.unit

    ics = client.get(url("calendar", request)).content

    assert unit.starts_at == start
    assert _read_with_icalendar(ics) == (unit.starts_at, unit.ends_at)
    assert _read_with_vobject(ics) == (unit.starts_at, unit.ends_at)
