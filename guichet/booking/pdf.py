"""The receipt as a PDF: a document a person can print, keep, and show to anyone."""

import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone

from guichet.dates import local_time

from .models import Request
from .receipts import receipt_context


def render_receipt_pdf(request: Request) -> bytes:
    """A4, readable in black and white, with the QR code of the public verification page.

    It leaves out the secret status link: the paper is meant to be shown to others. It says when
    it was printed, since the status and rank it shows may have changed since.
    """
    context = receipt_context(request)
    context["printed_when"] = local_time(timezone.now(), request.prefecture.tz)
    html = render_to_string("booking/follow/receipt_pdf.html", context)
    return weasyprint.HTML(string=html).write_pdf()
