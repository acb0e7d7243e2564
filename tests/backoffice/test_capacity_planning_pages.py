"""Capacity planning pages: agents view, managers preview then apply, other préfectures refused."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import RequestStatus
from guichet.booking.models import Request
from guichet.booking.services import allocate_prefecture
from guichet.catalogue.models import Closure, OpeningRule, Prefecture, Unit
from tests import factories
from tests.backoffice.test_capacity_planning import mondays_at_one_desk
from tests.factories import NOW

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, 11:00 in Paris.


@pytest.fixture
def prefecture():
    """Mondays 9:00-9:40 at one desk, 4 weeks ahead; 10 people: 8 dated, 2 waiting."""
    with time_machine.travel(NOW, tick=False):
        prefecture, site, service = mondays_at_one_desk()
        for n in range(10):
            factories.register_at_counter(service, site, n)
        allocate_prefecture(prefecture, seed=1)
        yield prefecture


def logged_in(client, prefecture, role):
    return factories.log_in_agent(client, factories.make_agent(prefecture, role=role))


def session_data(prefecture, **extra):
    return {
        "site": prefecture.sites.get().pk,
        "service": prefecture.services.get().pk,
        "day": "2026-11-28",
        "opens_at": "09:00",
        "closes_at": "12:00",
        "desks": "2",
        "slot_minutes": "20",
        **extra,
    }


def url(name, prefecture):
    return f"{reverse(name)}?prefecture={prefecture.pk}"


def test_an_agent_sees_the_rules_but_no_way_to_change_them(client, prefecture):
    logged_in(client, prefecture, "agent")

    page = client.get(url("backoffice:planning", prefecture))

    assert page.status_code == 200
    assert "Chaque lundi" in page.text
    assert reverse("backoffice:planning_session") not in page.text
    refused = client.post(url("backoffice:planning_session", prefecture), session_data(prefecture))
    assert refused.status_code == 403
    assert OpeningRule.objects.count() == 1


def test_an_agent_of_another_prefecture_is_refused(client, prefecture):
    other = factories.make_prefecture("34", "Hérault")
    logged_in(client, other, "manager")

    assert client.get(url("backoffice:planning", prefecture)).status_code == 403
    applied = client.post(
        url("backoffice:planning_session", prefecture), {**session_data(prefecture), "apply": ""}
    )
    assert applied.status_code == 403
    assert OpeningRule.objects.count() == 1


def test_a_manager_sees_the_effect_then_applies_the_saturday_session(client, prefecture):
    logged_in(client, prefecture, "manager")
    waiting = Request.objects.filter(status=RequestStatus.WAITING).count()
    units = Unit.objects.count()

    preview = client.post(url("backoffice:planning_session", prefecture), session_data(prefecture))

    assert preview.status_code == 200
    assert OpeningRule.objects.count() == 1
    assert "Ce changement ouvre 18 créneaux." in preview.text
    assert f"Avec ce changement, {waiting} demandes de plus recevraient une date." in preview.text
    previewed = re.search(r'name="previewed" value="(\w+)"', preview.text).group(1)

    done = client.post(
        url("backoffice:planning_session", prefecture),
        {**session_data(prefecture), "previewed": previewed, "apply": ""},
        follow=True,
    )

    assert done.redirect_chain[-1][0] == url("backoffice:planning", prefecture)
    assert f"{waiting} demandes datées" in done.text
    assert "Séance exceptionnelle le samedi 28 novembre 2026" in done.text
    assert Unit.objects.count() == units + 18
    assert not Request.objects.filter(status=RequestStatus.WAITING).exists()
    assert JournalEntry.objects.filter(action="capacity_rule_added").count() == 1


def test_values_changed_after_the_preview_are_not_applied(client, prefecture):
    logged_in(client, prefecture, "manager")
    preview = client.post(url("backoffice:planning_session", prefecture), session_data(prefecture))
    previewed = re.search(r'name="previewed" value="(\w+)"', preview.text).group(1)

    page = client.post(
        url("backoffice:planning_session", prefecture),
        {**session_data(prefecture, desks="9"), "previewed": previewed, "apply": ""},
    )

    assert "Les valeurs ont changé" in page.text
    assert "Ce changement ouvre 81 créneaux." in page.text
    assert OpeningRule.objects.count() == 1


def test_a_closure_over_appointments_shows_them_and_needs_them_kept(client, prefecture):
    logged_in(client, prefecture, "manager")
    data = {"starts_on": "2026-11-30", "ends_on": "2026-11-30", "reason": "Grève"}
    preview = client.post(url("backoffice:planning_closure", prefecture), data)
    previewed = re.search(r'name="previewed" value="(\w+)"', preview.text).group(1)
    holders = Request.objects.filter(appointment__unit__starts_at__date=datetime.date(2026, 11, 30))

    assert "2 rendez-vous tombent pendant cette fermeture" in preview.text
    assert all(holder.number in preview.text for holder in holders)

    refused = client.post(
        url("backoffice:planning_closure", prefecture),
        {**data, "previewed": previewed, "apply": ""},
    )
    assert "cochez la case" in refused.text
    assert not Closure.objects.exists()

    client.post(
        url("backoffice:planning_closure", prefecture),
        {**data, "previewed": previewed, "apply": "", "keep_appointments": "on"},
    )
    assert Closure.objects.get().site is None
    assert all(holder.appointment for holder in holders)


def test_a_session_on_a_public_holiday_or_beyond_the_horizon_is_refused(client, prefecture):
    logged_in(client, prefecture, "manager")
    Prefecture.objects.filter(pk=prefecture.pk).update(horizon_weeks=6)

    christmas = client.post(
        url("backoffice:planning_session", prefecture), session_data(prefecture, day="2026-12-25")
    )
    far = client.post(
        url("backoffice:planning_session", prefecture), session_data(prefecture, day="2027-06-05")
    )

    assert "Ce jour est férié" in christmas.text
    assert "horizon d&#x27;ouverture" in far.text
    assert 'aria-describedby="id_day-error"' in far.text
