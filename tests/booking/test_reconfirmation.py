"""Services that ask people to confirm their venue: ask, remind once, then release the unit
(the request is paused: tests/booking/test_paused_after_release.py)."""

import datetime

import pytest
import time_machine

from guichet.booking.enums import EventKind, OfferStatus, RequestStatus
from guichet.booking.models import Offer, Request
from guichet.booking.reminders import reconfirm
from guichet.duework.jobs import run_due_work
from tests import factories
from tests.duework import due_work_at
from tests.factories import NOW

pytestmark = pytest.mark.django_db

SLOT = datetime.datetime(2026, 12, 14, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def dated():
    _prefecture, site, service = factories.make_reconfirming_service(SLOT)
    with time_machine.travel(NOW, tick=False):
        people = [factories.register_at_counter(service, site, n) for n in (1, 2)]
        run_due_work(NOW)
    first, second = sorted(
        people, key=lambda p: Request.objects.get(pk=p.pk).appointment.unit.starts_at
    )
    return first, second


def templates_of(person):
    return list(person.messages.order_by("pk").values_list("template", flat=True))


def test_an_unconfirmed_appointment_is_asked_reminded_then_released(dated):
    first, second = dated
    registered_at = first.registered_at
    unit = Request.objects.get(pk=first.pk).appointment.unit

    due_work_at(SLOT - datetime.timedelta(days=8))
    assert "reconfirm_request" not in templates_of(first)
    due_work_at(SLOT - datetime.timedelta(days=7))
    due_work_at(SLOT - datetime.timedelta(days=7, hours=-1))
    assert templates_of(first).count("reconfirm_request") == 1
    due_work_at(SLOT - datetime.timedelta(days=6))
    assert templates_of(first).count("reconfirm_reminder") == 1

    # The second person confirms; the first does not and is released two days after the ask.
    # Their request is paused until they say they still need a date (test_paused_after_release).
    assert reconfirm(second)
    due_work_at(SLOT - datetime.timedelta(days=5))
    first.refresh_from_db()
    assert first.status == RequestStatus.PAUSED
    assert first.registered_at == registered_at
    assert not hasattr(first, "appointment")
    assert first.events.filter(kind=EventKind.RELEASED).count() == 1
    assert templates_of(first).count("appointment_released") == 1
    assert Request.objects.get(pk=second.pk).status == RequestStatus.DATED
    # The released unit is not offered back to the person who let it go.
    assert not Offer.objects.filter(unit=unit, request=first).exists()
    assert not Offer.objects.filter(status=OfferStatus.PENDING).exclude(unit=unit).exists()


def test_a_confirmed_appointment_is_kept(dated):
    first, _ = dated
    due_work_at(SLOT - datetime.timedelta(days=7))
    assert reconfirm(first)
    assert not reconfirm(first)  # once is enough
    due_work_at(SLOT - datetime.timedelta(days=4))
    first.refresh_from_db()
    assert first.status == RequestStatus.DATED
    assert "reconfirm_reminder" not in templates_of(first)


def test_a_date_given_three_days_ahead_leaves_two_days_to_answer():
    """Asked at once (the date falls inside the seven days), released only two days later."""
    late_slot = NOW + datetime.timedelta(days=3)
    prefecture, site, service = factories.make_reconfirming_service(late_slot, units=1)
    with time_machine.travel(NOW, tick=False):
        prefecture.min_lead_days = 1
        prefecture.save()
        person = factories.register_at_counter(service, site, 1)
        run_due_work(NOW)
    person.refresh_from_db()
    assert person.status == RequestStatus.DATED

    due_work_at(NOW + datetime.timedelta(hours=1))
    assert templates_of(person).count("reconfirm_request") == 1
    assert not person.events.filter(kind=EventKind.RELEASED).exists()  # asked, not released
    assert "appointment_released" not in templates_of(person)
    due_work_at(NOW + datetime.timedelta(days=1, hours=1))
    assert templates_of(person).count("reconfirm_reminder") == 1
    due_work_at(NOW + datetime.timedelta(days=2, hours=1))
    assert person.events.filter(kind=EventKind.RELEASED).count() == 1
    assert templates_of(person).count("appointment_released") == 1
