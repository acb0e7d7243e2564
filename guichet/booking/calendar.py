"""The appointment as an .ics invitation, in the préfecture's own time zone: in French, the
authority's language, with the person's own language beside it when they read another."""

import datetime
import functools

import ical.calendar
import ical.timezone
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar, Event, Timezone

from guichet.languages import supported

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


def event_texts(request) -> tuple[str, str]:
    """(summary, description) in the active language; the documents are the service's own."""
    documents = "\n".join(f"- {item}" for item in request.service.document_list)
    summary = _("Rendez-vous : %(service)s (%(number)s)") % {
        "service": request.service.name,
        "number": request.number,
    }
    description = "\n".join(
        [
            _("Demande %(number)s. Pièces à apporter :") % {"number": request.number},
            documents,
            _("Une pièce d'identité sera vérifiée au guichet."),
        ]
    )
    return summary, description


def bilingual_texts(request, language: str) -> tuple[str, str]:
    """The French texts, then the same in `language` when it is not French."""
    with translation.override(settings.LANGUAGE_CODE):
        summary, description = event_texts(request)
    if language != settings.LANGUAGE_CODE:
        with translation.override(language):
            their_summary, their_description = event_texts(request)
        summary = f"{summary} / {their_summary}"
        description = f"{description}\n\n{their_description}"
    return summary, description


def appointment_ics(appointment, language: str | None = None) -> str:
    """The .ics of an appointment; `language`, the person's (by default, their messages')."""
    unit = appointment.unit
    request = appointment.request
    summary, description = bilingual_texts(request, supported(language or request.language))
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
    event.add("summary", summary)
    event.add("location", ", ".join(filter(None, [unit.site.name, unit.site.address])))
    event.add("description", description)
    event.add("url", settings.SITE_URL)
    calendar.add_component(Timezone.from_ical(vtimezone(request.prefecture.time_zone)))
    calendar.add_component(event)
    return calendar.to_ical().decode()


def unit_calendar(request, unit) -> str:
    """The .ics of a date given in bulk, built by the sender (notifications.CALENDARS)."""
    from .models import Appointment

    return appointment_ics(Appointment(request=request, unit=unit))
