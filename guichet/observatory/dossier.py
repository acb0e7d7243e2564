"""A person's dossier of proof: the robot's checks over a period, their own tries, letter drafts.

Rendered to PDF with WeasyPrint, its screenshots annexed as images; the drafts are also given as
plain text so they can be edited in any word processor.
"""

from __future__ import annotations

import base64
import datetime
import mimetypes
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .chain import sha256_bytes
from .charts import BucketLine, bucket_lines
from .evidence import read_file
from .figures import Figures, Observation, compute_figures, iso_week
from .models import Bucket, Check, PersonalTry, Target

MAX_SCREENSHOTS = 6
TIMELINE_WIDTH, TIMELINE_HEIGHT = 680, 60


@dataclass(frozen=True)
class Annex:
    """One check's screenshot, as stored and checked against its SHA-256, for the PDF's annex."""

    check: Check
    data: bytes

    @property
    def data_uri(self) -> str:
        kind = mimetypes.guess_type(self.check.screenshot)[0] or "image/png"
        return f"data:{kind};base64,{base64.b64encode(self.data).decode()}"


@dataclass
class DossierContents:
    target: Target
    start: datetime.date
    end: datetime.date
    checks: list[Check]
    tries: list[PersonalTry] = field(default_factory=list)

    @cached_property
    def figures(self) -> Figures:
        return compute_figures(observations(self.checks))

    @property
    def bucket_lines(self) -> list[BucketLine]:
        return bucket_lines(self.figures)

    @property
    def weeks(self) -> list[str]:
        days = (self.end - self.start).days
        covered = {iso_week(self.start + datetime.timedelta(days=n)) for n in range(days + 1)}
        return sorted(covered)

    @cached_property
    def screenshots(self) -> list[Annex]:
        """The screenshots annexed: a few spread over the period, each one whose file is intact.

        The bytes embedded are the bytes whose fingerprint the chain holds; a missing or altered
        file is left out (and `guichet observe verify` names it).
        """
        annexes = []
        for check in selected_screenshots(self.checks):
            data = read_file(check.screenshot)
            if data is not None and sha256_bytes(data) == check.screenshot_sha256:
                annexes.append(Annex(check, data))
        return annexes

    @property
    def screenshots_recorded(self) -> int:
        return sum(1 for check in self.checks if check.screenshot)

    @property
    def chain_tip(self) -> str:
        last = Check.objects.order_by("-sequence").first()
        return last.record_hash if last else ""


def observations(checks) -> list[Observation]:
    return [
        Observation(
            timezone.localtime(check.checked_at), check.is_offer, check.earliest, check.bucket
        )
        for check in checks
    ]


def build_dossier(
    target: Target, start: datetime.date, end: datetime.date, tries=()
) -> DossierContents:
    """The checks of `target` from `start` to `end` included, in the préfecture's local days."""
    checks = list(period_checks(target, start, end).order_by("sequence"))
    return DossierContents(target, start, end, checks, list(tries))


def period_checks(target: Target, start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tz)
    return target.checks.filter(checked_at__gte=since, checked_at__lt=until)


def selected_screenshots(checks: list[Check], limit: int = MAX_SCREENSHOTS) -> list[Check]:
    """A few screenshots spread evenly over the period, the first and the last included."""
    shown = [check for check in checks if check.screenshot]
    if len(shown) <= limit:
        return shown
    step = (len(shown) - 1) / (limit - 1)
    return [shown[round(n * step)] for n in range(limit)]


def timeline_bars(dossier: DossierContents) -> list[dict]:
    """One thin bar per check on the period's width: tall and dark for an offer."""
    since = datetime.datetime.combine(
        dossier.start, datetime.time.min, timezone.get_current_timezone()
    )
    span = datetime.timedelta(days=(dossier.end - dossier.start).days + 1).total_seconds()
    bars = []
    for check in dossier.checks:
        share = (check.checked_at - since).total_seconds() / span
        height = TIMELINE_HEIGHT if check.is_offer else TIMELINE_HEIGHT / 3
        bars.append(
            {
                "x": round(share * TIMELINE_WIDTH, 1),
                "y": TIMELINE_HEIGHT - height,
                "height": height,
                "offer": check.is_offer,
            }
        )
    return bars


def drafts_context(dossier: DossierContents) -> dict:
    return {
        "dossier": dossier,
        "figures": dossier.figures,
        "screenshots": dossier.screenshots,
        "today": timezone.localdate(),
        "buckets": Bucket.labels,
    }


def for_the_authorities(template: str, context: dict) -> str:
    """In French whatever the person reads the site in: the préfet and the judge read French."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template, context)


def render_letter(dossier: DossierContents) -> str:
    return for_the_authorities("observatory/drafts/letter_to_prefet.txt", drafts_context(dossier))


def render_exhibits(dossier: DossierContents) -> str:
    return for_the_authorities("observatory/drafts/exhibits.txt", drafts_context(dossier))


def render_dossier_html(dossier: DossierContents) -> str:
    context = drafts_context(dossier) | {
        "bars": timeline_bars(dossier),
        "timeline_width": TIMELINE_WIDTH,
        "timeline_height": TIMELINE_HEIGHT,
        "letter": render_letter(dossier),
        "exhibits": render_exhibits(dossier),
    }
    return for_the_authorities("observatory/dossier_pdf.html", context)


def render_dossier_pdf(dossier: DossierContents) -> bytes:
    from weasyprint import HTML

    # No base URL: the screenshots are in the HTML itself (data: URIs), nothing is loaded.
    return HTML(string=render_dossier_html(dossier)).write_pdf()
