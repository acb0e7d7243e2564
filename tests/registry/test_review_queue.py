"""The registry pages: agents review held renewals of their own préfecture; managers import."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import EventKind, RequestStatus
from guichet.booking.services import allocate_prefecture
from guichet.catalogue.enums import ServiceKind
from guichet.notifications.models import Message
from guichet.registry.imports import import_permits
from guichet.registry.models import PermitRecord, RegistryImport
from tests import factories
from tests.registry.test_registry_import import permit_row, permits_csv

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
FAR = datetime.date(2030, 1, 1)


@pytest.fixture
def prefecture():
    prefecture = factories.make_prefecture()
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture, ServiceKind.RENEWAL)
    factories.make_units(site, service, datetime.datetime(2026, 12, 7, 8, tzinfo=datetime.UTC), 3)
    return prefecture


@pytest.fixture
def held(prefecture):
    """A renewal whose permit number the registry of the préfecture does not know."""
    with time_machine.travel(NOW, tick=False):
        manager = factories.make_agent(prefecture, role="manager", username="import")
        import_permits(prefecture, permits_csv([permit_row(1, FAR)]), manager)
        return factories.register_at_counter(
            prefecture.services.get(),
            prefecture.sites.get(),
            5,
            permit_number="9499999999",
            permit_expires_on=datetime.date(2027, 2, 1),
        )


@pytest.fixture
def agent_client(client, prefecture):
    return factories.log_in_agent(client, factories.make_agent(prefecture))


@pytest.fixture
def other_client(client):
    other = factories.make_prefecture("34", "Hérault")
    return factories.log_in_agent(client, factories.make_agent(other, role="manager"))


def test_the_review_page_shows_the_held_request_and_the_registry(agent_client, held):
    page = agent_client.get(reverse("backoffice:registry_review")).content.decode()

    assert held.number in page
    assert "9499999999" in page and "numéro inconnu" in page


def test_accepting_puts_the_request_in_the_queue_with_its_registration(agent_client, held):
    response = agent_client.post(reverse("backoffice:registry_review_accept", args=[held.pk]))

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == RequestStatus.WAITING
    assert held.events.filter(kind=EventKind.PERMIT_CHECKED).exists()
    assert JournalEntry.objects.filter(action="permit_check_accepted", request=held).exists()
    allocate_prefecture(held.prefecture, seed=3, now=NOW)
    held.refresh_from_db()
    assert held.status == RequestStatus.DATED


def test_rejecting_cancels_and_tells_the_person_why(agent_client, held):
    url = reverse("backoffice:registry_review_reject", args=[held.pk])

    refused = agent_client.post(url, {f"r{held.pk}-reason": ""})
    assert refused.status_code == 200
    assert "aria-describedby" in refused.content.decode()
    held.refresh_from_db()
    assert held.status == RequestStatus.HELD

    agent_client.post(url, {f"r{held.pk}-reason": "Ce numéro appartient à un autre titre."})

    held.refresh_from_db()
    assert held.status == RequestStatus.CANCELLED
    message = Message.objects.get(request=held, template="permit_check_rejected")
    assert "Ce numéro appartient à un autre titre." in message.body
    assert JournalEntry.objects.get(action="permit_check_rejected", request=held).detail == {
        "reason": "Ce numéro appartient à un autre titre."
    }


def test_another_prefecture_sees_and_touches_nothing(other_client, held):
    page = other_client.get(reverse("backoffice:registry_review")).content.decode()
    assert held.number not in page
    registry = other_client.get(reverse("backoffice:registry")).content.decode()
    assert "Val-de-Marne" not in registry

    for name in ("registry_review_accept", "registry_review_reject"):
        response = other_client.post(
            reverse(f"backoffice:{name}", args=[held.pk]), {f"r{held.pk}-reason": "non"}
        )
        assert response.status_code == 404
    held.refresh_from_db()
    assert held.status == RequestStatus.HELD

    file = permits_csv([permit_row(9, FAR)])
    response = other_client.post(
        reverse("backoffice:registry_upload"), {"prefecture": held.prefecture_id, "file": file}
    )
    assert response.status_code == 200
    assert not PermitRecord.objects.filter(permit_number="9400000009").exists()


def test_only_managers_upload(client, prefecture):
    upload = reverse("backoffice:registry_upload")
    agent = factories.log_in_agent(client, factories.make_agent(prefecture))
    assert agent.post(upload, {"prefecture": prefecture.pk}).status_code == 403
    assert "Importer le registre" not in agent.get(reverse("backoffice:registry")).content.decode()

    manager = factories.log_in_agent(client, factories.make_agent(prefecture, role="manager"))
    page = manager.get(reverse("backoffice:registry")).content.decode()
    assert "Aucun registre importé" in page
    response = manager.post(
        upload, {"prefecture": prefecture.pk, "file": permits_csv([permit_row(1, FAR)])}
    )

    assert response.status_code == 302
    assert RegistryImport.objects.get().created == 1
    assert JournalEntry.objects.filter(action="registry_import", prefecture=prefecture).exists()
    page = manager.get(response.url).content.decode()
    assert "registre.csv" in page and "1 titre au registre" in page
