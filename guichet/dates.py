"""Dates as a French reader expects them: « 1er décembre 2026 », never « 1 décembre 2026 ».

Django's `date` filter, like CLDR, writes the first of a month as a plain number; French
typography writes it as an ordinal. Every day of month shown in French text goes through
`date_text` (in templates, the `date_text` filter of `{% load dates %}`).
"""

from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import translation


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
