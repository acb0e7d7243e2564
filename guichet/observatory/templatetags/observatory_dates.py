"""Weeks as people read them: « semaine du 26 octobre 2026 », not the ISO key « 2026-W44 »."""

from django import template
from django.utils.translation import gettext as _

from guichet.dates import date_text
from guichet.observatory.figures import week_start

register = template.Library()


@register.filter
def week_label(week: str) -> str:
    """The week of an ISO key (as the exports keep it) named by its Monday, « 1er » included."""
    return _("semaine du %(monday)s") % {"monday": date_text(week_start(week))}
