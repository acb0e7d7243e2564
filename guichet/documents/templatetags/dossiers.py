"""The dossier's checklist where other apps' pages show it: the status page, the day's agenda
and the check-in screen include these tags; their apps import nothing of this one."""

from django import template
from django.utils import timezone

from ..services import answer_by, is_complete, may_send, status_lines, summaries

register = template.Library()


@register.inclusion_tag("documents/_status_section.html")
def dossier_section(booking_request):
    lines, bring = status_lines(booking_request)
    today = timezone.localdate(timezone=booking_request.prefecture.tz)
    return {
        "booking_request": booking_request,
        "lines": lines,
        "bring_on_the_day": bring,
        "complete": is_complete([line.state for line in lines]),
        "accepted": sum(line.state == "accepted" for line in lines),
        "total": len(lines),
        "answer_by": answer_by(booking_request, today),
        "may_send": may_send(booking_request),
    }


@register.simple_tag
def dossier_summaries(appointments):
    """Each appointment's request's dossier summary, by request id, in one query."""
    return summaries(appointment.request_id for appointment in appointments)


@register.filter
def summary_of(found: dict, request_id):
    return found.get(request_id)


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
