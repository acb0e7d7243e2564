"""Agents cancel a request of their préfecture with a reason, and merge two requests of one
person (the earliest registration stays): journaled, and only within their préfecture."""

import datetime

import pytest
from django.urls import reverse

from guichet.backoffice.enums import JournalAction
from guichet.backoffice.journal import describe
from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import EventKind, RequestStatus
from guichet.booking.models import Request
from tests import factories
from tests.factories import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def val_de_marne():
    prefecture = factories.make_prefecture()
    return prefecture, factories.make_site(prefecture), factories.make_service(prefecture)


@pytest.fixture
def herault():
    prefecture = factories.make_prefecture("34", "Hérault")
    return prefecture, factories.make_site(prefecture), factories.make_service(prefecture)


def logged_in(client, prefecture):
    user = factories.make_agent(prefecture, username=f"agent-{prefecture.department_code}")
    factories.log_in_agent(client, user)
    client.user = user
    return client


def two_requests_of_one_person(world, clock):
    """Aminata registered twice at the counter, with two passports, an hour apart."""
    _prefecture, site, service = world
    first = factories.register_at_counter(service, site, 1, passport_number="A0000001")
    clock.move_to(NOW + datetime.timedelta(hours=1))
    second = factories.register_at_counter(
        service, site, 1, passport_number="B0000002", email="autre@example.org"
    )
    assert first.is_queued and second.is_queued
    return first, second


def test_an_agent_cancels_a_request_with_a_reason_told_to_the_person(client, val_de_marne):
    _prefecture, site, service = val_de_marne
    request = factories.register_at_counter(service, site, 1)
    agent = logged_in(client, val_de_marne[0])

    refused = agent.post(reverse("backoffice:request_cancel", args=[request.pk]), {"reason": ""})
    response = agent.post(
        reverse("backoffice:request_cancel", args=[request.pk]),
        {"reason": "Demande faite au nom d'une autre personne, vérifié sur pièces."},
    )

    assert refused.status_code == 200 and "Écrivez le motif" in refused.content.decode()
    assert response.url == reverse("backoffice:request_detail", args=[request.pk])
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    told = request.messages.get(template="request_cancelled_by_prefecture")
    assert "vérifié sur pièces" in told.body
    entry = JournalEntry.objects.get(action=JournalAction.REQUEST_CANCELLED)
    assert (entry.user, entry.request) == (agent.user, request)
    assert "vérifié sur pièces" in describe([entry])[0][1]


def test_an_agent_merges_two_requests_of_one_person_the_earliest_stays(client, val_de_marne, clock):
    first, second = two_requests_of_one_person(val_de_marne, clock)
    agent = logged_in(client, val_de_marne[0])

    page = agent.get(reverse("backoffice:request_detail", args=[second.pk])).content.decode()
    assert f"Fusionner avec {first.number}" in page
    response = agent.post(
        reverse("backoffice:request_merge", args=[second.pk]), {"other": first.number}
    )

    assert response.url == reverse("backoffice:request_detail", args=[first.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (RequestStatus.WAITING, RequestStatus.CANCELLED)
    assert first.number in second.messages.get(template="request_cancelled_by_prefecture").body
    assert first.events.filter(kind=EventKind.MERGED).exists()
    entry = JournalEntry.objects.get(action=JournalAction.REQUESTS_MERGED)
    assert (entry.user, entry.request) == (agent.user, first)
    words = describe([entry])[0][1]
    assert f"Demande conservée : {first.number}" in words
    assert f"demande annulée : {second.number}" in words


def test_a_request_out_of_the_queue_is_not_merged(client, val_de_marne, clock):
    first, second = two_requests_of_one_person(val_de_marne, clock)
    Request.objects.filter(pk=first.pk).update(status=RequestStatus.ATTENDED)
    agent = logged_in(client, val_de_marne[0])

    agent.post(reverse("backoffice:request_merge", args=[second.pk]), {"other": first.number})

    assert Request.objects.get(pk=second.pk).status == RequestStatus.WAITING
    assert not JournalEntry.objects.filter(action=JournalAction.REQUESTS_MERGED).exists()


def test_another_prefecture_can_neither_cancel_nor_merge(client, val_de_marne, herault, clock):
    first, second = two_requests_of_one_person(val_de_marne, clock)
    theirs = factories.register_at_counter(herault[2], herault[1], 9)
    agent = logged_in(client, herault[0])

    detail = agent.get(reverse("backoffice:request_detail", args=[first.pk]))
    cancelled = agent.post(
        reverse("backoffice:request_cancel", args=[first.pk]), {"reason": "Essai"}
    )
    merged = agent.post(
        reverse("backoffice:request_merge", args=[second.pk]), {"other": first.number}
    )
    # Nor from one of its own requests, by typing another préfecture's number.
    across = agent.post(
        reverse("backoffice:request_merge", args=[theirs.pk]), {"other": first.number}
    )
    found = agent.get(reverse("backoffice:requests"), {"number": first.number})

    assert (detail.status_code, cancelled.status_code, merged.status_code) == (404, 404, 404)
    assert across.status_code == 200
    assert "Aucune demande de votre préfecture" in across.content.decode()
    assert found.status_code == 200
    assert "Aucune demande de votre préfecture" in found.content.decode()
    assert set(Request.objects.values_list("status", flat=True)) == {RequestStatus.WAITING}
    assert not JournalEntry.objects.exclude(action=JournalAction.SIGNED_IN).exists()


def test_an_agent_finds_a_request_by_its_number(client, val_de_marne):
    _prefecture, site, service = val_de_marne
    request = factories.register_at_counter(service, site, 1)
    agent = logged_in(client, val_de_marne[0])

    response = agent.get(reverse("backoffice:requests"), {"number": request.number.lower()})

    assert response.url == reverse("backoffice:request_detail", args=[request.pk])
