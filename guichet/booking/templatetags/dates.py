"""`{{ value|date_text:"j F Y" }}`: the `date` filter, with « 1er » for the first of a month, in
the active language's order elsewhere. `{{ moment|local_time:tz }}`: « le 14 décembre 2026 à
10:00 (heure de Paris, UTC+01:00) », the zone named, in the active language (messages too)."""

from django import template

from guichet import dates

register = template.Library()

# expects_localtime: an aware datetime is shown on the current zone's clock, as `date` does.
register.filter("date_text", dates.date_text, expects_localtime=True)


@register.filter("local_time")
def local_time_filter(moment, tz) -> str:
    return dates.local_time(moment, tz)
