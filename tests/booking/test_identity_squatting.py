"""Knowing a person's name and birth date no longer takes their place: the identity includes the
number of a document they hold (docs/decisions/0004-identity-and-duplicates.md)."""

import datetime

import pytest
from django.urls import reverse

from guichet.booking.enums import RequestStatus
from guichet.booking.models import Request
from guichet.booking.services import confirm_contact
from guichet.catalogue.enums import ServiceKind
from guichet.registry.imports import import_permits
from tests import factories
from tests.registry.test_registry_import import permit_row, permits_csv

# The person of the issue, as the préfecture's registry knows her.
AMINATA = {
    "family_name": "Diallo",
    "given_names": "Aminata",
    "birth_date": "1992-04-17",
    "nationality": "sénégalaise",
}
HER_PERMIT = "9400001992"


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def prefecture():
    prefecture = factories.make_prefecture()
    factories.make_site(prefecture)
    return prefecture


@pytest.fixture
def registry(prefecture):
    """Her permit is in the registry, as every renewal's is where a préfecture imported one."""
    manager = factories.make_agent(prefecture, role="manager")
    row = permit_row(
        1,
        datetime.date(2030, 1, 1),
        permit_number=HER_PERMIT,
        family_name="DIALLO",
        given_names="Aminata",
        birth_date="1992-04-17",
    )
    import_permits(prefecture, permits_csv([row]), manager)


def submit(client, service, **fields):
    """An API submission, its contact then confirmed with the code sent to it."""
    data = {
        "prefecture": service.prefecture.department_code,
        "service": service.pk,
        **AMINATA,
        "permit_expires_on": "2027-01-31",
        "sites": [site.pk for site in service.prefecture.sites.all()],
        **fields,
    }
    response = client.post(reverse("api:create_request"), data, content_type="application/json")
    assert response.status_code == 201, response.content
    request = Request.objects.get(number=response.json()["number"])
    assert confirm_contact(request, request.verification_code)
    request.refresh_from_db()
    return request


def test_a_squatter_with_her_name_and_birth_date_does_not_take_her_renewal_place(
    client, prefecture, registry
):
    renewal = factories.make_service(prefecture, ServiceKind.RENEWAL)
    squatter = submit(client, renewal, permit_number="9412345678", email="squat@example.org")

    hers = submit(client, renewal, permit_number=HER_PERMIT, email="aminata@example.org")

    assert hers.status == RequestStatus.WAITING
    assert hers.duplicate_of is None
    # The squatter's number is not in the registry under her name: an agent checks it first.
    assert squatter.status == RequestStatus.HELD
    status_page = client.get(reverse("booking:status", args=[hers.access_token])).content.decode()
    assert "n'a pas pu entrer dans la file" not in status_page
    assert squatter.number not in status_page
    assert not squatter.messages.filter(to="aminata@example.org").exists()


def test_a_squatter_with_her_name_and_birth_date_does_not_take_her_first_request_place(
    client, prefecture
):
    first_permit = factories.make_service(prefecture, ServiceKind.FIRST_PERMIT)
    squatter = submit(client, first_permit, passport_number="X0000001", email="squat@example.org")

    hers = submit(client, first_permit, passport_number="A12345678", email="aminata@example.org")

    assert (squatter.status, hers.status) == (RequestStatus.WAITING, RequestStatus.WAITING)
    assert hers.identity_key != squatter.identity_key
    # Both carry her name and birth date: agents find them side by side to check papers.
    assert hers.person_key == squatter.person_key


def test_her_passport_typed_another_way_is_still_her_identity(client, prefecture):
    first_permit = factories.make_service(prefecture, ServiceKind.FIRST_PERMIT)
    first = submit(client, first_permit, passport_number="a1234-5678", email="a@example.org")

    again = submit(
        client,
        first_permit,
        family_name="DIALLÔ",
        passport_number=" A1 2345 678 ",
        email="b@example.org",
    )

    assert again.status == RequestStatus.DUPLICATE and again.duplicate_of == first
