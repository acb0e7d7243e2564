"""The observatory's figures: how often an offer was seen, how far ahead, how long none was seen.

Pure functions of a list of observations, with no Django import, so the published figures can be
recomputed from an export.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Observation:
    at: datetime.datetime
    offer: bool
    earliest: datetime.date | None = None


@dataclass(frozen=True)
class Drought:
    """The longest stretch without any offer: from its first failed check to its last one."""

    start: datetime.datetime
    end: datetime.datetime

    @property
    def length(self) -> datetime.timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Figures:
    checks: int
    offers: int
    offer_share: float | None
    median_delay_days: float | None
    longest_drought: Drought | None
    checks_per_week: dict[str, int]

    @property
    def weeks(self) -> list[str]:
        return list(self.checks_per_week)


def iso_week(moment: datetime.datetime | datetime.date) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(week: str) -> datetime.date:
    """The Monday of an ISO week key such as "2026-W44" (the key the exports keep)."""
    return datetime.date.fromisoformat(f"{week}-1")


def longest_drought(observations: list[Observation]) -> Drought | None:
    best, start, last = None, None, None
    for item in observations:
        if item.offer:
            start = None
            continue
        start = start or item.at
        last = item.at
        if best is None or last - start > best.length:
            best = Drought(start, last)
    return best


def compute_figures(observations: Iterable[Observation]) -> Figures:
    """Figures over observations of one target or of several (then sorted by time)."""
    items = sorted(observations, key=lambda item: item.at)
    offers = [item for item in items if item.offer]
    delays = [(item.earliest - item.at.date()).days for item in offers if item.earliest]
    return Figures(
        checks=len(items),
        offers=len(offers),
        offer_share=len(offers) / len(items) if items else None,
        median_delay_days=statistics.median(delays) if delays else None,
        longest_drought=longest_drought(items),
        checks_per_week=dict(sorted(Counter(iso_week(item.at) for item in items).items())),
    )
