"""The receipt as a PDF: a document a person can print, keep, and show to anyone."""

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from guichet.dates import local_time
from guichet.languages import supported

from .models import Request
from .receipts import receipt_context


def render_receipt_pdf(request: Request, language: str | None = None) -> bytes:
    """A4, readable in black and white, with the QR code of the public verification page.

    It leaves out the secret status link: the paper is meant to be shown to others. It says when
    it was printed, since the status and rank it shows may have changed since. It is in French,
    the authority's language, which agents and judges read; for a person reading `language`,
    its key facts (number, date, place, what to bring) are printed again in that language.
    """
    language = supported(language)
    with translation.override(settings.LANGUAGE_CODE):
        context = receipt_context(request)
        context["printed_when"] = local_time(timezone.now(), request.prefecture.tz)
        if language != settings.LANGUAGE_CODE:
            context["key_facts"] = key_facts(request, language)
        html = render_to_string("booking/follow/receipt_pdf.html", context)
    return weasyprint.HTML(string=html).write_pdf()


def key_facts(request: Request, language: str) -> str:
    """The receipt's key facts, written in `language`, as HTML for the French document."""
    with translation.override(language):
        context = receipt_context(request)
        context.update(language=language, bidi=translation.get_language_bidi())
        return mark_safe(render_to_string("booking/follow/_key_facts_pdf.html", context))
