"""Password guessing: ten wrong passwords lock an account for a quarter of an hour, thirty lock
an address; while locked even the right password is refused, and a French message says to wait."""

import datetime

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests import factories
from tests.factories import PASSWORD
from tests.marks import counting_at

NOW = datetime.datetime(2026, 3, 2, 9, 0, 10, tzinfo=datetime.UTC)
LOCKED = "Trop de tentatives de connexion"

pytestmark = counting_at(NOW)


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # A fast hasher: these tests type dozens of passwords; the limits are the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agent():
    return factories.make_agent(factories.make_prefecture("94"), username="agent.durand")


def log_in(client, username, password=PASSWORD, address="203.0.113.7"):
    response = client.post(
        "/agent/connexion/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    alert = LexborHTMLParser(response.content).css_first(".fr-alert")
    return response, " ".join(alert.text().split()) if alert else ""


@pytest.mark.parametrize(("wrong", "locked"), [(9, False), (10, True)])
def test_ten_wrong_passwords_lock_the_account(client, agent, wrong, locked):
    for n in range(wrong):
        log_in(client, "agent.durand", password=f"pas-le-bon-{n}", address=f"198.51.100.{n}")

    response, alert = log_in(client, "agent.durand")

    if locked:
        assert response.status_code == 200
        assert LOCKED in alert and "Réessayez dans 15 minutes" in alert
        assert "_auth_user_id" not in client.session
    else:
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(agent.pk)


def test_the_lock_ends_after_fifteen_minutes(client, agent, clock):
    for n in range(10):
        log_in(client, "agent.durand", password=f"pas-le-bon-{n}")
    clock.shift(datetime.timedelta(minutes=14))
    _, alert = log_in(client, "agent.durand")
    assert "Réessayez dans 1 minute" in alert

    clock.shift(datetime.timedelta(minutes=1))
    response, _ = log_in(client, "agent.durand")

    assert response.status_code == 302


def test_thirty_wrong_passwords_from_one_address_lock_it_for_every_account(client, agent):
    for n in range(30):
        log_in(client, f"inconnu.{n}", password="devine")

    _, from_there = log_in(client, "agent.durand")
    elsewhere, _ = log_in(client, "agent.durand", address="198.51.100.1")

    assert LOCKED in from_there
    assert elsewhere.status_code == 302


def test_right_passwords_from_one_office_never_lock_it(client, agent):
    for _ in range(31):
        response, _ = log_in(client, "agent.durand")
        assert response.status_code == 302
        client.post("/agent/deconnexion/")
