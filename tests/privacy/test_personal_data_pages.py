"""From the status page, a person sees and downloads everything Guichet holds about their
request, and nobody else's; they may have it erased unless an appointment is pending."""

import json
from html import unescape

import pytest
from django.core import mail

from guichet.backoffice import journal
from guichet.booking.enums import RequestStatus
from guichet.notifications.services import send_due_messages
from guichet.privacy.enums import ErasureReason
from guichet.privacy.models import Erasure
from guichet.privacy.retention import ERASED_FIELDS
from tests import factories, queue_history

# Held for the request but not shown to the holder of the link: it would confirm a contact
# without access to the mailbox.
NOT_EXPORTED = {"verification_code"}


@pytest.fixture
def history(db):
    history = queue_history.build()
    # An agent's line about A3 that also names A2's request, and an agent's own name.
    agent = factories.make_agent(history.prefecture, username="agent-martin")
    disputed = history.people["A3"]
    journal.log_dispute_rejected(
        agent,
        disputed.prefecture,
        disputed,
        kept=history.people["A2"].number,
        note="Papiers vus au guichet",
    )
    return history


def download(client, request):
    response = client.get(f"/demande/{request.access_token}/mes-donnees.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    return response.json()


def test_the_download_holds_every_personal_field_of_the_request(history, client):
    a3 = history.people["A3"]
    data = download(client, a3)
    exported = {**data["identity"], **data["contact"]}
    for field in set(ERASED_FIELDS) - NOT_EXPORTED:
        value = getattr(a3, field)
        expected = value.isoformat() if hasattr(value, "isoformat") else value
        assert exported[field] == expected, field
    assert data["request"]["number"] == a3.number
    assert data["request"]["channel"] == "Téléphone"
    assert {row["to"] for row in data["messages"]} == {a3.email}
    assert data["messages"] and all(row["body"] for row in data["messages"])
    assert [row["event"] for row in data["history"]][:1] == ["Demande enregistrée"]
    assert data["journal"] == [
        {
            "at": data["journal"][0]["at"],
            "action": "contestation d'identité rejetée",
            "detail": {"note": "Papiers vus au guichet"},
        }
    ]


def test_the_download_holds_nobody_elses_data(history, client):
    a3 = history.people["A3"]
    text = json.dumps(download(client, a3), ensure_ascii=False)
    for name, other in history.people.items():
        if name == "A3":
            continue
        for value in (other.number, other.family_name, other.email, other.passport_number):
            assert value not in text, (name, value)
    assert "agent-martin" not in text


def test_the_readable_page_shows_the_same(history, client):
    a3 = history.people["A3"]
    html = unescape(client.get(f"/demande/{a3.access_token}/mes-donnees/").content.decode())
    for value in (a3.family_name, a3.passport_number, a3.email, "Papiers vus au guichet"):
        assert value in html
    assert history.people["A2"].number not in html


def test_the_status_page_links_to_the_data_pages(history, client):
    a5 = history.people["A5"]
    html = client.get(f"/demande/{a5.access_token}/suivi/").content.decode()
    assert f'href="/demande/{a5.access_token}/mes-donnees/"' in html
    assert f'href="/demande/{a5.access_token}/mes-donnees.json"' in html
    assert f'href="/demande/{a5.access_token}/effacer-mes-donnees/"' in html


def test_a_waiting_person_has_their_request_cancelled_and_data_erased(history, client):
    a5 = history.people["A5"]
    send_due_messages()
    mail.outbox.clear()
    confirm = client.get(f"/demande/{a5.access_token}/effacer-mes-donnees/")
    assert "Votre demande sera d'abord annulée" in unescape(confirm.content.decode())

    response = client.post(f"/demande/{a5.access_token}/effacer-mes-donnees/")

    assert response.status_code == 302 and response["Location"] == "/donnees-effacees/"
    a5_now = type(a5).objects.get(pk=a5.pk)
    assert a5_now.status == RequestStatus.CANCELLED
    assert (a5_now.family_name, a5_now.email, a5_now.passport_number) == ("effacé", "", "")
    assert Erasure.objects.get(request=a5).reason == ErasureReason.PERSON_ASKED
    assert client.get(f"/demande/{a5.access_token}/suivi/").status_code == 404
    send_due_messages()
    assert mail.outbox == []  # nothing sent to an address that is no longer held


def test_no_erasure_while_an_appointment_is_pending(history, client):
    a4 = history.people["A4"]  # dated, appointment at N+20
    response = client.post(f"/demande/{a4.access_token}/effacer-mes-donnees/")
    assert response.status_code == 200
    assert "Un rendez-vous vous attend" in response.content.decode()
    a4.refresh_from_db()
    assert a4.status == RequestStatus.DATED
    assert a4.family_name == "Diallo4"
    assert not Erasure.objects.filter(request=a4).exists()


def test_a_closed_request_is_erased_at_once(history, client):
    a1 = history.people["A1"]  # seen at N-60
    client.post(f"/demande/{a1.access_token}/effacer-mes-donnees/")
    a1.refresh_from_db()
    assert a1.status == RequestStatus.ATTENDED
    assert a1.family_name == "effacé"
