"""« Ce n'est pas moi »: agents of the contested request's préfecture settle a dispute after
checking papers; the real person gets back the place of their own registration, both people
are told, and the journal keeps it (backoffice/duplicates.py)."""

import datetime

import pytest
from django.urls import reverse

from guichet.backoffice.enums import JournalAction
from guichet.backoffice.journal import describe
from guichet.backoffice.models import JournalEntry
from guichet.booking.duplicates import open_dispute
from guichet.booking.enums import DisputeProof, DisputeStatus, EventKind, RequestStatus
from guichet.booking.models import Dispute, Request
from guichet.booking.services import allocate_service, confirm_contact, register_request
from tests import factories
from tests.factories import NOW

UNIT = datetime.datetime(2026, 12, 14, 8, 0, tzinfo=datetime.UTC)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def world():
    prefecture = factories.make_prefecture()
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture)
    factories.make_units(site, service, UNIT, 1)
    return prefecture, site, service


def submit(world, email, clock, at):
    """A web submission of Aminata's whole identity (name, birth date and passport)."""
    _prefecture, site, service = world
    clock.move_to(at)
    request, _ = register_request(
        service=service, applicant=factories.applicant(1, email=email), sites=[site]
    )
    return request


def confirm(request, clock, at):
    clock.move_to(at)
    assert confirm_contact(request, request.verification_code)
    request.refresh_from_db()
    return request


@pytest.fixture
def squatted(world, clock):
    """Aminata registered first (NOW) but confirmed late; the impostor, who had a copy of her
    passport, registered five minutes later, confirmed at once and was given her date. Her
    request was closed as a duplicate; she said « Ce n'est pas moi »."""
    real = submit(world, "aminata@example.org", clock, NOW)
    impostor = submit(world, "revendeur@example.org", clock, NOW + datetime.timedelta(minutes=5))
    impostor = confirm(impostor, clock, NOW + datetime.timedelta(minutes=6))
    allocate_service(world[2], seed=1, now=NOW + datetime.timedelta(minutes=10))
    real = confirm(real, clock, NOW + datetime.timedelta(minutes=30))
    assert real.status == RequestStatus.DUPLICATE
    impostor.refresh_from_db()
    assert impostor.status == RequestStatus.DATED
    dispute = open_dispute(
        real, account="Je n'ai jamais fait d'autre demande.", proof=DisputeProof.COUNTER
    )
    clock.move_to(NOW + datetime.timedelta(days=1))
    return real, impostor, dispute


def agent_client(client, prefecture):
    user = factories.make_agent(prefecture, username=f"agent-{prefecture.department_code}")
    factories.log_in_agent(client, user)
    client.user = user
    return client


def settle(client, dispute, decision, note="Passeport A0000001 vu au guichet."):
    return client.post(
        reverse("backoffice:dispute_settle", args=[dispute.request_id]),
        {f"d{dispute.pk}-note": note, "decision": decision},
    )


def test_the_disputes_page_shows_both_requests_side_by_side(client, world, squatted):
    real, impostor, _dispute = squatted
    agent = agent_client(client, world[0])

    page = agent.get(reverse("backoffice:disputes")).content.decode()

    assert real.number in page and impostor.number in page
    assert "revendeur@example.org" in page and "aminata@example.org" in page
    assert "Je n&#x27;ai jamais fait d&#x27;autre demande." in page
    nav = agent.get(reverse("backoffice:agenda")).content.decode()
    assert reverse("backoffice:disputes") in nav


def test_a_dispute_upheld_gives_the_real_person_back_her_place_and_is_journaled(
    client, world, squatted
):
    real, impostor, dispute = squatted
    agent = agent_client(client, world[0])

    response = settle(agent, dispute, "uphold")

    assert response.url == reverse("backoffice:disputes")
    real.refresh_from_db()
    impostor.refresh_from_db()
    assert impostor.status == RequestStatus.CANCELLED
    # Her own registration, earlier than the impostor's, and her deadline: her place in line;
    # the date the impostor held went down the queue, where she now was first.
    assert real.registered_at == NOW < impostor.registered_at
    assert real.deadline == NOW.date() + datetime.timedelta(days=world[2].target_wait_days)
    assert real.status == RequestStatus.DATED
    assert real.appointment.unit.starts_at == UNIT
    assert real.events.filter(kind=EventKind.DISPUTE_UPHELD).exists()
    # Both are told.
    assert real.messages.filter(template="dispute_upheld", to="aminata@example.org").exists()
    cancelled = impostor.messages.get(template="request_cancelled_by_prefecture")
    assert "identité d'une autre personne" in cancelled.body
    # Settled once, by this agent, and in the journal in words.
    dispute.refresh_from_db()
    assert (dispute.status, dispute.settled_by) == (DisputeStatus.UPHELD, agent.user)
    entry = JournalEntry.objects.get(action=JournalAction.DISPUTE_UPHELD)
    assert (entry.user, entry.request, entry.prefecture) == (agent.user, real, world[0])
    [(_entry, words)] = describe([entry])
    assert impostor.number in words and real.number in words and "Passeport A0000001" in words
    again = settle(agent, dispute, "reject")
    assert again.url == reverse("backoffice:disputes")
    assert JournalEntry.objects.filter(action__startswith="dispute").count() == 1


def test_a_dispute_rejected_keeps_the_place_and_tells_the_person_who_disputed(
    client, world, squatted
):
    real, impostor, dispute = squatted
    agent = agent_client(client, world[0])

    settle(agent, dispute, "reject", note="Le titulaire a montré son passeport.")

    real.refresh_from_db()
    impostor.refresh_from_db()
    assert (real.status, impostor.status) == (RequestStatus.DUPLICATE, RequestStatus.DATED)
    assert real.messages.filter(template="dispute_rejected").exists()
    assert not impostor.messages.filter(template="request_cancelled_by_prefecture").exists()
    entry = JournalEntry.objects.get(action=JournalAction.DISPUTE_REJECTED)
    assert entry.request == real and impostor.number in describe([entry])[0][1]
    assert (
        "a été examinée"
        in client.get(reverse("booking:status", args=[real.access_token])).content.decode()
    )


def test_a_note_is_required(client, world, squatted):
    real, _impostor, dispute = squatted

    response = settle(agent_client(client, world[0]), dispute, "uphold", note="")

    assert response.status_code == 200
    assert "Écrivez le motif" in response.content.decode()
    assert Dispute.objects.get().status == DisputeStatus.OPEN
    assert not JournalEntry.objects.filter(action__startswith="dispute").exists()


def test_another_prefecture_neither_sees_nor_settles_the_dispute(client, world, squatted):
    real, impostor, dispute = squatted
    herault = agent_client(client, factories.make_prefecture("34", "Hérault"))

    page = herault.get(reverse("backoffice:disputes")).content.decode()
    response = settle(herault, dispute, "uphold")

    assert real.number not in page and impostor.number not in page
    assert response.status_code == 404
    assert Dispute.objects.get().status == DisputeStatus.OPEN
    assert Request.objects.get(pk=impostor.pk).status == RequestStatus.DATED
    assert not JournalEntry.objects.exclude(action=JournalAction.SIGNED_IN).exists()
