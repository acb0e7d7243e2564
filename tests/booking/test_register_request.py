"""Registration: one place in line per person, a deadline that follows the service's rule."""

import datetime
import re

import pytest
import time_machine

from guichet.booking.enums import Channel, EventKind, RequestStatus
from guichet.booking.models import Request
from guichet.booking.services import register_request
from guichet.catalogue.enums import ServiceKind
from tests import factories
from tests.factories import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def prefecture():
    return factories.make_prefecture()


@pytest.fixture
def site(prefecture):
    return factories.make_site(prefecture)


@time_machine.travel(NOW, tick=False)
def test_a_request_is_registered_with_a_number_and_the_time(prefecture, site):
    service = factories.make_service(prefecture)
    request, created = register_request(
        service=service, applicant=factories.applicant(1), sites=[site]
    )
    assert created
    assert re.fullmatch(r"94-[0-9A-Z]{4}-[0-9A-Z]{4}", request.number)
    assert request.registered_at == NOW
    # Registered on the web: it enters allocation once the person confirms their contact.
    assert request.status == RequestStatus.UNVERIFIED
    assert list(request.sites.all()) == [site]
    assert [event.kind for event in request.events.all()] == [EventKind.REGISTERED]


@time_machine.travel(NOW, tick=False)
def test_deadline_is_the_target_wait_without_a_legal_deadline(prefecture, site):
    service = factories.make_service(prefecture, ServiceKind.FIRST_PERMIT, target_wait_days=45)
    request, _ = register_request(service=service, applicant=factories.applicant(1), sites=[site])
    assert request.deadline == datetime.date(2026, 11, 23) + datetime.timedelta(days=45)


@time_machine.travel(NOW, tick=False)
def test_deadline_of_a_renewal_is_the_permit_expiry(prefecture, site):
    service = factories.make_service(prefecture, ServiceKind.RENEWAL)
    expiry = datetime.date(2027, 2, 10)
    person = factories.applicant(1, permit_number="9912345678", permit_expires_on=expiry)
    request, _ = register_request(service=service, applicant=person, sites=[site])
    assert request.deadline == expiry


@time_machine.travel(datetime.datetime(2026, 11, 23, 22, 30, tzinfo=datetime.UTC), tick=False)
def test_registration_day_is_the_prefecture_local_day():
    """22:30 UTC is already the next day in La Réunion (UTC+4)."""
    reunion = factories.make_prefecture("974", "La Réunion", "Indian/Reunion")
    service = factories.make_service(reunion, target_wait_days=10)
    request, _ = register_request(
        service=service, applicant=factories.applicant(1), sites=[factories.make_site(reunion)]
    )
    assert request.deadline == datetime.date(2026, 11, 24) + datetime.timedelta(days=10)


def test_a_second_registration_by_an_agent_returns_the_request_in_the_queue(prefecture, site):
    """A web submission no longer returns the identity's request (docs/decisions/0004): only
    agents, who check papers, are given it."""
    service = factories.make_service(prefecture)
    first = factories.register_at_counter(service, site, 1)
    again, created_again = register_request(
        service=service,
        applicant=factories.applicant(1, family_name="  DIALLÖ1 ", email="autre@example.org"),
        sites=[site],
        channel=Channel.PHONE,
    )
    assert not created_again
    assert again.pk == first.pk and again.number == first.number
    assert Request.objects.count() == 1
    assert EventKind.DUPLICATE_SUBMISSION in {event.kind for event in first.events.all()}


def test_the_same_person_cannot_hold_two_places_in_one_service_group(prefecture, site):
    """First permit and regularisation are both « séjour », both by passport: one line for both.

    (A renewal identifies people by their permit number: docs/decisions/0004 says why the same
    person's passport request and permit request are told apart, and how agents merge them.)"""
    first_permit = factories.make_service(prefecture, ServiceKind.FIRST_PERMIT)
    regularisation = factories.make_service(prefecture, ServiceKind.REGULARISATION)
    first = factories.register_at_counter(first_permit, site, 1)
    again, created = register_request(
        service=regularisation,
        applicant=factories.applicant(1),
        sites=[site],
        channel=Channel.COUNTER,
    )
    assert not created and again.pk == first.pk


def test_another_group_or_a_closed_request_allows_a_new_one(prefecture, site):
    first_permit = factories.make_service(prefecture, ServiceKind.FIRST_PERMIT)
    naturalisation = factories.make_service(prefecture, ServiceKind.NATURALISATION)
    first, _ = register_request(
        service=first_permit, applicant=factories.applicant(1), sites=[site]
    )
    other, created = register_request(
        service=naturalisation, applicant=factories.applicant(1), sites=[site]
    )
    assert created and other.pk != first.pk

    Request.objects.filter(pk=first.pk).update(status=RequestStatus.ATTENDED)
    new, created = register_request(
        service=first_permit, applicant=factories.applicant(1), sites=[site]
    )
    assert created and new.pk not in {first.pk, other.pk}


def test_other_people_get_their_own_requests(prefecture, site):
    service = factories.make_service(prefecture)
    numbers = {
        register_request(service=service, applicant=factories.applicant(n), sites=[site])[0].number
        for n in range(5)
    }
    assert len(numbers) == 5
