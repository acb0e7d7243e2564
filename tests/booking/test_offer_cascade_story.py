"""Issue 3's story: a cancellation frees a unit, which goes down the queue one offer at a time."""

import collections
import datetime

import pytest
import time_machine
from django.core import mail

from guichet.booking import offers
from guichet.booking.enums import LossReason, OfferStatus, RequestStatus
from guichet.booking.models import Appointment, LostUnit, Offer
from guichet.booking.services import cancel_request
from guichet.catalogue.enums import ServiceKind
from guichet.catalogue.models import Unit
from guichet.duework.jobs import run_due_work
from guichet.notifications.enums import MessageStatus
from guichet.notifications.models import Message
from tests import factories
from tests.factories import NOW

pytestmark = pytest.mark.django_db

FIRST_UNIT = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)


def at(moment):
    return time_machine.travel(moment, tick=False)


def work(now, times=2):
    """The worker's run, replayed: a second run at the same time must change nothing."""
    for _ in range(times):
        with at(now):
            run_due_work(now)


def start_of(person):
    return Appointment.objects.get(request=person).unit


def offer_to(person):
    return Offer.objects.get(request=person, status=OfferStatus.PENDING)


def test_a_cancellation_cascades_down_the_queue(_sms_outbox):
    with at(NOW):
        prefecture = factories.make_prefecture()
        site = factories.make_site(prefecture)
        renewal = factories.make_service(prefecture, ServiceKind.RENEWAL)
        u1, u2, u3, u4 = factories.make_units(site, renewal, FIRST_UNIT, 4)
        # Deadlines in the order A, B, C, D; registration in the reverse order.
        a, b, c, d = [
            factories.register_at_counter(
                renewal,
                site,
                n,
                permit_number=f"{n}" * 10,
                permit_expires_on=datetime.date(2027, 2, 1) + datetime.timedelta(days=n),
            )
            for n in (4, 3, 2, 1)
        ][::-1]
    work(NOW)
    assert [start_of(person) for person in (a, b, c, d)] == [u1, u2, u3, u4]

    t1 = NOW + datetime.timedelta(hours=1)
    with at(t1):
        cancel_request(a, now=t1)
    # B is first in priority among those with a later date: one offer, 24 h to answer.
    offer_b = offer_to(b)
    assert offer_b.unit == u1 and offer_b.expires_at == t1 + datetime.timedelta(hours=24)
    assert not Offer.objects.filter(request__in=[c, d]).exists()
    work(t1)

    t2 = t1 + datetime.timedelta(hours=1)
    with at(t2):
        assert offers.accept_offer(offer_b, now=t2)
    assert start_of(b) == u1
    offer_c = offer_to(c)
    assert offer_c.unit == u2
    work(t2)

    # C lets the offer expire: D, next in line, is offered u2 and accepts.
    t3 = offer_c.expires_at + datetime.timedelta(minutes=1)
    work(t3)
    offer_c.refresh_from_db()
    assert offer_c.status == OfferStatus.EXPIRED
    assert start_of(c) == u3  # C keeps the date they had
    offer_d = offer_to(d)
    assert offer_d.unit == u2
    t4 = t3 + datetime.timedelta(hours=1)
    with at(t4):
        assert offers.accept_offer(offer_d, now=t4)
    assert start_of(d) == u2
    # u4 is later than everyone's date: nobody to offer it to.
    assert not Offer.objects.filter(unit=u4).exists()

    # Reminders go out 48 h before; after the appointments, the unused unit is counted as lost.
    work(FIRST_UNIT - datetime.timedelta(hours=47))
    work(FIRST_UNIT + datetime.timedelta(hours=2))

    used = Appointment.objects.count()
    lost = LostUnit.objects.count()
    assert (used, lost) == (3, 1)
    assert used + lost == Unit.objects.count()
    assert LostUnit.objects.get().unit == u4
    assert LostUnit.objects.get().reason == LossReason.NOBODY_WAITING
    assert a.__class__.objects.get(pk=a.pk).status == RequestStatus.CANCELLED

    # Every message was sent, each exactly once, by e-mail (all four gave an address).
    assert not Message.objects.exclude(status=MessageStatus.SENT).exists()
    assert len(mail.outbox) == Message.objects.count()
    sent = collections.Counter((email.to[0], email.subject, email.body) for email in mail.outbox)
    assert max(sent.values()) == 1
    templates = collections.Counter(
        (message.request_id, message.template) for message in Message.objects.all()
    )
    assert templates[(b.pk, "offer_made")] == 1
    assert templates[(b.pk, "appointment_moved")] == 1
    assert templates[(c.pk, "offer_made")] == 1
    assert templates[(d.pk, "offer_made")] == 1
    assert templates[(d.pk, "appointment_moved")] == 1
    assert templates[(a.pk, "request_cancelled")] == 1
    assert {templates[(p.pk, "appointment_reminder")] for p in (b, c, d)} == {1}
    assert templates[(a.pk, "appointment_reminder")] == 0
