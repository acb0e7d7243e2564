"""What the observatory publishes: figures per target and per département, and the raw chain."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .charts import BucketLine, bucket_lines
from .dossier import observations
from .figures import Figures, compute_figures
from .models import Check, Target


@dataclass
class Row:
    label: str
    department_code: str
    figures: Figures

    @property
    def offer_percent(self) -> int:
        return round(100 * (self.figures.offer_share or 0))

    @property
    def bucket_lines(self) -> list[BucketLine]:
        """The whole period first, then week by week: how the buckets moved over time."""
        return bucket_lines(self.figures)


def published_figures() -> tuple[list[Row], list[Row]]:
    """The figures per target and per département, from one read of the checks."""
    by_target, by_department = defaultdict(list), defaultdict(list)
    names = {}
    for check in Check.objects.select_related("target").order_by("checked_at"):
        target = check.target
        by_target[target.pk].append(check)
        by_department[target.department_code].append(check)
        names[target.department_code] = target.prefecture
    targets = [
        Row(
            f"{target.prefecture} — {target.procedure}",
            target.department_code,
            compute_figures(observations(by_target[target.pk])),
        )
        for target in Target.objects.filter(pk__in=list(by_target))
    ]
    departments = [
        Row(names[code], code, compute_figures(observations(items)))
        for code, items in sorted(by_department.items())
    ]
    return targets, departments


def chain_export():
    """Every check as the chain hashes it, so that anyone can recompute every fingerprint."""
    for check in Check.objects.order_by("sequence").iterator():
        yield {
            "payload": check.payload(),
            "previous": check.previous_hash,
            "hash": check.record_hash,
        }


def figures_json(rows: list[Row]) -> list[dict]:
    return [
        {
            "label": row.label,
            "department_code": row.department_code,
            "checks": row.figures.checks,
            "offers": row.figures.offers,
            "offer_share": row.figures.offer_share,
            "median_delay_days": row.figures.median_delay_days,
            "longest_without_offer_days": row.figures.longest_drought.length.total_seconds() / 86400
            if row.figures.longest_drought
            else None,
            "checks_per_week": row.figures.checks_per_week,
            "buckets": row.figures.buckets.as_dict(),
            "buckets_per_week": {
                week: counts.as_dict() for week, counts in row.figures.buckets_per_week.items()
            },
        }
        for row in rows
    ]
