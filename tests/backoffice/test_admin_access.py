"""The admin opens only to national administrators who typed their TOTP code in this session,
through the back-office's login; requests are read there, never changed or deleted."""

import datetime

import pyotp
import pytest
from django.db.models import ProtectedError

from guichet.backoffice.enums import Role
from guichet.booking.models import Request, RequestEvent
from tests import factories
from tests.factories import PASSWORD
from tests.marks import counting_at

NOW = datetime.datetime(2026, 3, 2, 9, 0, 10, tzinfo=datetime.UTC)

pytestmark = counting_at(NOW)


@pytest.fixture
def request_94(world):
    _, site, service = world
    return factories.register_at_counter(service, site, 1)


def code_of(user) -> str:
    return pyotp.TOTP(user.second_factor.secret).now()


def test_an_administrator_reaches_the_admin_through_password_and_code(client):
    administrator = factories.make_agent(None, role=Role.ADMINISTRATOR, username="admin.dupont")

    response = client.get("/admin/booking/request/")
    assert response["Location"] == "/agent/connexion/?next=/admin/booking/request/"
    response = client.post(
        "/agent/connexion/",
        {"username": "admin.dupont", "password": PASSWORD, "next": "/admin/booking/request/"},
    )
    assert response["Location"] == "/agent/connexion/code/?next=%2Fadmin%2Fbooking%2Frequest%2F"
    # The password alone opens nothing.
    assert client.get("/admin/").status_code == 302

    response = client.post(response["Location"], {"code": code_of(administrator)})

    assert response["Location"] == "/admin/booking/request/"
    assert client.get("/admin/booking/request/").status_code == 200


def test_a_password_alone_leads_to_the_code_step(client):
    administrator = factories.make_agent(None, role=Role.ADMINISTRATOR)
    client.force_login(administrator)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/agent/connexion/code/?next=%2Fadmin%2F"
    assert "Code de connexion" in response.content.decode()


def test_a_superuser_without_an_administrator_profile_is_refused(client, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(superuser)

    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/booking/request/").status_code == 403
    # Nor can it pass the code step: the back-office's login refuses accounts with no space.
    response = client.post("/agent/connexion/", {"username": "root", "password": "x"})
    assert "ni au back-office des agents" in response.content.decode()


def test_managers_stay_in_the_back_office(client, world):
    prefecture, _, _ = world
    factories.log_in_agent(client, factories.make_agent(prefecture, role=Role.MANAGER))

    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/booking/request/").status_code == 403
    assert client.get("/agent/").status_code == 200


def test_administrators_read_requests_but_neither_change_nor_delete_them(client, request_94):
    factories.log_in_agent(client, factories.make_agent(None, role=Role.ADMINISTRATOR))
    url = f"/admin/booking/request/{request_94.pk}/"
    history = list(request_94.events.values_list("pk", flat=True))

    page = client.get(f"{url}change/")
    assert page.status_code == 200
    assert request_94.family_name in page.content.decode()
    assert 'name="family_name"' not in page.content.decode()  # shown, not editable
    changed = client.post(f"{url}change/", {"family_name": "Autre", "given_names": "Nom"})
    deleted = client.post(f"{url}delete/", {"post": "yes"})
    bulk_deleted = client.post(
        "/admin/booking/request/",
        {"action": "delete_selected", "_selected_action": [request_94.pk], "post": "yes"},
    )

    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert bulk_deleted.status_code in (200, 302)  # the action is simply not offered
    request_94.refresh_from_db()
    assert request_94.family_name != "Autre"
    assert list(request_94.events.values_list("pk", flat=True)) == history


def test_a_request_with_a_history_cannot_be_deleted(request_94):
    assert request_94.events.exists()

    with pytest.raises(ProtectedError):
        request_94.delete()

    assert Request.objects.filter(pk=request_94.pk).exists()
    assert RequestEvent.objects.filter(request=request_94).exists()


@pytest.mark.parametrize("next_url", ["https://ailleurs.example/admin/", "/agent/"])
def test_the_admin_login_sends_nowhere_but_the_admin(client, next_url):
    factories.log_in_agent(client, factories.make_agent(None, role=Role.ADMINISTRATOR))

    assert client.get("/admin/login/", {"next": next_url})["Location"] == "/admin/"
