"""Dates as a French reader expects them: « 1er décembre 2026 », never « 1 décembre 2026 »;
moments on the préfecture's clock, with its zone named: `local_time`.

Django's `date` filter, like CLDR, writes the first of a month as a plain number; French
typography writes it as an ordinal. Every day of month shown in French text goes through
`date_text` (in templates, the `date_text` filter of `{% load dates %}`).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.translation import gettext as _


def _first_as_ordinal(format_string: str) -> str:
    """`format_string` with « er » after each day of month `j` (escaped, so Django prints it)."""
    out = []
    escaped = False
    for char in format_string:
        out.append(char)
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "j":
            out.append(r"\e\r")
    return "".join(out)


def date_text(value, format_string: str = "j F Y") -> str:
    """`value` formatted like Django's `date` filter, the 1st of a month as « 1er » in French."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if getattr(value, "day", None) == 1 and language.split("-")[0] == "fr":
        format_string = _first_as_ordinal(format_string)
    return date_filter(value, format_string)


# How a person names their own clock; anything else falls back to the zone's city.
ZONE_NAMES = {
    "Europe/Paris": "Paris",
    "America/Guadeloupe": "la Guadeloupe",
    "America/Martinique": "la Martinique",
    "America/Cayenne": "Guyane",
    "Indian/Reunion": "La Réunion",
    "Indian/Mayotte": "Mayotte",
    "America/Miquelon": "Saint-Pierre-et-Miquelon",
    "Pacific/Noumea": "Nouméa",
    "Pacific/Tahiti": "Tahiti",
}


def zone_name(tz: zoneinfo.ZoneInfo) -> str:
    return ZONE_NAMES.get(tz.key, tz.key.rsplit("/", 1)[-1].replace("_", " "))


def local_time(moment: datetime.datetime, tz: zoneinfo.ZoneInfo, *, seconds=False, weekday=False):
    """« le 23 novembre 2026 à 14:03:27 (heure de Paris, UTC+01:00) »: unambiguous anywhere.

    Times are shown on the préfecture's clock, with its offset, because overseas préfectures are
    not on Paris time and a person abroad must not be misled by their own.
    """
    local = moment.astimezone(tz)
    offset = local.isoformat()[-6:]
    return _("le %(date)s à %(time)s (heure de %(zone)s, UTC%(offset)s)") % {
        "date": date_text(local, "l j F Y" if weekday else "j F Y"),
        "time": local.strftime("%H:%M:%S" if seconds else "%H:%M"),
        "zone": zone_name(tz),
        "offset": offset,
    }
