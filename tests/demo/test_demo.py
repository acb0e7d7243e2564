"""`guichet demo`: three préfectures filled through the booking rules, and nothing twice."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command

from guichet.booking.enums import EventKind, RequestStatus
from guichet.booking.models import Request
from guichet.catalogue.enums import DeadlineKind, ServiceKind, SiteKind
from guichet.catalogue.models import Closure, Prefecture, Service, Site, Unit
from guichet.observatory.evidence import verify_chain
from guichet.observatory.models import Check, Target
from tests.factories import make_prefecture

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONDAY_MORNING = datetime.datetime(2026, 3, 2, 8, tzinfo=PARIS)
PER_PREFECTURE = 60

pytestmark = pytest.mark.django_db


def seed_demo(weeks=1, observatory_weeks=0) -> str:
    """Run the command small and fast: 60 requests per préfecture, a week of capacity.

    A week is short of naturalisation desks in the Hérault (Tuesdays only, inside the two-day
    lead time), so some requests must wait.
    """
    out = io.StringIO()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        call_command(
            "demo",
            requests_per_prefecture=PER_PREFECTURE,
            weeks=weeks,
            observatory_weeks=observatory_weeks,
            stdout=out,
        )
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows in every table of Guichet's own apps."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("guichet.")
    }


def local_day(unit: Unit) -> datetime.date:
    return unit.starts_at.astimezone(PARIS).date()


def test_three_prefectures_with_their_sites_services_and_capacity():
    seed_demo()

    assert dict(Prefecture.objects.values_list("department_code", "name")) == {
        "34": "Hérault",
        "91": "Essonne",
        "94": "Val-de-Marne",
    }
    for prefecture in Prefecture.objects.all():
        kinds = set(prefecture.services.values_list("kind", flat=True))
        assert kinds == set(ServiceKind)
        assert prefecture.sites.filter(kind=SiteKind.PREFECTURE).count() == 1
        assert prefecture.sites.filter(kind=SiteKind.SOUS_PREFECTURE).count() == 2
        for site in prefecture.sites.all():
            assert site.address
            assert site.units.exists(), site.name
    assert Site.objects.get(kind=SiteKind.UNIVERSITY).prefecture.department_code == "34"
    for service in Service.objects.all():
        assert len(service.document_list) >= 3
        renewal = service.kind in (ServiceKind.RENEWAL, ServiceKind.RESIDENT_CARD_RENEWAL)
        assert service.needs_permit_number == renewal
        assert service.has_legal_deadline == (renewal or service.kind == ServiceKind.RECEIPT_PICKUP)


def test_not_every_site_offers_every_service():
    seed_demo()

    naturalisation_sites = Site.objects.filter(units__service__kind=ServiceKind.NATURALISATION)
    assert set(naturalisation_sites.values_list("kind", flat=True)) == {SiteKind.PREFECTURE}
    university = Unit.objects.filter(site__kind=SiteKind.UNIVERSITY)
    assert set(university.values_list("service__kind", flat=True)) == {
        ServiceKind.FIRST_PERMIT,
        ServiceKind.RENEWAL,
    }
    assert {local_day(unit).weekday() for unit in university} == {1, 3}  # Tuesday, Thursday


def test_closures_keep_their_days_free_of_units():
    seed_demo(weeks=6)

    closures = Closure.objects.all()
    assert closures.count() == 3
    assert closures.filter(site=None).exists()
    week = datetime.timedelta(weeks=1)
    for closure in closures:
        units = Unit.objects.filter(site__prefecture=closure.prefecture)
        if closure.site is not None:
            units = units.filter(site=closure.site)
        days = {local_day(unit) for unit in units}
        assert not {day for day in days if closure.starts_on <= day <= closure.ends_on}
        assert {day for day in days if closure.starts_on - week <= day <= closure.ends_on - week}


def test_demand_is_registered_and_dated_through_the_booking_rules():
    seed_demo()

    requests = Request.objects.all()
    assert requests.count() == 3 * PER_PREFECTURE
    assert set(requests.values_list("status", flat=True)) == {
        RequestStatus.DATED,
        RequestStatus.WAITING,
    }
    assert requests.filter(status=RequestStatus.DATED).count() > requests.count() // 2
    today = MONDAY_MORNING.date()
    for request in requests.prefetch_related("sites", "events").select_related("service"):
        assert EventKind.REGISTERED in {event.kind for event in request.events.all()}
        assert request.email.endswith("@example.org")
        sites = set(request.sites.all())
        assert sites and all(site.units.filter(service=request.service).exists() for site in sites)
        if request.service.deadline_kind == DeadlineKind.PERMIT_EXPIRY:
            assert len(request.permit_number) == 10 and request.permit_number.isdigit()
            assert 60 <= (request.permit_expires_on - today).days <= 120
            assert request.deadline == request.permit_expires_on
        if request.status == RequestStatus.DATED:
            unit = request.appointment.unit
            assert unit.service_id == request.service_id and unit.site in sites


def test_the_summary_tells_what_was_seeded():
    out = seed_demo()

    for code, name in (("34", "Hérault"), ("94", "Val-de-Marne"), ("91", "Essonne")):
        prefecture = Prefecture.objects.get(department_code=code)
        waiting = prefecture.requests.filter(status=RequestStatus.WAITING).count()
        dated = prefecture.requests.filter(status=RequestStatus.DATED).count()
        units = Unit.objects.filter(site__prefecture=prefecture).count()
        assert (
            f"{code} {name}: {units} units opened, {PER_PREFECTURE} requests registered, "
            f"{dated} dated, {waiting} waiting"
        ) in out


def test_seeding_again_creates_nothing_and_says_so():
    seed_demo()
    before = row_counts()

    out = seed_demo()

    assert row_counts() == before
    assert "nothing created" in out


def test_an_existing_prefecture_is_left_alone():
    make_prefecture(code="94", name="Val-de-Marne")

    seed_demo()

    assert set(Prefecture.objects.values_list("department_code", flat=True)) == {"34", "91", "94"}
    untouched = Prefecture.objects.get(department_code="94")
    assert not untouched.sites.exists() and not untouched.requests.exists()
    assert Request.objects.count() == 2 * PER_PREFECTURE


def test_the_observatory_shows_a_week_of_the_robot_against_the_local_stand_in():
    seed_demo(observatory_weeks=1)
    checks = Check.objects.select_related("target")
    # About twelve checks a day per target, two targets, one simulated week.
    assert 2 * 7 * 10 <= checks.count() <= 2 * 7 * 14
    assert {check.target.prefecture for check in checks} == {"Préfecture fictive (démonstration)"}
    assert {check.target.url.split("/")[2].split(":")[0] for check in checks} == {"127.0.0.1"}
    assert verify_chain() is None
    assert not Target.objects.filter(enabled=True).exists()


def test_the_demo_refuses_a_production_database(settings):
    """Its accounts' password and TOTP secret are published: never on a real deployment."""
    settings.DEBUG = False
    settings.SECRET_KEY = "a-real-secret-of-a-real-deployment-0123456789abcdef"

    with pytest.raises(CommandError, match="Refusing to seed the demo in production"):
        call_command("demo", requests_per_prefecture=1, weeks=1, observatory_weeks=0)

    assert not Prefecture.objects.exists()


def test_the_queue_in_the_open_shows_each_demo_prefecture(client):
    """What `make run` shows at /file-attente/: the due work's daily snapshot of each préfecture,
    its people waiting as the requests say, with charts."""
    from selectolax.lexbor import LexborHTMLParser

    from guichet.duework.jobs import run_due_work

    seed_demo()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        run_due_work()
        html = client.get("/file-attente/").content.decode()
    rows = {
        row.css_first("th").text(strip=True): row.css_first("td").text(strip=True)
        for table in LexborHTMLParser(html).css("table")
        if table.css_first("caption").text().startswith("Chiffres par préfecture")
        for row in table.css("tbody tr")
    }
    waiting = {
        f"{p.name} ({p.department_code})": p.requests.filter(
            status__in=(RequestStatus.HELD, RequestStatus.WAITING)
        ).count()
        for p in Prefecture.objects.all()
    }
    assert set(rows) == set(waiting) and len(rows) == 3
    for name, count in waiting.items():
        assert rows[name] == (str(count) if count == 0 or count >= 5 else "moins de 5")
    assert "Chiffres calculés le 2 mars 2026" in html
    assert html.count("<svg") >= 2
