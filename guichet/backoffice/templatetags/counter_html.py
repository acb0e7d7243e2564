"""What the counter's pages repeat, written by Python rather than by templates: the day's agenda
has a hundred rows on a busy day, and each `{% include %}` or variable of a template costs more
than a function's call (docs/decisions/0015-pages-opened-all-day.md).

`{{ status|status_badge:label }}`: a request's status as a DSFR badge coloured by what it means
at the counter. `{{ row|agenda_cells:checkin_number_url }}`: an agenda's row, but its last cell.
"""

from urllib.parse import quote

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


# One row of the day's agenda but its last cell (the documents', from the documents app): its
# columns as agenda.html heads them.
AGENDA_CELLS = (
    "<td>{}</td><td>{}</td>"
    '<td translate="no"><a href="{}{}">{}</a></td>'
    "<td>{}</td><td>{}</td><td>{}</td>"
    '<td class="counter-language">{}</td>'
)


@register.filter
def agenda_cells(row, checkin_number_url: str) -> SafeString:
    """A row of the agenda (counter.AgendaRow), its number a link to the check-in screen: a
    template's eight variables per row took twice as long."""
    return format_html(
        AGENDA_CELLS,
        row.time,
        row.desk,
        checkin_number_url,
        quote(row.number, safe="/"),  # as the urlencode filter
        row.number,
        row.person,
        row.service,
        status_badge(row.status, row.status_label),
        row.language,
    )
