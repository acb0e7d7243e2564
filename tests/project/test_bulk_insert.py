"""Rows written in bulk (a batch's appointments, history, messages) are stored as a row saved
one by one would be, and a replayed write skips what is already there."""

import pytest

from guichet.booking.enums import EventKind
from guichet.booking.models import RequestEvent
from guichet.bulk import COPY_FROM, insert_rows
from guichet.catalogue.models import Unit
from guichet.notifications.enums import MessageStatus
from guichet.notifications.models import Message
from guichet.notifications.services import UNRENDERED_FIELDS, queue_all, unrendered
from tests import factories
from tests.factories import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    prefecture = factories.make_prefecture()
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture)
    return factories.register_at_counter(service, site, 1, phone="+33612345678")


@pytest.mark.parametrize("count", [1, COPY_FROM + 5])
def test_a_replayed_bulk_queue_adds_nothing_and_keeps_what_was_there(person, count):
    rows = [
        row
        for n in range(count)
        for row in unrendered(
            request_id=person.pk,
            language="xx",  # not a message language: French
            contacts=(person.email, person.phone),
            template="appointment_given",
            event_key=f"dated:{person.pk}:{n}",
            refs={"unit": (Unit, n)},
            calendar="appointment",
            now=NOW,
        )
    ]
    queue_all(rows)
    Message.objects.filter(key=f"dated:{person.pk}:0:email").update(status=MessageStatus.SENT)
    queue_all(rows)

    queued = Message.objects.filter(template="appointment_given")
    assert queued.count() == 2 * count
    email = queued.get(key=f"dated:{person.pk}:0:email")
    sms = queued.get(key=f"dated:{person.pk}:0:sms")
    assert (email.status, email.language, email.to, email.created_at) == (
        MessageStatus.SENT,
        "fr",
        person.email,
        NOW,
    )
    assert email.context == {"refs": {"unit": ["catalogue.unit", 0]}, "calendar": "appointment"}
    assert (sms.status, sms.body, sms.attempts) == (MessageStatus.QUEUED, "", 0)
    assert sms.context == {"refs": {"unit": ["catalogue.unit", 0]}}
    assert len(UNRENDERED_FIELDS) == len(rows[0])


@pytest.mark.parametrize("count", [1, COPY_FROM + 5])
def test_history_rows_written_in_bulk_read_back_as_saved_ones(person, count):
    detail = {"unit": 7, "starts_at": "2026-12-07T08:00:00+00:00", "batch": 3}
    insert_rows(
        RequestEvent,
        ("request_id", "at", "kind", "detail"),
        [(person.pk, NOW, EventKind.DATED.value, detail)] * count,
    )

    events = RequestEvent.objects.filter(kind=EventKind.DATED)
    assert events.count() == count
    assert [(event.request_id, event.at, event.detail) for event in events] == [
        (person.pk, NOW, detail)
    ] * count
    assert events.filter(detail__unit=7).count() == count
