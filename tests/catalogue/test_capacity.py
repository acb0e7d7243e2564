"""Opening rules become bookable units: desks × slots, never on holidays or closures."""

import datetime
import zoneinfo

import pytest
import time_machine

from guichet.catalogue.capacity import open_capacity
from guichet.catalogue.enums import SiteKind
from guichet.catalogue.models import Closure, Unit
from guichet.duework.jobs import run_due_work
from tests.factories import make_opening_rule, make_prefecture, make_service, make_site

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
REUNION = zoneinfo.ZoneInfo("Indian/Reunion")
WEEKDAYS = range(5)

pytestmark = pytest.mark.django_db


def frozen_at(day: datetime.date, tz=PARIS):
    """Stop the clock at 07:00 on `day` in the préfecture's zone, before any desk opens."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(7), tz), tick=False)


def desk_hours(code="94", time_zone="Europe/Paris", weekdays=WEEKDAYS, sites=("Préfecture",)):
    """A préfecture whose sites each open one 09:00–10:00 desk for first permits on `weekdays`."""
    prefecture = make_prefecture(code=code, name=f"Département {code}", time_zone=time_zone)
    service = make_service(prefecture)
    for name in sites:
        site = make_site(prefecture, name=name, kind=SiteKind.SOUS_PREFECTURE)
        for weekday in weekdays:
            make_opening_rule(site, service, weekday, desks=1, closes="10:00", slot=60)
    return prefecture


def open_days(prefecture, site=None) -> set[datetime.date]:
    units = Unit.objects.filter(site__prefecture=prefecture)
    if site is not None:
        units = units.filter(site=site)
    return {unit.starts_at.astimezone(prefecture.tz).date() for unit in units}


def test_a_rule_opens_one_unit_per_desk_and_whole_slot_on_its_weekday():
    prefecture = make_prefecture()
    site = make_site(prefecture)
    service = make_service(prefecture)
    # Wednesdays, 3 desks, 09:00–10:50 in 20-minute slots: 5 whole slots, the last ends 10:40.
    make_opening_rule(site, service, weekday=2, desks=3, opens="09:00", closes="10:50", slot=20)

    with frozen_at(datetime.date(2025, 11, 3)):  # a Monday
        created = open_capacity(prefecture, weeks=1)

    units = list(Unit.objects.all())
    assert created == len(units) == 3 * 5
    wednesday_nine = datetime.datetime(2025, 11, 5, 9, tzinfo=PARIS)
    starts = [wednesday_nine + datetime.timedelta(minutes=20 * n) for n in range(5)]
    assert sorted((unit.starts_at, unit.desk) for unit in units) == [
        (start, desk) for start in starts for desk in (1, 2, 3)
    ]
    assert all(unit.ends_at - unit.starts_at == datetime.timedelta(minutes=20) for unit in units)
    assert {(unit.site_id, unit.service_id) for unit in units} == {(site.pk, service.pk)}


def test_only_the_prefectures_own_rules_are_opened():
    ours = desk_hours(code="94")
    theirs = desk_hours(code="91")

    with frozen_at(datetime.date(2025, 11, 3)):
        open_capacity(ours, weeks=1)

    assert open_days(ours)
    assert not open_days(theirs)


def test_no_units_on_a_mainland_public_holiday():
    prefecture = desk_hours(weekdays=[1])  # Tuesdays

    with frozen_at(datetime.date(2025, 11, 3)):
        open_capacity(prefecture, weeks=2)

    # 11 November (Armistice) is a Tuesday in 2025.
    assert open_days(prefecture) == {datetime.date(2025, 11, 4)}


@pytest.mark.parametrize(
    ("code", "closed"),
    [("67", True), ("68", True), ("57", True), ("94", False)],
    ids=["bas-rhin", "haut-rhin", "moselle", "val-de-marne"],
)
def test_alsace_moselle_closes_on_saint_stephen_and_good_friday(code, closed):
    prefecture = desk_hours(code=code)
    saint_stephen = datetime.date(2025, 12, 26)  # a Friday
    good_friday = datetime.date(2026, 4, 3)

    with frozen_at(datetime.date(2025, 12, 22)):
        open_capacity(prefecture)

    days = open_days(prefecture)
    assert datetime.date(2025, 12, 25) not in days
    assert datetime.date(2025, 12, 24) in days
    assert (saint_stephen in days) is not closed
    assert (good_friday in days) is not closed


def test_la_reunion_closes_on_abolition_day_and_opens_on_its_own_clock():
    reunion = desk_hours(code="974", time_zone="Indian/Reunion")
    mainland = desk_hours(code="94")
    abolition_day = datetime.date(2027, 12, 20)  # a Monday

    with frozen_at(datetime.date(2027, 12, 13), tz=REUNION):
        open_capacity(reunion, weeks=2)
        open_capacity(mainland, weeks=2)

    assert abolition_day not in open_days(reunion)
    assert abolition_day in open_days(mainland)
    unit = Unit.objects.filter(site__prefecture=reunion).earliest("starts_at")
    assert unit.starts_at == datetime.datetime(2027, 12, 13, 9, tzinfo=REUNION)
    assert unit.starts_at.astimezone(datetime.UTC).time() == datetime.time(5)


def test_today_is_the_prefectures_own_date():
    """At 22:00 UTC on Sunday it is already Monday in La Réunion, still Sunday in Paris."""
    reunion = desk_hours(code="974", time_zone="Indian/Reunion", weekdays=[0])
    sunday_night_utc = datetime.datetime(2027, 12, 5, 22, tzinfo=datetime.UTC)

    with time_machine.travel(sunday_night_utc, tick=False):
        open_capacity(reunion, weeks=1)

    # One week from Réunion's Monday 6 reaches Monday 13; from Paris's Sunday 5 it would not.
    assert open_days(reunion) == {datetime.date(2027, 12, 6), datetime.date(2027, 12, 13)}


def test_closures_close_the_whole_prefecture_or_one_site():
    prefecture = desk_hours(sites=("Créteil", "Nogent-sur-Marne"))
    creteil, nogent = prefecture.sites.order_by("name")
    strike = datetime.date(2025, 11, 5)
    works_from, works_until = datetime.date(2025, 11, 12), datetime.date(2025, 11, 14)
    Closure.objects.create(prefecture=prefecture, starts_on=strike, ends_on=strike, reason="Grève")
    Closure.objects.create(
        prefecture=prefecture,
        site=nogent,
        starts_on=works_from,
        ends_on=works_until,
        reason="Travaux",
    )

    with frozen_at(datetime.date(2025, 11, 3)):
        open_capacity(prefecture, weeks=2)

    works = {works_from + datetime.timedelta(days=n) for n in range(3)}
    assert strike not in open_days(prefecture)
    assert works.isdisjoint(open_days(prefecture, nogent))
    assert works <= open_days(prefecture, creteil)
    assert datetime.date(2025, 11, 10) in open_days(prefecture, nogent)


def test_a_rule_applies_only_between_its_validity_dates():
    prefecture = make_prefecture()
    site = make_site(prefecture)
    service = make_service(prefecture)
    rule = make_opening_rule(site, service, weekday=0, desks=1, closes="10:00", slot=60)
    rule.valid_from = datetime.date(2025, 11, 10)
    rule.valid_until = datetime.date(2025, 11, 24)
    rule.save()

    with frozen_at(datetime.date(2025, 11, 3)):
        open_capacity(prefecture, weeks=6)

    assert open_days(prefecture) == {
        datetime.date(2025, 11, 10),
        datetime.date(2025, 11, 17),
        datetime.date(2025, 11, 24),
    }


def test_opening_again_keeps_existing_units_and_adds_only_new_days():
    prefecture = desk_hours(weekdays=[0])
    with frozen_at(datetime.date(2025, 11, 3)):
        first = open_capacity(prefecture, weeks=2)
        ids_before = set(Unit.objects.values_list("pk", flat=True))
        again = open_capacity(prefecture, weeks=2)

    assert (first, again) == (3, 0)  # Mondays 3, 10 and 17 November
    assert set(Unit.objects.values_list("pk", flat=True)) == ids_before

    with frozen_at(datetime.date(2025, 11, 10)):
        week_later = open_capacity(prefecture, weeks=2)

    assert week_later == 1  # Monday 24 November entered the horizon
    assert ids_before < set(Unit.objects.values_list("pk", flat=True))


def test_units_stop_at_the_horizon():
    prefecture = desk_hours(code="91")
    prefecture.horizon_weeks = 4
    prefecture.save()
    today = datetime.date(2025, 11, 17)  # a Monday; no holiday in the next five weeks

    with frozen_at(today):
        open_capacity(prefecture)

    days = open_days(prefecture)
    assert min(days) == today
    assert max(days) == today + datetime.timedelta(weeks=4)
    assert len(days) == 4 * 5 + 1


def test_the_horizon_rolls_forward_once_a_day_in_the_due_work():
    prefecture = make_prefecture(horizon_weeks=1)
    site = make_site(prefecture)
    service = make_service(prefecture)
    for weekday in range(5):
        make_opening_rule(site, service, weekday=weekday, desks=1, slot=60)
    monday = datetime.datetime(2026, 11, 23, 7, 0, tzinfo=datetime.UTC)

    with time_machine.travel(monday, tick=False):
        run_due_work(monday)
        first = Unit.objects.count()
        run_due_work(monday + datetime.timedelta(hours=3))
        assert Unit.objects.count() == first  # once a day
    tuesday = monday + datetime.timedelta(days=1)
    with time_machine.travel(tuesday, tick=False):
        run_due_work(tuesday)
    # Tuesday 1 December entered the one-week horizon: its three morning hours are open.
    assert Unit.objects.count() == first + 3
    assert Unit.objects.filter(starts_at__date=datetime.date(2026, 12, 1)).count() == 3
