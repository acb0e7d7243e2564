"""The observatory's figures: how often an offer was seen, how far ahead, how long none was seen.

Pure functions of a list of observations, with no Django import, so the published figures can be
recomputed from an export. Each check also falls in one of the five buckets of La Cimade's
« À guichets fermés » watch, the form judges and journalists already read (`bucket`).
"""

from __future__ import annotations

import datetime
import itertools
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from .classify import NO_SLOT, OVERLOADED, SLOTS

# La Cimade's five buckets, in their order: what a person trying at that moment could get.
TWO_DATES_WITHIN_A_MONTH = "two_dates_month"
ONE_DATE_WITHIN_A_MONTH = "one_date_month"
FIRST_DATE_IN_ONE_TO_TWO_MONTHS = "first_date_1_2_months"
FIRST_DATE_BEYOND_TWO_MONTHS = "first_date_beyond_2_months"
NO_DATE = "no_date"
BUCKETS = (
    TWO_DATES_WITHIN_A_MONTH,
    ONE_DATE_WITHIN_A_MONTH,
    FIRST_DATE_IN_ONE_TO_TWO_MONTHS,
    FIRST_DATE_BEYOND_TWO_MONTHS,
    NO_DATE,
)
# Pages that tell a person there is no date to take now. Maintenance, errors, captchas and pages
# not read say nothing about availability: their checks are left out of the buckets ("").
NO_DATE_LABELS = frozenset({NO_SLOT, OVERLOADED})


def bucket(label: str, checked_on: datetime.date, dates=(), earliest=None) -> str:
    """La Cimade's bucket of one check, from the days it offered (or its earliest day alone).

    « Within a month » means on or before the same day of the next month. An offer whose date was
    not read (or read in the past) has no bucket: the robot saw slots but cannot say how far ahead.
    """
    if label in NO_DATE_LABELS:
        return NO_DATE
    # A day before the check is no slot a person could take: a date read from elsewhere in the
    # page (« mis à jour le … »), never counted as an offer within a month.
    days = sorted(day for day in set(dates) | {earliest} if day and day >= checked_on)
    if label != SLOTS or not days:
        return ""
    one_month = checked_on + relativedelta(months=1)  # 31 January: 28 or 29 February
    two_months = checked_on + relativedelta(months=2)
    if sum(day <= one_month for day in days) >= 2:
        return TWO_DATES_WITHIN_A_MONTH
    if days[0] <= one_month:
        return ONE_DATE_WITHIN_A_MONTH
    if days[0] <= two_months:
        return FIRST_DATE_IN_ONE_TO_TWO_MONTHS
    return FIRST_DATE_BEYOND_TWO_MONTHS


@dataclass(frozen=True)
class Observation:
    at: datetime.datetime
    offer: bool
    earliest: datetime.date | None = None
    bucket: str = ""


@dataclass(frozen=True)
class Drought:
    """The longest stretch without any offer: from its first failed check to its last one."""

    start: datetime.datetime
    end: datetime.datetime

    @property
    def length(self) -> datetime.timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class BucketCounts:
    """Checks per bucket; shares are of the checks placed in a bucket, the others counted apart."""

    counts: dict[str, int]
    unplaced: int = 0

    @property
    def placed(self) -> int:
        return sum(self.counts.get(key, 0) for key in BUCKETS)

    def share(self, key: str) -> float | None:
        return self.counts.get(key, 0) / self.placed if self.placed else None

    def rows(self) -> list[tuple[str, int, int]]:
        """(bucket, checks, whole percent) in La Cimade's order, for tables and charts."""
        return [
            (key, self.counts.get(key, 0), round(100 * (self.share(key) or 0))) for key in BUCKETS
        ]

    def as_dict(self) -> dict:
        return {key: self.counts.get(key, 0) for key in BUCKETS} | {"unplaced": self.unplaced}


def count_buckets(items) -> BucketCounts:
    counts = Counter(item.bucket for item in items)
    unplaced = counts.pop("", 0)
    return BucketCounts(dict(counts), unplaced)


@dataclass(frozen=True)
class Figures:
    checks: int
    offers: int
    offer_share: float | None
    median_delay_days: float | None
    longest_drought: Drought | None
    checks_per_week: dict[str, int]
    buckets: BucketCounts = field(default_factory=lambda: BucketCounts({}))
    buckets_per_week: dict[str, BucketCounts] = field(default_factory=dict)

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
        buckets=count_buckets(items),
        buckets_per_week={
            week: count_buckets(group)
            for week, group in itertools.groupby(items, key=lambda item: iso_week(item.at))
        },
    )
