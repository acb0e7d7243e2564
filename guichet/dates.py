"""Dates as a French reader expects them: « 1er décembre 2026 », never « 1 décembre 2026 »;
moments on the préfecture's clock, with its zone named: `local_time`.

Django's `date` filter, like CLDR, writes the first of a month as a plain number; French
typography writes it as an ordinal. Every day of month shown in French text goes through
`date_text` (in templates, the `date_text` filter of `{% load dates %}`). In another language,
a date is written the way that language writes it (Django's locale formats: « 2026年12月14日 »,
« 14 de diciembre de 2026 »).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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


# The French day-and-month formats, and the locale format each language writes them with instead.
LOCALE_FORMATS = (("j F Y", "DATE_FORMAT"), ("j F", "MONTH_DAY_FORMAT"))


def _in_language_format(format_string: str) -> str:
    """A French « j F Y » (or « j F ») inside `format_string` as the active language writes it;
    a weekday (« l ») before it is kept, followed by a comma, and a French « à » before the
    time becomes a comma."""
    comma = "، " if translation.get_language_bidi() else ", "  # Arabic has its own
    format_string = format_string.replace(" à ", comma)
    for french, name in LOCALE_FORMATS:
        if french in format_string:
            local = get_format(name)
            return format_string.replace("l " + french, f"l{comma}{local}").replace(french, local)
    return format_string


def date_text(value, format_string: str = "j F Y") -> str:
    """`value` formatted like Django's `date` filter, the 1st of a month as « 1er » in French;
    in another language, its day and month written in that language's order."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language.split("-")[0] != "fr":
        return date_filter(value, _in_language_format(format_string))
    if getattr(value, "day", None) == 1:
        format_string = _first_as_ordinal(format_string)
    return date_filter(value, format_string)


# How a person names their own clock (« heure de … »), translated like any word; anything else
# falls back to the zone's city.
ZONE_NAMES = {
    "Europe/Paris": gettext_lazy("Paris"),
    "America/Guadeloupe": gettext_lazy("la Guadeloupe"),
    "America/Martinique": gettext_lazy("la Martinique"),
    "America/Cayenne": gettext_lazy("Guyane"),
    "Indian/Reunion": gettext_lazy("La Réunion"),
    "Indian/Mayotte": gettext_lazy("Mayotte"),
    "America/Miquelon": gettext_lazy("Saint-Pierre-et-Miquelon"),
    "Pacific/Noumea": gettext_lazy("Nouméa"),
    "Pacific/Tahiti": gettext_lazy("Tahiti"),
}


def zone_name(tz: zoneinfo.ZoneInfo) -> str:
    return str(ZONE_NAMES.get(tz.key, tz.key.rsplit("/", 1)[-1].replace("_", " ")))


def local_time(moment: datetime.datetime, tz: zoneinfo.ZoneInfo, *, seconds=False, weekday=False):
    """« le 23 novembre 2026 à 14:03:27 (heure de Paris, UTC+01:00) »: unambiguous anywhere.

    Times are shown on the préfecture's clock, with its offset, because overseas préfectures are
    not on Paris time and a person abroad must not be misled by their own.
    """
    local = moment.astimezone(tz)
    offset = local.isoformat()[-6:]
    text = _("le %(date)s à %(time)s (heure de %(zone)s, UTC%(offset)s)") % {
        "date": date_text(local, "l j F Y" if weekday else "j F Y"),
        "time": local.strftime("%H:%M:%S" if seconds else "%H:%M"),
        "zone": zone_name(tz),
        "offset": offset,
    }
    if translation.get_language_bidi():
        # Right to left, « UTC+01:00 » would read « 01:00+UTC »: kept left to right, isolated.
        text = text.replace(f"UTC{offset}", f"\u2066UTC{offset}\u2069")
    return text
