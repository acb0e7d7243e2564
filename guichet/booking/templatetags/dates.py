"""`{{ value|date_text:"j F Y" }}`: the `date` filter, with « 1er » for the first of a month."""

from django import template

from guichet import dates

register = template.Library()

# expects_localtime: an aware datetime is shown on the current zone's clock, as `date` does.
register.filter("date_text", dates.date_text, expects_localtime=True)
