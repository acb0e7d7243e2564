"""The queue's figures, from the records the allocation itself reads and writes.

Requests (status, registration, deadline, channel), their history (the first « dated » line and
the date it gave), appointments, units and lost units. Nothing here reads a name, a contact or a
document number, so erasing personal data (guichet.privacy) changes no figure.

Definitions (docs/transparency.md says them in French):
- waiting now: requests in line without a date (held for a permit check, or waiting);
- wait to the date given: from registration to the appointment day of the request's first date,
  for requests first dated in the window;
- wait to the appointment: from registration to the appointment, for people seen in the window;
- capacity: units that started in the window; used when the person came, no-show when not,
  lost with the reason recorded when nobody was on it;
- a percentile is the nearest rank: p90 is the value 90 % of the people waited at most.
"""

import dataclasses
import datetime
import math
import statistics
import zoneinfo
from collections import Counter

from django.db.models import Min, Q
from django.utils import timezone

from guichet.booking.enums import Channel, EventKind, LossReason, RequestStatus
from guichet.booking.models import Appointment, LostUnit, Request, RequestEvent
from guichet.catalogue.enums import DeadlineKind
from guichet.catalogue.models import Prefecture, Unit

WINDOWS = (30, 365)
WAITING_STATUSES = (RequestStatus.HELD, RequestStatus.WAITING)
# Days from today to a waiting request's deadline: (key, first day, last day).
DEADLINE_BUCKETS = (
    ("overdue", None, -1),
    ("within_30_days", 0, 30),
    ("within_90_days", 31, 90),
    ("within_180_days", 91, 180),
    ("later", 181, None),
)
# Channels people use, as the figures name them; the préfecture's own invitations count apart.
CHANNELS = tuple(Channel.values)


def nearest_rank(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def days(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 86400


def summary(values: list[float]) -> dict:
    """How many people, and their median and p90 wait in days (one decimal)."""
    p90 = nearest_rank(values, 0.9)
    return {
        "count": len(values),
        "median_days": round(statistics.median(values), 1) if values else None,
        "p90_days": round(p90, 1) if p90 is not None else None,
    }


def local_day(moment: datetime.datetime, time_zone: str) -> datetime.date:
    """The day at the préfecture: a deadline is a day there, not in UTC."""
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


@dataclasses.dataclass(frozen=True)
class Scope:
    """The préfecture and service the figures are about; None for all of them."""

    prefecture_id: int | None = None
    service_id: int | None = None

    def filters(self, prefecture_field: str, service_field: str) -> dict:
        """The scope as queryset filters, under the given field names."""
        filters = {}
        if self.prefecture_id:
            filters[prefecture_field] = self.prefecture_id
        if self.service_id:
            filters[service_field] = self.service_id
        return filters

    def requests(self):
        return Request.objects.filter(**self.filters("prefecture_id", "service_id"))

    def today(self, now) -> datetime.date:
        """Today at the préfecture; in Paris for the national figures."""
        if self.prefecture_id:
            return timezone.localdate(now, Prefecture.objects.get(pk=self.prefecture_id).tz)
        return timezone.localdate(now)

    def units(self):
        return Unit.objects.filter(**self.filters("service__prefecture_id", "service_id"))


def waiting_now(scope: Scope, today: datetime.date) -> dict:
    deadlines = (
        scope.requests().filter(status__in=WAITING_STATUSES).values_list("deadline", flat=True)
    )
    buckets: Counter[str] = Counter()
    for deadline in deadlines:
        ahead = (deadline - today).days
        for key, first, last in DEADLINE_BUCKETS:
            if (first is None or ahead >= first) and (last is None or ahead <= last):
                buckets[key] += 1
                break
    return {
        "count": sum(buckets.values()),
        "deadlines": {key: buckets[key] for key, _first, _last in DEADLINE_BUCKETS},
    }


def first_dates(scope: Scope, since, until) -> list[dict]:
    """Each request first dated in [since, until): when, the day it was given, and its facts."""
    requests = scope.requests().annotate(
        first_dated_at=Min("events__at", filter=Q(events__kind=EventKind.DATED))
    )
    dated = {
        row["pk"]: row
        for row in requests.filter(first_dated_at__gte=since, first_dated_at__lt=until).values(
            "pk",
            "registered_at",
            "deadline",
            "channel",
            "first_dated_at",
            "service__deadline_kind",
            "prefecture__time_zone",
        )
    }
    # The first « dated » line of each says which day it gave.
    for event in RequestEvent.objects.filter(request_id__in=dated, kind=EventKind.DATED).order_by(
        "at", "id"
    ):
        row = dated[event.request_id]
        row.setdefault("starts_at", datetime.datetime.fromisoformat(event.detail["starts_at"]))
    return list(dated.values())


def seen(scope: Scope, since, until):
    """Appointments that took place in [since, until), the person came or not."""
    return Appointment.objects.filter(
        request__in=scope.requests(),
        unit__starts_at__gte=since,
        unit__starts_at__lt=until,
        request__status__in=(RequestStatus.ATTENDED, RequestStatus.NO_SHOW),
    ).values(
        "request__status",
        "request__registered_at",
        "request__deadline",
        "request__service__deadline_kind",
        "unit__starts_at",
        "request__prefecture__time_zone",
    )


def window_figures(scope: Scope, now, window: int) -> dict:
    since = now - datetime.timedelta(days=window)
    dated = first_dates(scope, since, now)
    given_waits = [days(row["starts_at"] - row["registered_at"]) for row in dated]
    renewals_dated = [row for row in dated if row["service__deadline_kind"] != DeadlineKind.NONE]
    before_expiry = sum(
        1
        for row in renewals_dated
        if local_day(row["starts_at"], row["prefecture__time_zone"]) <= row["deadline"]
    )

    appointments = list(seen(scope, since, now))
    attended = [a for a in appointments if a["request__status"] == RequestStatus.ATTENDED]
    no_show = len(appointments) - len(attended)
    renewals_seen = [
        a for a in attended if a["request__service__deadline_kind"] != DeadlineKind.NONE
    ]
    seen_late = sum(
        1
        for a in renewals_seen
        if local_day(a["unit__starts_at"], a["request__prefecture__time_zone"])
        > a["request__deadline"]
    )

    units = scope.units().filter(starts_at__gte=since, starts_at__lt=now)
    lost = Counter(LostUnit.objects.filter(unit__in=units).values_list("reason", flat=True))
    return {
        "window_days": window,
        "wait_to_date_given": summary(given_waits),
        "wait_to_appointment": summary(
            [days(a["unit__starts_at"] - a["request__registered_at"]) for a in attended]
        ),
        "renewals": {
            "dated": len(renewals_dated),
            "dated_before_expiry": before_expiry,
            "share_dated_before_expiry": share(before_expiry, len(renewals_dated)),
            "seen": len(renewals_seen),
            "seen_after_expiry": seen_late,
            "share_seen_after_expiry": share(seen_late, len(renewals_seen)),
        },
        "capacity": {
            "opened": units.count(),
            "used": len(attended),
            "no_show": no_show,
            "lost": {reason: lost[reason] for reason in LossReason.values},
        },
        "no_show_rate": share(no_show, len(appointments)),
        "by_channel": {
            channel: summary(
                [
                    days(row["starts_at"] - row["registered_at"])
                    for row in dated
                    if row["channel"] == channel
                ]
            )
            for channel in CHANNELS
        },
    }


def queue_figures(scope: Scope, now=None) -> dict:
    """Every published figure for one scope, as of `now`: the page and the open data show it."""
    now = now or timezone.now()
    return {
        "waiting": waiting_now(scope, scope.today(now)),
        "windows": {str(window): window_figures(scope, now, window) for window in WINDOWS},
    }
