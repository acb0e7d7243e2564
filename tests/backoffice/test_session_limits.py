"""Agents' and members' sessions end after 30 minutes without a request and 10 hours after login,
and the login page says which; an applicant's unfinished request (no login) is not cut short."""

import datetime

import pyotp
import pytest
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser

from guichet.catalogue.enums import ServiceKind
from tests import factories
from tests.factories import PASSWORD
from tests.marks import counting_at

MORNING = datetime.datetime(2026, 3, 2, 7, 0, tzinfo=datetime.UTC)  # 08:00 in Paris

pytestmark = counting_at(MORNING)


def log_in(client, user):
    """Password, then the code, as at the desk."""
    client.post("/agent/connexion/", {"username": user.username, "password": PASSWORD})
    code = pyotp.TOTP(user.second_factor.secret).now()
    response = client.post("/agent/connexion/code/", {"code": code})
    assert response.status_code == 302, response.content.decode()[:500]


def alerts(response) -> str:
    page = LexborHTMLParser(response.content)
    return " ".join(" ".join(node.text().split()) for node in page.css(".fr-alert"))


@pytest.fixture
def agent(world):
    prefecture, _, _ = world
    return factories.make_agent(prefecture, username="agent.durand")


def test_thirty_minutes_without_a_request_end_the_session(client, agent, clock):
    log_in(client, agent)
    clock.shift(datetime.timedelta(minutes=29))
    assert client.get("/agent/").status_code == 200  # 29 minutes: still there

    clock.shift(datetime.timedelta(minutes=31))
    response = client.get("/agent/journal/", follow=True)

    assert response.redirect_chain[-1][0] == "/agent/connexion/?next=/agent/journal/"
    assert "Votre session a pris fin après 30 minutes sans activité" in alerts(response)
    assert "_auth_user_id" not in client.session
    # The message is said once; the login page always says the limits.
    again = client.get("/agent/connexion/")
    assert "sans activité" not in alerts(again)
    assert "30 minutes sans activité et 10 heures après la connexion" in again.content.decode()


def test_a_working_day_ends_the_session_however_active(client, agent, clock):
    log_in(client, agent)
    for _ in range(30):  # a request every 20 minutes: 08:00 to 18:00
        clock.shift(datetime.timedelta(minutes=20))
        assert client.get("/agent/").status_code == 200

    clock.shift(datetime.timedelta(minutes=1))
    response = client.get("/agent/", follow=True)

    assert response.redirect_chain[-1][0] == "/agent/connexion/?next=/agent/"
    assert "Votre session a pris fin 10 heures après votre connexion" in alerts(response)


def test_the_session_cookie_does_not_outlive_the_day(client, agent):
    log_in(client, agent)

    cookie = client.cookies["sessionid"]
    assert cookie["max-age"] <= 10.5 * 3600  # Django's default is two weeks


def test_a_member_of_an_association_is_logged_out_alike(client, world, clock):
    prefecture, _, _ = world
    member = factories.make_member(factories.make_organisation(prefecture), username="asso.94")
    log_in(client, member)
    assert client.get("/association/").status_code == 200

    clock.shift(datetime.timedelta(minutes=45))
    response = client.get("/association/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/agent/connexion/")
    assert "30 minutes sans activité" in alerts(response)


def test_an_applicant_filling_in_a_request_is_not_cut_short(client, world, clock):
    prefecture, _, _ = world
    service = factories.make_service(prefecture, ServiceKind.FIRST_PERMIT)
    client.post(reverse("booking:start"), {"prefecture": prefecture.department_code})
    client.post(reverse("booking:step", args=["motif"]), {"service": service.pk})

    clock.shift(datetime.timedelta(hours=2))  # papers to find: two hours on the identity step
    page = client.get(reverse("booking:step", args=["identite"]))

    assert page.status_code == 200
    assert "Étape 3" in page.content.decode()
    assert "session" not in alerts(page)
