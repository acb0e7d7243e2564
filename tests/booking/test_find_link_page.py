"""« Retrouver mon lien de suivi »: the link goes to the request's own contact, and the page
answers the same whether or not anything matched."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from guichet.booking.enums import Channel
from guichet.notifications.services import send_due_messages
from guichet.protection import counters
from tests.applicant_space import register, text_of

NEUTRAL = "Si ces informations correspondent à une demande, le lien vient d'être envoyé"


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def request_with_contact(_sms_outbox):
    request = register(channel=Channel.COUNTER, phone="+33612345678")
    send_due_messages()
    mail.outbox.clear()
    _sms_outbox.clear()
    return request


def ask(client, number, contact, ip="203.0.113.7"):
    return client.post(
        reverse("booking:find_link"), {"number": number, "contact": contact}, REMOTE_ADDR=ip
    )


def without_csrf_token(response) -> bytes:
    """The page as sent, but the language switcher's CSRF token, masked anew at every answer."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content)


def test_match_and_no_match_get_the_same_answer(client, request_with_contact):
    match = ask(client, request_with_contact.number, request_with_contact.email)
    no_match = ask(client, request_with_contact.number, "quelquun@example.org")
    no_request = ask(client, "94-0000-0000", request_with_contact.email)

    assert match.status_code == no_match.status_code == no_request.status_code == 200
    assert without_csrf_token(match) == without_csrf_token(no_match)
    assert without_csrf_token(match) == without_csrf_token(no_request)
    assert NEUTRAL in text_of(match)


def test_a_match_sends_exactly_one_message_with_the_link(client, request_with_contact):
    ask(client, request_with_contact.number.lower(), request_with_contact.email.upper())

    send_due_messages()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [request_with_contact.email]
    assert request_with_contact.access_token in mail.outbox[0].body


def test_no_match_sends_nothing(client, request_with_contact, _sms_outbox):
    ask(client, request_with_contact.number, "quelquun@example.org")
    ask(client, request_with_contact.number, "06 99 99 99 99")

    send_due_messages()

    assert mail.outbox == [] and _sms_outbox == []


def test_a_phone_typed_the_french_way_finds_the_request(client, request_with_contact, _sms_outbox):
    ask(client, request_with_contact.number, "06 12 34 56 78")

    send_due_messages()

    assert [sms["to"] for sms in _sms_outbox] == ["+33612345678"]
    assert request_with_contact.access_token in _sms_outbox[0]["body"]


def test_empty_fields_are_named(client):
    response = ask(client, "", "")

    text = text_of(response)
    assert "Indiquez le numéro de votre demande." in text
    assert "Indiquez l'adresse électronique ou le numéro de portable." in text


def test_one_connection_is_limited(client, request_with_contact, settings):
    settings.GUICHET_RATE_LIMITS_ENABLED = True
    settings.GUICHET_RATE_LIMIT_ACCESS_LINK = (2, 3600)
    cache.clear()
    counters.clear_all()

    answers = [ask(client, request_with_contact.number, request_with_contact.email) for _ in "abc"]
    elsewhere = ask(
        client, request_with_contact.number, request_with_contact.email, ip="198.51.100.1"
    )
    send_due_messages()
    cache.clear()
    counters.clear_all()

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "Réessayez dans 60 minutes" in text_of(answers[2])
    assert elsewhere.status_code == 200
    assert len(mail.outbox) == 3
