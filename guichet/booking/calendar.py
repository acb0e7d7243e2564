"""The appointment as an .ics invitation, in the préfecture's own time zone."""

import datetime
import functools

import ical.calendar
import ical.timezone
from django.conf import settings
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar, Event, Timezone

# Before any appointment Guichet can give: the rule only needs to hold from then on.
RULE_START = datetime.datetime(2020, 1, 1)


@functools.lru_cache(maxsize=32)
def vtimezone(tzid: str) -> bytes:
    """The zone's current rule as calendar vendors publish it: a yearly RRULE per observance.

    icalendar's `Timezone.from_tzid` lists every onset in one comma-separated RDATE (vobject,
    hence Radicale, keeps only the first, so every summer after 2021 came out an hour off) and
    dates spring onsets on the new clock instead of the old one. ical reads the POSIX rule that
    ends the zone's TZif file instead. Built once per zone.
    """
    zone = ical.timezone.Timezone.from_tzif(tzid, start=RULE_START)
    # `timezones` is the pydantic field behind the VTIMEZONE alias the stubs only know.
    calendar = ical.calendar.Calendar(timezones=[zone])  # type: ignore[call-arg]
    text = IcsCalendarStream.calendar_to_ics(calendar)
    (component,) = Calendar.from_ical(text).walk("VTIMEZONE")
    for observance in component.subcomponents:
        # POSIX quotes numeric abbreviations, "<+04>"; a calendar shows TZNAME as it is.
        name = str(observance.pop("TZNAME"))
        observance.add("TZNAME", name.strip("<>"))
    return component.to_ical()


def appointment_ics(appointment) -> str:
    unit = appointment.unit
    request = appointment.request
    tz = request.prefecture.tz
    calendar = Calendar()
    calendar.add("prodid", "-//Guichet//Rendez-vous en préfecture//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{request.number}-{unit.pk}@guichet")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", unit.starts_at.astimezone(tz))
    event.add("dtend", unit.ends_at.astimezone(tz))
    event.add("summary", f"Rendez-vous : {request.service.name} ({request.number})")
    event.add("location", ", ".join(filter(None, [unit.site.name, unit.site.address])))
    documents = "\n".join(f"- {item}" for item in request.service.document_list)
    event.add(
        "description",
        f"Demande {request.number}. Pièces à apporter :\n{documents}\n"
        f"Une pièce d'identité sera vérifiée au guichet.",
    )
    event.add("url", settings.SITE_URL)
    calendar.add_component(Timezone.from_ical(vtimezone(request.prefecture.time_zone)))
    calendar.add_component(event)
    return calendar.to_ical().decode()


def unit_calendar(request, unit) -> str:
    """The .ics of a date given in bulk, built by the sender (notifications.CALENDARS)."""
    from .models import Appointment

    return appointment_ics(Appointment(request=request, unit=unit))
