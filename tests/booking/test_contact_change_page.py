"""Changing contact details from the applicant space: a code to the new ones, then the switch."""

import datetime

import pytest
from django.core import mail
from selectolax.lexbor import LexborHTMLParser

from guichet.booking.enums import Channel, EventKind, RequestStatus
from guichet.notifications.services import send_due_messages
from tests.applicant_space import follow_to_status, register, text_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def waiting():
    request = register(channel=Channel.COUNTER, email="ancienne@example.org")
    send_due_messages()
    mail.outbox.clear()
    return request


def test_the_status_page_leads_to_a_form_filled_with_the_current_contact(client, waiting):
    status = client.get(url("status", waiting)).content.decode()
    assert f'href="{url("new_contact", waiting)}"' in status

    page = LexborHTMLParser(client.get(url("new_contact", waiting)).content)

    assert page.css_first("h1").text() == "Modifier mes coordonnées"
    assert page.css_first('input[name="email"]').attributes["value"] == "ancienne@example.org"
    back = page.css_first(f'a[href="{url("status", waiting)}"]')
    assert back.text().strip() == "Revenir au suivi sans rien changer"
    waiting.refresh_from_db()
    assert waiting.pending_email == ""  # opening the page changes nothing


def test_new_contact_gets_a_code_and_replaces_the_old_once_confirmed(client, waiting, _sms_outbox):
    response = client.post(
        url("new_contact", waiting), {"email": "nouvelle@example.org", "phone": "06 12 34 56 78"}
    )

    text = follow_to_status(client, response, waiting)
    send_due_messages()
    waiting.refresh_from_db()
    assert "Un code vient d'être envoyé à vos nouvelles coordonnées" in text
    assert "Confirmez vos nouvelles coordonnées" in text
    assert waiting.email == "ancienne@example.org"
    assert [message.to for message in mail.outbox] == [["nouvelle@example.org"]]
    assert waiting.verification_code in mail.outbox[0].body
    assert [sms["to"] for sms in _sms_outbox] == ["+33612345678"]
    assert waiting.verification_code in _sms_outbox[0]["body"]

    response = client.post(url("confirm_code", waiting), {"code": waiting.verification_code})

    assert "Vos nouvelles coordonnées sont confirmées" in follow_to_status(
        client, response, waiting
    )
    waiting.refresh_from_db()
    assert (waiting.email, waiting.phone) == ("nouvelle@example.org", "+33612345678")
    assert waiting.events.filter(kind=EventKind.CONTACT_CHANGED).count() == 1


def test_an_invalid_address_is_refused_with_the_intake_message(client, waiting):
    response = client.post(url("new_contact", waiting), {"email": "nouvelle@example", "phone": ""})

    assert response.status_code == 200
    assert "Cette adresse électronique n'est pas valide" in text_of(response)
    waiting.refresh_from_db()
    assert waiting.pending_email == ""
    assert not waiting.messages.filter(template="verify_contact").exists()


def test_a_phone_that_is_not_a_french_mobile_is_refused(client, waiting):
    response = client.post(url("new_contact", waiting), {"email": "", "phone": "01 23 45 67 89"})

    assert "Ce numéro n'est pas un numéro de portable français" in text_of(response)
    waiting.refresh_from_db()
    assert waiting.pending_phone == ""


def test_no_contact_at_all_is_refused(client, waiting):
    response = client.post(url("new_contact", waiting), {"email": "", "phone": ""})

    assert "Indiquez au moins une adresse électronique ou un numéro de portable" in text_of(
        response
    )


def test_codes_to_new_contacts_are_sent_at_most_once_a_minute(client, waiting, clock):
    first = client.post(url("new_contact", waiting), {"email": "a@example.org", "phone": ""})
    follow_to_status(client, first, waiting)
    second = client.post(url("new_contact", waiting), {"email": "b@example.org", "phone": ""})

    assert "Attendez 60 secondes" in follow_to_status(client, second, waiting)
    waiting.refresh_from_db()
    assert waiting.pending_email == "a@example.org"
    clock.shift(datetime.timedelta(minutes=1))
    third = client.post(url("new_contact", waiting), {"email": "b@example.org", "phone": ""})
    follow_to_status(client, third, waiting)
    waiting.refresh_from_db()
    assert waiting.pending_email == "b@example.org"


def test_a_mistyped_contact_is_corrected_before_the_first_confirmation(client, clock):
    unconfirmed = register(channel=Channel.WEB, email="personne@exmaple.org")
    clock.shift(datetime.timedelta(minutes=2))  # past the once-a-minute limit on codes

    response = client.post(
        url("new_contact", unconfirmed), {"email": "personne@example.org", "phone": ""}
    )

    assert "Un code vient d'être envoyé à vos nouvelles coordonnées" in follow_to_status(
        client, response, unconfirmed
    )
    unconfirmed.refresh_from_db()
    assert unconfirmed.pending_email == "personne@example.org"
    client.post(url("confirm_code", unconfirmed), {"code": unconfirmed.verification_code})
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == RequestStatus.WAITING
    assert unconfirmed.email == "personne@example.org"
