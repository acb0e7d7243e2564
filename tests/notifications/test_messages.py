"""Messages: once per event, in the person's language, retried with back-off, never lost."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from guichet.booking.services import allocate_service, set_preferences
from guichet.notifications import services as notifications
from guichet.notifications.enums import MessageChannel, MessageStatus
from guichet.notifications.models import Message
from tests import factories
from tests.factories import NOW

# Messages are recorded and sent at NOW unless a test travels on.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def person(clock, world):
    _prefecture, site, service = world
    return factories.register_at_counter(service, site, 1, phone="+33612345678")


def test_one_message_per_event_and_channel(person, _sms_outbox):
    assert {(m.channel, m.template) for m in person.messages.all()} == {
        (MessageChannel.EMAIL, "request_registered"),
        (MessageChannel.SMS, "request_registered"),
    }
    notifications.notify(person, "request_registered", event_key=f"registered:{person.pk}")
    assert person.messages.count() == 2

    assert notifications.send_due_messages(NOW) == 2
    assert notifications.send_due_messages(NOW) == 0
    assert len(mail.outbox) == 1 and len(_sms_outbox) == 1
    assert person.number in mail.outbox[0].subject
    assert notifications.secret_link(person) in mail.outbox[0].body
    assert notifications.secret_link(person) in _sms_outbox[0]["body"]


def test_a_second_notification_of_an_event_queues_nothing_and_says_so(person):
    queued = notifications.notify(person, "access_link", event_key="link:again")
    assert sorted(m.channel for m in queued) == [MessageChannel.EMAIL, MessageChannel.SMS]
    assert {m.pk for m in queued} == set(
        person.messages.filter(key__startswith="link:again:").values_list("pk", flat=True)
    )

    assert notifications.notify(person, "access_link", event_key="link:again") == []
    assert person.messages.filter(key__startswith="link:again:").count() == 2


def test_a_message_queued_meanwhile_is_kept_and_the_transaction_goes_on(person):
    """`fresh` skips the lookup, as a job racing another misses the row not yet committed:
    the unique key keeps the first message, and the caller's transaction stays usable."""
    person.messages.filter(channel=MessageChannel.SMS).delete()
    email = person.messages.get()

    with transaction.atomic():
        queued = notifications.notify(
            person, "request_registered", event_key=f"registered:{person.pk}", fresh=True
        )
        assert [(m.channel, m.to) for m in queued] == [(MessageChannel.SMS, person.phone)]
        assert person.messages.count() == 2

    assert person.messages.get(channel=MessageChannel.EMAIL) == email
    assert queued[0] == person.messages.get(channel=MessageChannel.SMS)


def test_messages_follow_the_chosen_language(person):
    set_preferences(person, accepts_offers=True, language="en")
    person.refresh_from_db()
    notifications.notify(person, "access_link", event_key="link:test")
    notifications.send_due_messages(NOW)
    subjects = [email.subject for email in mail.outbox]
    assert f"Demande de rendez-vous {person.number} enregistrée" in subjects
    assert f"Your link, request {person.number}" in subjects


def test_a_failed_send_is_retried_with_back_off_then_sent_once(person):
    Message.objects.filter(channel=MessageChannel.SMS).delete()
    message = person.messages.get()
    real = notifications.deliver
    failures = iter([ConnectionError("smtp down"), ConnectionError("smtp down")])

    def flaky(m):
        error = next(failures, None)
        if error:
            raise error
        real(m)

    with mock.patch.object(notifications, "deliver", flaky):
        assert notifications.send_due_messages(NOW) == 0
        message.refresh_from_db()
        assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
        assert message.next_attempt_at == NOW + datetime.timedelta(minutes=1)
        assert "smtp down" in message.last_error
        # Not due before its retry time.
        assert notifications.send_due_messages(NOW + datetime.timedelta(seconds=30)) == 0
        assert notifications.send_due_messages(NOW + datetime.timedelta(minutes=1)) == 0
        message.refresh_from_db()
        assert message.next_attempt_at == NOW + datetime.timedelta(minutes=3)
        assert notifications.send_due_messages(NOW + datetime.timedelta(minutes=3)) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 3)
    assert len(mail.outbox) == 1


def test_a_message_that_keeps_failing_is_kept_as_failed_not_dropped(person):
    with mock.patch.object(notifications, "deliver", side_effect=ConnectionError("down")):
        now = NOW
        for _ in range(notifications.MAX_ATTEMPTS):
            notifications.send_due_messages(now)
            now += datetime.timedelta(hours=7)
    assert set(person.messages.values_list("status", flat=True)) == {MessageStatus.FAILED}
    assert set(person.messages.values_list("attempts", flat=True)) == {notifications.MAX_ATTEMPTS}


def test_appointment_messages_carry_the_calendar_invitation():
    with time_machine.travel(NOW, tick=False):
        prefecture = factories.make_prefecture()
        site = factories.make_site(prefecture)
        service = factories.make_service(prefecture)
        factories.make_units(site, service, NOW + datetime.timedelta(days=5), 1)
        person = factories.register_at_counter(service, site, 1)
        allocate_service(service, seed=1)
        notifications.send_due_messages(NOW)
    (dated,) = [email for email in mail.outbox if email.subject.startswith("Votre rendez-vous")]
    ((name, content, mimetype),) = dated.attachments
    assert (name, mimetype) == ("rendez-vous.ics", "text/calendar")
    assert "BEGIN:VEVENT" in content and person.number in content
