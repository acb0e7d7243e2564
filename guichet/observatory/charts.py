"""How La Cimade's buckets are drawn and tabled: on the public page and in a dossier."""

from __future__ import annotations

from dataclasses import dataclass

from .figures import BUCKETS, BucketCounts, Figures
from .models import Bucket

# The buckets' colours on the charts, from « two dates within a month » to « no date ».
COLOURS = ("#18753c", "#68a532", "#fcc63a", "#e4794a", "#ce0500")
BUCKET_COLOURS = dict(zip(BUCKETS, COLOURS, strict=True))


@dataclass(frozen=True)
class BucketLine:
    """One line of a buckets table: the whole period (`week` empty) or one ISO week."""

    week: str
    counts: BucketCounts

    def segments(self) -> list[dict]:
        """The stacked bar of the line: one segment per bucket, in percent of the width."""
        x, segments = 0.0, []
        for key in BUCKETS:
            width = 100 * (self.counts.share(key) or 0)
            segments.append(
                {"x": round(x, 2), "width": round(width, 2), "fill": BUCKET_COLOURS[key]}
            )
            x += width
        return segments


def bucket_legend() -> list[dict]:
    """The charts' key: each bucket in La Cimade's words and its colour."""
    return [{"label": label, "fill": BUCKET_COLOURS[key]} for key, label in Bucket.choices]


def bucket_lines(figures: Figures) -> list[BucketLine]:
    """The whole period first, then week by week: how the buckets moved over time."""
    weeks = figures.buckets_per_week.items()
    return [BucketLine("", figures.buckets)] + [BucketLine(week, counts) for week, counts in weeks]
