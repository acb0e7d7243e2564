"""An agent registers a request on someone's behalf: same rules as the web, verified at once,
in the queue, a receipt to print, a journal line; only for the agent's own préfecture."""

import datetime

import pytest
from django.urls import reverse

from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import Channel, RequestStatus
from guichet.booking.models import Request
from guichet.booking.services import waiting_rank
from guichet.catalogue.enums import ServiceKind
from guichet.notifications.models import Message
from tests import factories

URL = reverse("backoffice:registration")


# Fixtures log in and build at NOW too: a session opened on another day would have expired.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def world():
    prefecture = factories.make_prefecture()
    site = factories.make_site(prefecture)
    other_site = factories.make_site(prefecture, name="Sous-préfecture de Nogent")
    service = factories.make_service(prefecture)
    renewal = factories.make_service(prefecture, ServiceKind.RENEWAL)
    return prefecture, [site, other_site], service, renewal


@pytest.fixture
def agent_client(client, world):
    user = factories.make_agent(world[0])
    factories.log_in_agent(client, user)
    client.user = user
    return client


def person(sites, **fields):
    data = {
        "channel": Channel.PHONE,
        "family_name": "Ndiaye",
        "given_names": "Awa",
        "birth_date": "14/07/1990",
        "nationality": "sénégalaise",
        "passport_number": "12AB34567",
        "email": "",
        "phone": "06 12 34 56 78",
        "sites": [str(site.pk) for site in sites],
    }
    data.update(fields)
    return data


def post(client, service, data):
    return client.post(f"{URL}?motif={service.pk}", data)


def test_a_phone_registration_is_verified_queued_journalled_and_printable(agent_client, world):
    prefecture, sites, service, _renewal = world
    ahead = factories.register_at_counter(service, sites[0], 1)

    response = post(agent_client, service, person(sites))

    registered = Request.objects.get(family_name="Ndiaye")
    assert response.status_code == 302
    assert response.url == reverse("backoffice:registration_receipt", args=[registered.pk])
    assert registered.channel == Channel.PHONE
    assert registered.status == RequestStatus.WAITING
    assert registered.contact_verified_at is not None
    assert registered.phone == "+33612345678"
    assert set(registered.sites.all()) == set(sites)
    assert waiting_rank(registered) == (0, 1) and waiting_rank(ahead) == (0, 1)
    entry = JournalEntry.objects.get(request=registered)
    assert (entry.user, entry.prefecture, entry.action) == (
        agent_client.user,
        prefecture,
        "request_registered",
    )
    assert entry.detail == {"channel": Channel.PHONE}
    # The person is told at once, on the contact they gave; no confirmation code is asked.
    assert list(Message.objects.filter(request=registered).values_list("template", flat=True)) == [
        "request_registered"
    ]

    page = agent_client.get(response.url)
    text = page.content.decode()
    assert registered.number in text
    assert reverse("booking:receipt_pdf", args=[registered.access_token]) in text
    assert "NDIAYE Awa" in text
    assert "Téléphone" in text
    pdf = agent_client.get(reverse("booking:receipt_pdf", args=[registered.access_token]))
    assert pdf["Content-Type"] == "application/pdf"


def test_the_agent_records_the_persons_language_for_their_messages(agent_client, world):
    _prefecture, sites, service, _renewal = world
    form = agent_client.get(URL, {"motif": service.pk}).content.decode()
    assert '<option value="ar">Arabe — العربية</option>' in form

    post(agent_client, service, person(sites, language="ar"))

    registered = Request.objects.get(family_name="Ndiaye")
    assert registered.language == "ar"
    assert set(registered.messages.values_list("language", flat=True)) == {"ar"}


def test_a_person_without_contact_is_registered_and_the_receipt_must_be_handed(agent_client, world):
    _prefecture, sites, service, _renewal = world
    response = post(agent_client, service, person(sites, channel=Channel.POST, email="", phone=""))

    registered = Request.objects.get()
    assert registered.channel == Channel.POST and registered.status == RequestStatus.WAITING
    assert not Message.objects.filter(request=registered).exists()
    page = agent_client.get(response.url).content.decode()
    assert "la personne ne recevra aucun message" in page


def test_the_public_rules_apply_with_their_french_messages(agent_client, world):
    _prefecture, sites, _service, renewal = world
    page = agent_client.get(f"{URL}?motif={renewal.pk}").content.decode()
    assert 'name="permit_number"' in page and 'name="permit_expires_on"' in page

    response = post(
        agent_client,
        renewal,
        person(
            sites,
            family_name=" ",
            permit_number="12345",
            permit_expires_on="01/01/2020",
            email="pas-une-adresse",
        ),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"family_name", "permit_number", "permit_expires_on", "email"}
    assert "exactement 10 chiffres" in form.errors["permit_number"][0]
    assert "déjà passée" in form.errors["permit_expires_on"][0]
    assert response.context["title"].startswith("Erreur")
    assert not Request.objects.exists()
    assert not JournalEntry.objects.exists()


def test_a_renewal_takes_the_permit_expiry_as_deadline(agent_client, world):
    _prefecture, sites, _service, renewal = world
    post(
        agent_client,
        renewal,
        person(sites, permit_number="0123456789", permit_expires_on="2027-02-10"),
    )
    registered = Request.objects.get()
    assert (registered.permit_number, registered.deadline) == (
        "0123456789",
        datetime.date(2027, 2, 10),
    )


def test_the_same_person_again_shows_their_request(agent_client, world):
    _prefecture, sites, service, _renewal = world
    first = post(agent_client, service, person(sites))
    again = post(agent_client, service, person(sites, channel=Channel.COUNTER, phone=""))

    assert Request.objects.count() == 1
    assert again.url == first.url
    assert list(JournalEntry.objects.values_list("action", flat=True)) == [
        "duplicate_registration",
        "request_registered",
    ]
    page = agent_client.get(again.url).content.decode()
    assert "déjà une demande active" in page


def test_a_request_of_another_prefecture_is_not_shown(agent_client, world):
    _prefecture, sites, service, _renewal = world
    herault = factories.make_prefecture("34", "Hérault")
    theirs = factories.register_at_counter(
        factories.make_service(herault),
        factories.make_site(herault),
        1,
        family_name="Ndiaye",
        given_names="Awa",
        birth_date=datetime.date(1990, 7, 14),
        passport_number="12AB34567",
    )

    response = post(agent_client, service, person(sites))

    assert response.status_code == 200
    assert "autre préfecture" in response.content.decode()
    assert theirs.number not in response.content.decode()
    assert Request.objects.count() == 1
    assert JournalEntry.objects.get().action == "duplicate_registration_elsewhere"


def test_an_agent_of_another_prefecture_is_refused(client, world):
    _prefecture, sites, service, _renewal = world
    registered = factories.register_at_counter(service, sites[0], 1)
    factories.log_in_agent(client, factories.make_agent(factories.make_prefecture("34", "Hérault")))

    receipt = client.get(reverse("backoffice:registration_receipt", args=[registered.pk]))
    chooser = client.get(f"{URL}?motif={service.pk}")
    posted = post(client, service, person(sites))

    assert receipt.status_code == 403
    assert "form" not in chooser.context and chooser.context["choice"].errors
    assert posted.status_code == 200 and Request.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login(client, world):
    registered_url = reverse("backoffice:registration_receipt", args=[1])
    for url in (URL, registered_url):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("backoffice:login"))
