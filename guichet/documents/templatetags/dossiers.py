"""The dossier's checklist where other apps' pages show it: the status page, the day's agenda
and the check-in screen include these tags; their apps import nothing of this one."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..enums import DocumentState
from ..services import Summary, dossier_progress, status_lines, summaries

register = template.Library()


@register.inclusion_tag("documents/_status_section.html")
def dossier_section(booking_request):
    lines, bring = status_lines(booking_request)
    return {
        "booking_request": booking_request,
        "lines": lines,
        "bring_on_the_day": bring,
        **dossier_progress(booking_request, [line.state for line in lines]),
    }


@register.simple_tag
def dossier_summaries(appointments):
    """Each appointment's request's dossier summary, by request id, in one query."""
    return summaries(appointment.request_id for appointment in appointments)


@register.filter
def summary_of(found: dict, request_id):
    return found.get(request_id)


@register.filter
def summary_badge(summary: Summary | None) -> SafeString | str:
    """« Dossier complet », « Documents à vérifier : 2 »…: a badge, written here rather than in
    an included template since the day's agenda shows one per row; nothing without a dossier."""
    if summary is None:
        return ""
    if summary.complete:
        colour = "fr-badge--success"
    elif summary.to_check:
        colour = "fr-badge--info"
    else:
        colour = "fr-badge--warning"
    return format_html(
        '<span class="fr-badge fr-badge--sm dossier-summary {}">{}</span>', colour, summary.label
    )


# A document's state as a badge's colour: done, to redo, missing, being checked; else still to
# send (« new »).
STATE_COLOURS: dict[str, str] = {
    DocumentState.ACCEPTED: "fr-badge--success",
    DocumentState.NOT_CONCERNED: "fr-badge--success",
    DocumentState.REDO: "fr-badge--warning",
    DocumentState.MISSING: "fr-badge--error",
    DocumentState.SENT: "fr-badge--info",
}


@register.filter
def state_badge(state: str, label: str) -> SafeString:
    """`{{ document.state|state_badge:label }}`: a badge per document of the checklists, written
    here rather than in an included template since every page of a dossier shows one per line."""
    return format_html(
        '<span class="fr-badge fr-badge--sm fr-mb-0 document-state {}">{}</span>',
        STATE_COLOURS.get(state, "fr-badge--new"),
        label,
    )


@register.inclusion_tag("documents/_summary.html")
def dossier_summary(booking_request, link=True):
    """The check-in screen's lines: « Dossier complet » or what is still to check or send, and
    each document's state."""
    lines, _bring = status_lines(booking_request)
    return {
        "summary": summaries([booking_request.pk]).get(booking_request.pk),
        "lines": lines,
        "request_id": booking_request.pk,
        "link": link,
    }
