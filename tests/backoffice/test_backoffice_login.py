"""Back-office login: password, then a TOTP code from the app, enrolled at the first login."""

import datetime
import io
import re

import pyotp
import pytest
from django.core.management import CommandError, call_command
from selectolax.lexbor import LexborHTMLParser

from guichet.backoffice.access import SECOND_FACTOR_SESSION_KEY
from guichet.backoffice.auth import create_agent, provisioning_uri
from guichet.backoffice.enums import JournalAction
from guichet.backoffice.models import JournalEntry, SecondFactor
from tests import factories
from tests.factories import PASSWORD
from tests.marks import counting_at

NOW = datetime.datetime(2026, 3, 2, 9, 0, 10, tzinfo=datetime.UTC)

pytestmark = counting_at(NOW)


@pytest.fixture
def agent():
    return factories.make_agent(factories.make_prefecture("94"), username="agent.durand")


def page_of(response):
    return LexborHTMLParser(response.content)


def text_of(page, selector):
    return " ".join(" ".join(node.text().split()) for node in page.css(selector))


def log_in(client, username, password=PASSWORD, next_url=None):
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/agent/connexion/", data)


def type_code(client, code, next_url=None):
    query = f"?next={next_url}" if next_url else ""
    return client.post(f"/agent/connexion/code/{query}", {"code": code})


def code_of(user):
    return pyotp.TOTP(SecondFactor.objects.get(user=user).secret).now()


def fully_logged_in(client):
    return client.session.get(SECOND_FACTOR_SESSION_KEY) is True


def test_password_then_code_opens_the_back_office(client, agent):
    response = log_in(client, "agent.durand")

    assert response.status_code == 302
    assert response["Location"].startswith("/agent/connexion/code/")
    assert not fully_logged_in(client)
    assert client.get("/agent/").status_code == 302

    response = type_code(client, code_of(agent))

    assert response["Location"] == "/agent/"
    assert fully_logged_in(client)
    assert client.get("/agent/").status_code == 200
    entry = JournalEntry.objects.get()
    assert (entry.user, entry.action, entry.prefecture.department_code) == (
        agent,
        JournalAction.SIGNED_IN,
        "94",
    )


def test_a_wrong_password_is_refused(client, agent):
    response = log_in(client, "agent.durand", password="pas-le-bon")

    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in text_of(page_of(response), ".fr-alert")
    assert "_auth_user_id" not in client.session


def test_an_account_without_agent_profile_is_refused(client, django_user_model):
    django_user_model.objects.create_user("usager", password=PASSWORD)

    response = log_in(client, "usager")

    assert "n'a accès ni au back-office des agents ni à l'espace des associations" in text_of(
        page_of(response), ".fr-alert"
    )
    assert "_auth_user_id" not in client.session


def test_a_password_only_session_is_sent_to_the_code(client, agent):
    log_in(client, "agent.durand")

    response = client.get("/agent/accueil/?site=1")

    assert response.status_code == 302
    assert response["Location"] == "/agent/connexion/code/?next=%2Fagent%2Faccueil%2F%3Fsite%3D1"


def test_the_first_login_enrols_the_app_with_a_qr_code_and_the_secret(client):
    _, factor = create_agent(
        "agent.neuf", prefecture=factories.make_prefecture("94"), password=PASSWORD
    )
    log_in(client, "agent.neuf")

    page = page_of(client.get("/agent/connexion/code/"))

    assert page.css_first("svg") is not None
    shown = text_of(page, ".backoffice-totp-secret")
    assert shown.replace(" ", "") == factor.secret
    assert all(len(group) == 4 for group in shown.split())
    uri = provisioning_uri(factor)
    assert uri.startswith("otpauth://totp/Guichet:agent.neuf?")
    assert f"secret={factor.secret}" in uri and "issuer=Guichet" in uri
    response = type_code(client, pyotp.TOTP(shown.replace(" ", "")).now())
    assert response["Location"] == "/agent/"
    factor.refresh_from_db()
    assert factor.confirmed_at == NOW
    # Once confirmed, the secret is never shown again.
    client.post("/agent/deconnexion/")
    log_in(client, "agent.neuf")
    page = page_of(client.get("/agent/connexion/code/"))
    assert page.css(".backoffice-totp-secret") == []
    assert page.css("svg") == []


def test_an_agent_without_a_secret_gets_one_at_the_first_login(client, django_user_model):
    from guichet.backoffice.models import Agent

    user = django_user_model.objects.create_user("agent.sans", password=PASSWORD)
    Agent.objects.create(user=user, prefecture=factories.make_prefecture("94"))
    log_in(client, "agent.sans")

    page = page_of(client.get("/agent/connexion/code/"))

    factor = SecondFactor.objects.get(user=user)
    assert factor.confirmed_at is None
    assert text_of(page, ".backoffice-totp-secret").replace(" ", "") == factor.secret


def test_a_wrong_code_is_refused(client, agent):
    log_in(client, "agent.durand")
    good = code_of(agent)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"

    response = type_code(client, wrong)

    assert response.status_code == 200
    page = page_of(response)
    assert "Ce code n'est pas valide." in text_of(page, ".fr-error-text")
    field = page.css_first("input[name=code]")
    assert "id_code-error" in field.attributes["aria-describedby"]
    assert not fully_logged_in(client)


def test_the_previous_codes_are_accepted_for_a_drifting_phone(client, agent):
    log_in(client, "agent.durand")
    previous = pyotp.TOTP(agent.second_factor.secret).at(NOW - datetime.timedelta(seconds=30))

    type_code(client, previous)

    assert fully_logged_in(client)


def test_a_code_already_used_is_refused(client, agent):
    code = code_of(agent)
    log_in(client, "agent.durand")
    type_code(client, code)
    client.post("/agent/deconnexion/")
    log_in(client, "agent.durand")

    response = type_code(client, code)

    assert "Ce code a déjà servi." in text_of(page_of(response), ".fr-error-text")
    assert not fully_logged_in(client)


def test_an_older_code_after_a_newer_one_is_refused(client, agent):
    totp = pyotp.TOTP(agent.second_factor.secret)
    log_in(client, "agent.durand")
    type_code(client, totp.now())
    client.post("/agent/deconnexion/")
    log_in(client, "agent.durand")

    response = type_code(client, totp.at(NOW - datetime.timedelta(seconds=30)))

    assert "Ce code a déjà servi." in text_of(page_of(response), ".fr-error-text")


def test_five_wrong_codes_block_the_account_for_fifteen_minutes(client, agent, clock):
    log_in(client, "agent.durand")
    for _ in range(5):
        type_code(client, "000000" if code_of(agent) != "000000" else "111111")

    response = type_code(client, code_of(agent))

    assert "Trop de codes erronés" in text_of(page_of(response), ".fr-error-text")
    assert "15 minutes" in text_of(page_of(response), ".fr-error-text")
    assert not fully_logged_in(client)

    clock.shift(datetime.timedelta(minutes=15, seconds=1))
    type_code(client, code_of(agent))
    assert fully_logged_in(client)


def test_four_wrong_codes_do_not_block(client, agent):
    log_in(client, "agent.durand")
    for _ in range(4):
        type_code(client, "000000" if code_of(agent) != "000000" else "111111")

    type_code(client, code_of(agent))

    assert fully_logged_in(client)


def test_after_login_the_agent_goes_to_the_page_asked_for(client, agent):
    response = client.get("/agent/accueil/?site=3")
    assert response["Location"] == "/agent/connexion/?next=/agent/accueil/%3Fsite%3D3"

    login_page = page_of(client.get(response["Location"]))
    next_url = login_page.css_first("input[name=next]").attributes["value"]
    response = log_in(client, "agent.durand", next_url=next_url)
    code_url = response["Location"]
    response = client.post(code_url, {"code": code_of(agent)})

    assert response["Location"] == "/agent/accueil/?site=3"


@pytest.mark.parametrize(
    "next_url", ["https://ailleurs.example/agent/", "//ailleurs.example/agent/", "/admin/", "/"]
)
def test_next_outside_the_back_office_goes_to_the_agenda(client, agent, next_url):
    response = log_in(client, "agent.durand", next_url=next_url)

    assert response["Location"] == "/agent/connexion/code/?next=%2Fagent%2F"
    assert type_code(client, code_of(agent), next_url=next_url)["Location"] == "/agent/"


def test_logout_ends_the_session(client, agent):
    log_in(client, "agent.durand")
    type_code(client, code_of(agent))

    assert client.get("/agent/deconnexion/").status_code == 405
    response = client.post("/agent/deconnexion/")

    assert response["Location"] == "/agent/connexion/"
    assert "_auth_user_id" not in client.session
    assert client.get("/agent/")["Location"].startswith("/agent/connexion/")


def test_the_code_page_needs_the_password_first(client):
    response = client.get("/agent/connexion/code/")

    assert response.status_code == 302
    assert re.match(r"^/agent/connexion/\?next=", response["Location"])


def test_create_agent_prints_the_uri_that_logs_the_new_agent_in(client, monkeypatch):
    factories.make_prefecture("94")
    monkeypatch.setenv("NEW_AGENT_PASSWORD", "un-mot-de-passe-solide")
    out = io.StringIO()

    call_command(
        "create_agent",
        "chef.martin",
        prefecture="94",
        role="manager",
        password_from_env="NEW_AGENT_PASSWORD",
        stdout=out,
    )

    uri = out.getvalue().strip().splitlines()[-1]
    assert uri.startswith("otpauth://totp/Guichet:chef.martin?")
    log_in(client, "chef.martin", password="un-mot-de-passe-solide")
    type_code(client, pyotp.parse_uri(uri).now())
    assert fully_logged_in(client)
    assert client.get("/agent/journal/").status_code == 200


def test_create_agent_needs_a_known_prefecture():
    with pytest.raises(CommandError, match="no préfecture with department code 99"):
        call_command("create_agent", "agent.x", prefecture="99")


def member_of_an_organisation():
    organisation = factories.make_organisation(factories.make_prefecture("94"))
    return factories.make_member(organisation, username="membre.cimade")


def test_a_member_of_an_organisation_logs_in_with_a_code_and_lands_in_its_space(client):
    member = member_of_an_organisation()

    asked = log_in(client, "membre.cimade")
    assert asked.status_code == 302 and asked.url.startswith("/agent/connexion/code/")
    landed = type_code(client, code_of(member), next_url="/association/")

    assert landed.status_code == 302 and landed.url == "/association/"
    assert client.get("/association/").status_code == 200
    (entry,) = JournalEntry.objects.all()
    assert (entry.user, entry.action, entry.prefecture) == (member, JournalAction.SIGNED_IN, None)


def test_a_member_is_never_sent_to_the_agents_pages_after_the_code(client):
    member = member_of_an_organisation()

    log_in(client, "membre.cimade", next_url="/agent/journal/")
    landed = type_code(client, code_of(member), next_url="/agent/journal/")

    assert landed.url == "/association/"


def test_a_member_logs_out_from_the_associations_space(client):
    member = member_of_an_organisation()
    log_in(client, "membre.cimade")
    type_code(client, code_of(member))
    page = page_of(client.get("/association/"))
    (form,) = page.css('form[action="/agent/deconnexion/"]')

    assert client.post(form.attributes["action"]).url == "/agent/connexion/"
    assert client.get("/association/").url.startswith("/agent/connexion/")
