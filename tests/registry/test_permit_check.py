"""Renewals give a permit number: one the registry does not know is held for an agent."""

import datetime

import pytest
import time_machine

from guichet.booking.enums import Channel, EventKind, RequestStatus
from guichet.booking.services import allocate_prefecture, confirm_contact, register_request
from guichet.catalogue.enums import ServiceKind
from guichet.notifications.models import Message
from guichet.registry.imports import import_permits
from tests import factories
from tests.registry.test_registry_import import permit_row, permits_csv

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
EXPIRES = datetime.date(2027, 1, 31)


@pytest.fixture
def prefecture():
    return factories.make_prefecture()


@pytest.fixture
def site(prefecture):
    site = factories.make_site(prefecture)
    start = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)
    factories.make_units(site, renewal(prefecture), start, 5)
    return site


def renewal(prefecture):
    return factories.make_service(prefecture, ServiceKind.RENEWAL)


@pytest.fixture
def registry(prefecture):
    """The registry knows permit 9400000001 of Keita1 Moussa, born 2 January 1980."""
    manager = factories.make_agent(prefecture, role="manager")
    far = datetime.date(2030, 1, 1)  # outside the renewal window: no invitation
    import_permits(prefecture, permits_csv([permit_row(1, far)]), manager)


def at_counter(prefecture, site, **fields):
    return factories.register_at_counter(
        renewal(prefecture), site, 1, permit_expires_on=EXPIRES, **fields
    )


KNOWN = {
    "family_name": "KEÏTA1",
    "given_names": "Moussa Ibrahim",
    "birth_date": datetime.date(1980, 1, 2),
    "permit_number": "9400000001",
}


@time_machine.travel(NOW, tick=False)
def test_a_known_number_of_the_same_person_joins_the_queue(prefecture, site, registry):
    request = at_counter(prefecture, site, **KNOWN)

    assert request.status == RequestStatus.WAITING
    allocate_prefecture(prefecture, seed=1)
    request.refresh_from_db()
    assert request.status == RequestStatus.DATED


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "change",
    [{"permit_number": "9499999999"}, {"birth_date": datetime.date(1980, 1, 3)}],
    ids=["unknown number", "number of someone else"],
)
def test_an_unrecognised_number_is_held_not_allocated_and_explained(
    prefecture, site, registry, change
):
    request = at_counter(prefecture, site, **{**KNOWN, **change})

    assert request.status == RequestStatus.HELD
    assert request.get_status_display() == "En attente de vérification par un agent"
    assert request.is_active
    assert request.events.filter(kind=EventKind.HELD).exists()
    message = Message.objects.get(request=request)
    assert message.template == "request_held"
    assert "pas un refus" in message.body and request.number in message.body

    allocate_prefecture(prefecture, seed=1)
    request.refresh_from_db()
    assert request.status == RequestStatus.HELD
    assert not hasattr(request, "appointment")


@time_machine.travel(NOW, tick=False)
def test_a_held_person_keeps_one_place_in_line(prefecture, site, registry):
    held = at_counter(prefecture, site, **{**KNOWN, "permit_number": "9499999999"})

    again = at_counter(prefecture, site, **{**KNOWN, "permit_number": "9499999999"})

    assert again.pk == held.pk


@time_machine.travel(NOW, tick=False)
def test_a_web_request_is_checked_once_its_contact_is_confirmed(prefecture, site, registry):
    request, _ = register_request(
        service=renewal(prefecture),
        applicant=factories.applicant(
            1, **{**KNOWN, "permit_number": "9499999999"}, permit_expires_on=EXPIRES
        ),
        sites=[site],
        channel=Channel.WEB,
    )
    assert request.status == RequestStatus.UNVERIFIED

    assert confirm_contact(request, request.verification_code)

    request.refresh_from_db()
    assert request.status == RequestStatus.HELD


@time_machine.travel(NOW, tick=False)
def test_without_a_registry_no_number_is_checked(prefecture, site):
    request = at_counter(prefecture, site, **{**KNOWN, "permit_number": "9499999999"})

    assert request.status == RequestStatus.WAITING


@time_machine.travel(NOW, tick=False)
def test_services_without_a_permit_number_are_not_checked(prefecture, site, registry):
    first = factories.make_service(prefecture, ServiceKind.FIRST_PERMIT)

    request = factories.register_at_counter(first, site, 7)

    assert request.status == RequestStatus.WAITING
