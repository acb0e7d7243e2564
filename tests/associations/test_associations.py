"""A member of an accredited organisation files a request for a person under a mandate: the
public rules, channel « association », the person still told at their own contact."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from guichet.associations.enums import MandateEventKind, MandateScope
from guichet.associations.models import Mandate, MandateEvent, Organisation
from guichet.booking.enums import Channel, RequestStatus
from guichet.booking.models import Request
from guichet.notifications.models import Message
from tests import factories

FILE_URL = reverse("associations:file")


# Fixtures log in and build at NOW too: a session opened on another day would have expired.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def log_in_member(client, user):
    """Password and TOTP done: the same session as an agent's."""
    return factories.log_in_agent(client, user)


@pytest.fixture
def member_client(client, world):
    organisation = factories.make_organisation(world[0])
    client.user = factories.make_member(organisation)
    client.organisation = organisation
    return log_in_member(client, client.user)


def filing(site, **fields):
    data = {
        "family_name": "Ndiaye",
        "given_names": "Awa",
        "birth_date": "14/07/1990",
        "nationality": "sénégalaise",
        "passport_number": "12AB34567",
        "email": "awa@example.org",
        "phone": "",
        "sites": [str(site.pk)],
        "scope": MandateScope.FILE_AND_FOLLOW,
        "consent": "signed_form",
        "ends_on": "2027-05-31",
    }
    data.update(fields)
    return data


def file(client, service, data):
    return client.post(f"{FILE_URL}?motif={service.pk}", data)


def test_a_member_files_for_a_person_under_a_mandate(member_client, world):
    _prefecture, site, service = world

    response = file(member_client, service, filing(site))

    registered = Request.objects.get()
    assert response.url == reverse("associations:person", args=[registered.pk])
    assert registered.channel == Channel.ASSOCIATION
    assert registered.status == RequestStatus.WAITING
    mandate = Mandate.objects.get()
    assert (mandate.organisation, mandate.request, mandate.granted_by) == (
        member_client.organisation,
        registered,
        member_client.user,
    )
    assert (mandate.person_name, mandate.ends_on) == ("Awa NDIAYE", datetime.date(2027, 5, 31))
    assert list(MandateEvent.objects.values_list("kind", "user")) == [
        (MandateEventKind.GRANTED, member_client.user.pk)
    ]
    # The person, not the association, receives the messages.
    assert list(Message.objects.values_list("to", flat=True)) == ["awa@example.org"]
    page = member_client.get(response.url).content.decode()
    assert registered.number in page and "Awa NDIAYE" in page
    pdf = member_client.get(reverse("associations:receipt_pdf", args=[registered.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_the_public_rules_and_the_mandate_length_are_checked(member_client, world):
    _prefecture, site, service = world

    response = file(
        member_client, service, filing(site, family_name="", ends_on="2028-01-01", consent="")
    )

    assert set(response.context["form"].errors) == {"family_name", "ends_on", "consent"}
    assert "un an au plus" in response.context["form"].errors["ends_on"][0]
    assert not Request.objects.exists() and not Mandate.objects.exists()


def test_a_person_who_already_has_a_request_gets_no_second_one_and_no_mandate(member_client, world):
    _prefecture, site, service = world
    existing = factories.register_at_counter(
        service,
        site,
        1,
        family_name="Ndiaye",
        given_names="Awa",
        birth_date=datetime.date(1990, 7, 14),
        passport_number="12AB34567",
        email="ancienne@example.org",
    )

    response = file(member_client, service, filing(site))
    file(member_client, service, filing(site))

    assert response.status_code == 200
    assert existing.number not in response.content.decode()
    assert Request.objects.count() == 1 and not Mandate.objects.exists()
    # The holder is told at their own contact, with their link, once a day however many
    # filings come (booking/duplicates.py): no longer a new access-link message each time.
    told = Message.objects.filter(to="ancienne@example.org", template="identity_used")
    assert told.count() == 1 and existing.access_token in told.get().body


def test_only_the_organisations_prefectures_and_only_while_accredited(member_client, world):
    _prefecture, site, service = world
    herault = factories.make_prefecture("34", "Hérault")
    elsewhere = factories.make_service(herault)

    refused = file(member_client, elsewhere, filing(factories.make_site(herault)))
    assert "form" not in refused.context and refused.context["choice"].errors

    Organisation.objects.update(accredited_until=datetime.date(2026, 11, 22))
    lapsed = file(member_client, service, filing(site))
    assert "form" not in lapsed.context
    assert "habilitation de votre organisation" in lapsed.content.decode()
    assert not Request.objects.exists()


def test_members_need_the_second_factor_and_others_are_refused(client, world):
    organisation = factories.make_organisation(world[0])
    anonymous = client.get(FILE_URL)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("backoffice:login"))

    client.force_login(factories.make_member(organisation))
    # The code first, then back to the page asked for.
    assert (
        client.get(FILE_URL).url
        == f"{reverse('backoffice:second_factor')}?next=%2Fassociation%2Fdeposer%2F"
    )

    client.force_login(get_user_model().objects.create_user("quelqu-un"))
    assert client.get(FILE_URL).status_code == 403

    agent = factories.make_agent(world[0])
    factories.log_in_agent(client, agent)
    assert client.get(reverse("associations:people")).status_code == 403
