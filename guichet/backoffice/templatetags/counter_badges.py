"""`{{ status|status_badge:label }}`: a request's status as the counter's pages show it, a DSFR
badge coloured by what it means at the counter. Written here rather than in an included
template: the day's agenda shows one per row, and each `{% include %}` costs far more than a
filter's call."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from guichet.booking.enums import RequestStatus

register = template.Library()

# Any other status is information: still expected, or without an appointment.
COLOURS: dict[str, str] = {
    RequestStatus.ATTENDED: "fr-badge--success",
    RequestStatus.NO_SHOW: "fr-badge--error",
    RequestStatus.PAUSED: "fr-badge--warning",
}


@register.filter
def status_badge(status: str, label: str) -> SafeString:
    return format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--no-icon {}">{}</p>',
        COLOURS.get(status, "fr-badge--info"),
        label,
    )
