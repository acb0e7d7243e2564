"""Proactive renewals: invited once, on the day the 120-day window opens, by the daily job."""

import datetime

import pytest
import time_machine

from guichet.booking.enums import Channel, RequestStatus
from guichet.booking.models import Request
from guichet.duework.jobs import run_due_work
from guichet.notifications.models import Message
from guichet.registry.imports import import_permits
from guichet.registry.models import PermitRecord
from tests import factories
from tests.registry.test_registry_import import permit_row, permits_csv

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
EXPIRES = TODAY + datetime.timedelta(days=150)  # the window opens in 30 days


def morning(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(7, 0), tzinfo=datetime.UTC)


def invitations():
    return Request.objects.filter(channel=Channel.INVITATION)


def test_invited_on_the_day_the_window_opens_and_only_once(prefecture, manager):
    with time_machine.travel(morning(TODAY), tick=False):
        batch = import_permits(prefecture, permits_csv([permit_row(1, EXPIRES)]), manager)
    assert batch.invited == 0

    for day in (TODAY + datetime.timedelta(days=29), TODAY + datetime.timedelta(days=30)):
        with time_machine.travel(morning(day), tick=False):
            run_due_work(morning(day))
    with time_machine.travel(morning(TODAY + datetime.timedelta(days=31)), tick=False):
        run_due_work()
        run_due_work()

    invited = invitations().get()
    assert invited.registered_at.date() == TODAY + datetime.timedelta(days=30)
    assert (invited.status, invited.deadline) == (RequestStatus.WAITING, EXPIRES)
    assert set(invited.sites.values_list("name", flat=True)) == set(
        prefecture.sites.values_list("name", flat=True)
    )
    assert PermitRecord.objects.get().invited_request == invited
    emails = Message.objects.filter(template="renewal_invitation")
    assert emails.count() == 1
    assert invited.number in emails.get().body
    assert EXPIRES.strftime("%Y") in emails.get().subject + emails.get().body


def test_someone_already_in_line_is_linked_not_invited_twice(prefecture, manager):
    with time_machine.travel(morning(TODAY), tick=False):
        row = permit_row(1, TODAY + datetime.timedelta(days=100))
        own = factories.register_at_counter(
            prefecture.services.get(),
            prefecture.sites.first(),
            1,
            family_name=row["family_name"],
            given_names=row["given_names"],
            birth_date=datetime.date.fromisoformat(row["birth_date"]),
            permit_number=row["permit_number"],
            permit_expires_on=TODAY + datetime.timedelta(days=100),
        )
        import_permits(prefecture, permits_csv([row]), manager)

    assert not invitations().exists()
    assert PermitRecord.objects.get().invited_request == own
    assert not Message.objects.filter(template="renewal_invitation").exists()


def test_a_renewed_permit_is_invited_again_when_its_new_window_opens(prefecture, manager):
    first_expiry = TODAY + datetime.timedelta(days=100)
    with time_machine.travel(morning(TODAY), tick=False):
        import_permits(prefecture, permits_csv([permit_row(1, first_expiry)]), manager)
        Request.objects.filter(channel=Channel.INVITATION).update(status=RequestStatus.ATTENDED)
    renewed = first_expiry + datetime.timedelta(days=365)
    later = renewed - datetime.timedelta(days=120)
    with time_machine.travel(morning(later), tick=False):
        import_permits(prefecture, permits_csv([permit_row(1, renewed)]), manager)

    assert sorted(invitations().values_list("deadline", flat=True)) == [first_expiry, renewed]


def test_permits_without_contact_or_already_expired_are_not_invited(prefecture, manager):
    rows = [
        permit_row(1, TODAY + datetime.timedelta(days=90), email="", phone=""),
        permit_row(2, TODAY),
        permit_row(3, TODAY + datetime.timedelta(days=90), email="", phone="0612345678"),
    ]
    with time_machine.travel(morning(TODAY), tick=False):
        batch = import_permits(prefecture, permits_csv(rows), manager)

    assert batch.invited == 1
    assert invitations().get().phone == "+33612345678"
