"""The .ics invitation round-trips through icalendar with the préfecture's own time zone."""

import datetime

import pytest
import time_machine
from icalendar import Calendar

from guichet.booking.calendar import appointment_ics
from guichet.booking.services import allocate_service
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("code", "time_zone", "offset_hours"),
    [("94", "Europe/Paris", 1), ("974", "Indian/Reunion", 4), ("971", "America/Guadeloupe", -4)],
)
@time_machine.travel(NOW, tick=False)
def test_ics_round_trips_in_the_prefecture_time_zone(code, time_zone, offset_hours):
    prefecture = factories.make_prefecture(code, f"Préfecture {code}", time_zone)
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture)
    start = datetime.datetime(2026, 12, 8, 6, 0, tzinfo=datetime.UTC)
    factories.make_units(site, service, start, 1)
    request = factories.register_at_counter(service, site, 1)
    allocate_service(service, seed=1)
    request.refresh_from_db()

    calendar = Calendar.from_ical(appointment_ics(request.appointment))
    (event,) = calendar.walk("VEVENT")
    dtstart = event.decoded("dtstart")
    assert dtstart == start
    assert str(dtstart.tzinfo) == time_zone
    assert dtstart.utcoffset() == datetime.timedelta(hours=offset_hours)
    assert event.decoded("dtend") - dtstart == datetime.timedelta(minutes=20)
    assert request.number in str(event["summary"])
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == [time_zone]
