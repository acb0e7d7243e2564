"""Cancelling from the applicant space: a confirmation step, then the slot goes to someone else."""

import datetime

import pytest
from django.test import Client

from guichet.booking.enums import Channel, EventKind, RequestStatus
from tests.applicant_space import dated, follow_to_status, register, text_of, url
from tests.factories import NOW

START = NOW + datetime.timedelta(days=14)  # Monday 7 December 2026, 11:00 in Paris


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_the_confirmation_step_changes_nothing(client):
    request = dated(start=START)

    response = client.get(url("cancel", request))

    text = text_of(response)
    assert "L'annulation est définitive" in text
    assert "le lundi 7 décembre 2026 à 11:00 (heure de Paris, UTC+01:00)" in text
    assert "sera aussitôt proposé à une autre personne" in text
    request.refresh_from_db()
    assert request.status == RequestStatus.DATED
    assert not request.events.filter(kind=EventKind.CANCELLED).exists()


def test_cancelling_records_it_and_gives_the_slot_to_the_next_person(client):
    request = dated(start=START)
    unit = request.appointment.unit
    next_in_line = register(n=2, channel=Channel.COUNTER)

    response = client.post(url("cancel", request))

    text = follow_to_status(client, response, request)
    assert f"Votre demande {request.number} est annulée" in text
    assert "est proposé dès maintenant à une autre personne de la file d'attente" in text
    assert "Cette demande est annulée" in text
    assert "Annuler ma demande" not in text
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    assert request.events.get(kind=EventKind.CANCELLED).detail == {"by": "applicant"}
    next_in_line.refresh_from_db()
    assert next_in_line.status == RequestStatus.DATED
    assert next_in_line.appointment.unit == unit


def test_a_waiting_request_leaves_the_queue(client):
    request = register(channel=Channel.COUNTER)

    response = client.post(url("cancel", request))

    assert "elle a quitté la file d'attente" in follow_to_status(client, response, request)
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED


def test_a_cancelled_request_cannot_be_cancelled_again(client):
    request = register(channel=Channel.COUNTER)
    follow_to_status(client, client.post(url("cancel", request)), request)

    response = client.post(url("cancel", request))

    assert "il n'y a rien à annuler" in follow_to_status(client, response, request)
    assert request.events.filter(kind=EventKind.CANCELLED).count() == 1


def test_cancelling_needs_the_pages_csrf_token():
    request = register(channel=Channel.COUNTER)
    browser = Client(enforce_csrf_checks=True)

    forged = browser.post(url("cancel", request))
    page = browser.get(url("cancel", request))
    token = page.cookies["csrftoken"].value
    genuine = browser.post(url("cancel", request), {"csrfmiddlewaretoken": token})

    assert forged.status_code == 403
    assert genuine.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
