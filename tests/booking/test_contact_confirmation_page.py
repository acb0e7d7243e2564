"""Confirming the contact from the receipt or status page: by code, by link, or a new code."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from guichet.booking.enums import EventKind, RequestStatus
from guichet.booking.services import MAX_VERIFICATION_ATTEMPTS, expire_unverified_requests
from guichet.notifications.services import send_due_messages
from tests.applicant_space import follow_to_status, register, text_of, url

PROMPT = "Confirmez vos coordonnées pour que votre demande reçoive une date"


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.mark.parametrize("page", ["receipt", "status"])
def test_unconfirmed_request_asks_for_the_code_and_has_no_rank(client, page):
    request = register()

    response = client.get(url(page, request))
    text = text_of(response)

    assert PROMPT in text
    assert "Votre place aujourd'hui" not in text
    assert f'action="{url("confirm_code", request)}"' in response.content.decode()
    assert "Renvoyer le code" in text


def test_the_right_code_puts_the_request_in_the_queue(client):
    request = register()

    response = client.post(url("confirm_code", request), {"code": request.verification_code})

    text = follow_to_status(client, response, request)
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING
    assert request.events.filter(kind=EventKind.CONTACT_CONFIRMED).count() == 1
    assert "Vos coordonnées sont confirmées" in text
    assert PROMPT not in text
    assert "Votre place aujourd'hui" in text


def test_a_wrong_code_says_so_and_counts_an_attempt(client):
    request = register()

    response = client.post(url("confirm_code", request), {"code": wrong(request.verification_code)})

    assert response.status_code == 200
    text = text_of(response)
    left = MAX_VERIFICATION_ATTEMPTS - 1
    assert (
        "Ce code n'est pas le bon. Vérifiez les 6 chiffres du dernier message reçu : "
        f"il vous reste {left} essais." in text
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.UNVERIFIED
    assert request.verification_attempts == 1
    assert 'aria-describedby="id_code-hint id_code-error"' in response.content.decode()


def test_a_malformed_code_is_refused_without_counting_an_attempt(client):
    request = register()

    response = client.post(url("confirm_code", request), {"code": "12ab"})

    assert "Le code compte exactement 6 chiffres" in text_of(response)
    request.refresh_from_db()
    assert request.verification_attempts == 0


def test_after_too_many_attempts_a_new_code_is_needed_and_works(client, clock):
    request = register()
    old_code = request.verification_code
    for _ in range(MAX_VERIFICATION_ATTEMPTS):
        response = client.post(url("confirm_code", request), {"code": wrong(old_code)})
    assert "Trop d'essais avec un code erroné" in text_of(response)
    assert "Renvoyer le code" in text_of(response)

    clock.shift(datetime.timedelta(minutes=2))
    send_due_messages()
    mail.outbox.clear()
    response = client.post(url("resend_code", request))
    text = follow_to_status(client, response, request)
    send_due_messages()

    request.refresh_from_db()
    assert "Un nouveau message avec le code vient d'être envoyé" in text
    assert request.verification_attempts == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [request.email]
    assert request.verification_code in mail.outbox[0].body
    response = client.post(url("confirm_code", request), {"code": request.verification_code})
    follow_to_status(client, response, request)
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING


def test_the_code_is_sent_again_at_most_once_a_minute(client, clock):
    request = register()
    send_due_messages()
    mail.outbox.clear()

    too_soon = follow_to_status(client, client.post(url("resend_code", request)), request)
    clock.shift(datetime.timedelta(seconds=61))
    later = follow_to_status(client, client.post(url("resend_code", request)), request)
    again = follow_to_status(client, client.post(url("resend_code", request)), request)
    send_due_messages()

    assert "Attendez 60 secondes" in too_soon
    assert "Un nouveau message avec le code" in later
    assert "Attendez 60 secondes" in again
    assert len(mail.outbox) == 1
    assert request.verification_code in mail.outbox[0].body


def test_opening_the_confirmation_link_changes_nothing(client):
    request = register()
    link = url("confirm_link", request, request.verification_code)

    response = client.get(link)

    assert response.status_code == 200
    assert "Confirmer mes coordonnées" in text_of(response)
    request.refresh_from_db()
    assert request.status == RequestStatus.UNVERIFIED
    assert not request.events.filter(kind=EventKind.CONTACT_CONFIRMED).exists()


def test_the_button_of_the_confirmation_link_confirms(client):
    request = register()

    response = client.post(url("confirm_link", request, request.verification_code))

    assert "Vos coordonnées sont confirmées" in follow_to_status(client, response, request)
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING
    assert request.events.filter(kind=EventKind.CONTACT_CONFIRMED).count() == 1


def test_a_confirmation_link_with_a_wrong_code_confirms_nothing(client):
    request = register()

    response = client.post(url("confirm_link", request, wrong(request.verification_code)))

    assert "Ce code n'est pas le bon" in follow_to_status(client, response, request)
    request.refresh_from_db()
    assert request.status == RequestStatus.UNVERIFIED


def test_an_expired_request_says_so_and_links_to_a_new_one(client, clock):
    request = register()
    clock.shift(datetime.timedelta(hours=49))
    expire_unverified_requests()

    response = client.get(url("status", request))
    text = text_of(response)

    assert "Cette demande a expiré" in text
    assert PROMPT not in text
    assert 'href="/demande/"' in response.content.decode()
    assert client.post(url("confirm_code", request), {"code": request.verification_code})
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED


@pytest.mark.parametrize(
    ("name", "method", "args"),
    [
        ("receipt", "get", []),
        ("status", "get", []),
        ("calendar", "get", []),
        ("cancel", "post", []),
        ("confirm_code", "post", []),
        ("confirm_link", "post", ["123456"]),
        ("resend_code", "post", []),
        ("preferences", "post", []),
        ("new_contact", "post", []),
        ("confirm_attendance", "post", []),
        ("accept_offer", "post", [1]),
    ],
)
def test_a_wrong_token_is_not_found(client, name, method, args):
    request = register()
    guessed = request.access_token[:-1] + ("A" if request.access_token[-1] != "A" else "B")

    response = getattr(client, method)(reverse(f"booking:{name}", args=[guessed, *args]))

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.UNVERIFIED
