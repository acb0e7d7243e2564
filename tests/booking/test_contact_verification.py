"""A web request enters allocation once the person confirms the code sent to their contact."""

import datetime

import pytest
import time_machine
from django.core import mail

from guichet.booking.enums import EventKind, RequestStatus
from guichet.booking.services import (
    MAX_VERIFICATION_ATTEMPTS,
    change_contact,
    confirm_contact,
    resend_access_link,
)
from guichet.duework.jobs import run_due_work
from guichet.notifications.services import send_due_messages
from tests import factories
from tests.factories import NOW

# Every step happens at NOW unless a test travels on: messages are due when they are sent.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def world(clock, world):
    """conftest's world, with three units five days on: (service, site)."""
    _prefecture, site, service = world
    factories.make_units(site, service, NOW + datetime.timedelta(days=5), 3)
    return service, site


def refreshed(request):
    request.refresh_from_db()
    return request


def test_the_code_is_sent_and_an_unconfirmed_request_gets_no_date(world):
    request = factories.register_online(*world)
    send_due_messages(NOW)
    (email,) = mail.outbox
    assert request.verification_code in email.body
    run_due_work(NOW)
    assert refreshed(request).status == RequestStatus.UNVERIFIED

    assert confirm_contact(request, request.verification_code, now=NOW)
    assert refreshed(request).status == RequestStatus.WAITING
    run_due_work(NOW + datetime.timedelta(hours=2))
    assert refreshed(request).status == RequestStatus.DATED


def test_wrong_codes_are_counted_and_stop_after_the_limit(world):
    request = factories.register_online(*world)
    for _ in range(MAX_VERIFICATION_ATTEMPTS):
        assert not confirm_contact(
            request, "000000" if request.verification_code != "000000" else "111111"
        )
    assert not confirm_contact(request, request.verification_code)
    assert refreshed(request).status == RequestStatus.UNVERIFIED


def test_an_unconfirmed_request_expires_and_frees_the_identity(world):
    request = factories.register_online(*world)
    later = NOW + datetime.timedelta(hours=49)
    with time_machine.travel(later, tick=False):
        run_due_work(later)
    assert refreshed(request).status == RequestStatus.EXPIRED
    assert request.events.filter(kind=EventKind.EXPIRED).exists()
    assert "request_expired" in request.messages.values_list("template", flat=True)
    again = factories.register_online(*world)
    assert again.pk != request.pk


def test_a_new_contact_applies_only_once_confirmed(world):
    request = factories.register_online(*world)
    confirm_contact(request, request.verification_code)
    change_contact(refreshed(request), email="nouvelle@example.org", phone="")
    request = refreshed(request)
    assert request.email == "personne1@example.org"
    assert request.status == RequestStatus.WAITING  # keeps its place meanwhile
    send_due_messages(NOW)
    (to_new,) = [email for email in mail.outbox if email.to == ["nouvelle@example.org"]]
    assert request.verification_code in to_new.body
    assert confirm_contact(request, request.verification_code)
    request = refreshed(request)
    assert (request.email, request.pending_email) == ("nouvelle@example.org", "")
    assert request.events.filter(kind=EventKind.CONTACT_CHANGED).exists()


def test_the_link_is_resent_only_to_the_registered_contact(world):
    request = factories.register_online(*world)
    assert not resend_access_link(request.number, "intrus@example.org")
    assert not resend_access_link("94-XXXX-XXXX", request.email)
    assert resend_access_link(request.number.lower(), request.email.upper())
    assert list(request.messages.filter(template="access_link").values_list("to", flat=True)) == [
        request.email
    ]


def test_a_mistyped_contact_can_be_corrected_before_the_first_confirmation(world):
    request = factories.register_online(*world, email="personne1@exmaple.org")
    change_contact(request, email="personne1@example.org", phone="")
    request = refreshed(request)
    send_due_messages(NOW)
    (to_right,) = [email for email in mail.outbox if email.to == ["personne1@example.org"]]
    assert request.verification_code in to_right.body

    assert confirm_contact(request, request.verification_code)
    request = refreshed(request)
    assert request.status == RequestStatus.WAITING
    assert (request.email, request.pending_email) == ("personne1@example.org", "")


def test_the_message_carries_a_one_tap_confirmation_link(world):
    request = factories.register_online(*world)
    send_due_messages(NOW)
    path = f"/demande/{request.access_token}/confirmer/{request.verification_code}/"
    assert path in mail.outbox[0].body
