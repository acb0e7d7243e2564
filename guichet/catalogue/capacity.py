"""Turn opening rules into bookable units, skipping public holidays and closures."""

import datetime

import holidays
from django.db import transaction
from django.utils import timezone

from .models import Closure, OpeningRule, Prefecture, Unit


def public_holidays(prefecture: Prefecture, start: datetime.date, end: datetime.date) -> set:
    """Public holidays of the préfecture's own subdivision (Alsace-Moselle, overseas)."""
    years = range(start.year, end.year + 1)
    return set(holidays.France(subdiv=prefecture.holiday_subdivision, years=years))


def closed_days(prefecture: Prefecture, start: datetime.date, end: datetime.date) -> dict:
    """site id (None for the whole préfecture) -> the days it is closed."""
    closed: dict = {}
    for closure in Closure.objects.filter(
        prefecture=prefecture, starts_on__lte=end, ends_on__gte=start
    ):
        day = max(closure.starts_on, start)
        while day <= min(closure.ends_on, end):
            closed.setdefault(closure.site_id, set()).add(day)
            day += datetime.timedelta(days=1)
    return closed


def open_units(prefecture: Prefecture, start: datetime.date, end: datetime.date):
    """Yield (site, service, starts_at, ends_at, desk) for each seat the rules open."""
    tz = prefecture.tz
    holiday_days = public_holidays(prefecture, start, end)
    closed = closed_days(prefecture, start, end)
    rules = list(
        OpeningRule.objects.filter(site__prefecture=prefecture).select_related("site", "service")
    )
    day = start
    while day <= end:
        if day not in holiday_days and day not in closed.get(None, ()):
            for rule in rules:
                if not rule.applies_on(day) or day in closed.get(rule.site_id, ()):
                    continue
                slot = datetime.timedelta(minutes=rule.slot_minutes)
                begins = datetime.datetime.combine(day, rule.opens_at, tzinfo=tz)
                closes = datetime.datetime.combine(day, rule.closes_at, tzinfo=tz)
                while begins + slot <= closes:
                    for desk in range(1, rule.desks + 1):
                        yield rule.site_id, rule.service_id, begins, begins + slot, desk
                    begins += slot
        day += datetime.timedelta(days=1)


def open_capacity(prefecture: Prefecture, weeks: int | None = None, now=None) -> int:
    """Materialise units from today up to the horizon, keeping existing ones; returns how many."""
    today = timezone.localdate(now or timezone.now(), prefecture.tz)
    end = today + datetime.timedelta(weeks=weeks or prefecture.horizon_weeks)
    new_units = [
        Unit(site_id=site, service_id=service, starts_at=starts, ends_at=ends, desk=desk)
        for site, service, starts, ends, desk in open_units(prefecture, today, end)
    ]
    with transaction.atomic():
        before = Unit.objects.filter(site__prefecture=prefecture).count()
        Unit.objects.bulk_create(new_units, batch_size=2000, ignore_conflicts=True)
        return Unit.objects.filter(site__prefecture=prefecture).count() - before


def roll_horizon(now=None) -> int:
    """Once a day per préfecture, open the days that entered its horizon; returns new units."""
    now = now or timezone.now()
    opened = 0
    for prefecture in Prefecture.objects.all():
        today = timezone.localdate(now, prefecture.tz)
        if prefecture.capacity_opened_on == today:
            continue
        opened += open_capacity(prefecture, now=now)
        Prefecture.objects.filter(pk=prefecture.pk).update(capacity_opened_on=today)
    return opened
