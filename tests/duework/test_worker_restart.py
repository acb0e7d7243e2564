"""A worker killed in the middle of a cascade: on restart, nothing is sent twice, no offer lost."""

import collections
import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail

from guichet.booking.enums import OfferStatus
from guichet.booking.models import Offer
from guichet.booking.services import cancel_request
from guichet.notifications import services as notifications
from guichet.notifications.enums import MessageStatus
from guichet.notifications.models import Message
from tests import factories
from tests.duework import due_work_at
from tests.factories import NOW

pytestmark = pytest.mark.django_db

FIRST_UNIT = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)


class WorkerKilled(BaseException):
    """Like SIGKILL: not an Exception, so nothing in the job catches it."""


def killed_after(deliveries: int):
    real = notifications.deliver
    calls = {"n": 0}

    def deliver(message):
        calls["n"] += 1
        if calls["n"] > deliveries:
            raise WorkerKilled
        real(message)

    return mock.patch.object(notifications, "deliver", deliver)


def test_restarting_the_worker_mid_cascade_sends_nothing_twice_and_loses_no_offer():
    with time_machine.travel(NOW, tick=False):
        prefecture = factories.make_prefecture()
        site = factories.make_site(prefecture)
        service = factories.make_service(prefecture)
        factories.make_units(site, service, FIRST_UNIT, 3)
        people = [factories.register_at_counter(service, site, n) for n in range(3)]
    due_work_at(NOW)
    first = min(people, key=lambda p: p.appointment.unit.starts_at)
    sent_before = len(mail.outbox)

    t1 = NOW + datetime.timedelta(hours=1)
    with time_machine.travel(t1, tick=False):
        cancel_request(first, now=t1)
    offer = Offer.objects.get(status=OfferStatus.PENDING)
    queued = Message.objects.filter(status=MessageStatus.QUEUED).count()
    assert queued == 2  # the cancellation and the offer

    # The worker dies while sending the second message of the run.
    with killed_after(1), pytest.raises(WorkerKilled):
        due_work_at(t1)
    assert len(mail.outbox) == sent_before + 1

    # Restarted at once: the interrupted message is not resent blindly, the rest goes out.
    due_work_at(t1 + datetime.timedelta(minutes=1))
    # Later, the interrupted one is marked uncertain (for an agent to check), never sent twice.
    due_work_at(t1 + datetime.timedelta(minutes=30))
    statuses = collections.Counter(Message.objects.values_list("status", flat=True))
    assert statuses[MessageStatus.UNCERTAIN] == 1
    assert statuses[MessageStatus.QUEUED] == 0

    # The offer survived the crash; when it expires the cascade goes on to the next person.
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    due_work_at(offer.expires_at + datetime.timedelta(minutes=1))
    due_work_at(offer.expires_at + datetime.timedelta(minutes=2))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert Offer.objects.filter(status=OfferStatus.PENDING, unit=offer.unit).count() == 1

    sent = collections.Counter((email.to[0], email.subject, email.body) for email in mail.outbox)
    assert max(sent.values()) == 1
    assert len(mail.outbox) == Message.objects.filter(status=MessageStatus.SENT).count()
