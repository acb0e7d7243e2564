"""The intake pages, step by step, from /demande/ to the receipt, with the test client."""

import datetime
import html

import pytest
from django.test import Client
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser

from guichet.booking.enums import Channel
from guichet.booking.models import Request
from guichet.booking.services import confirm_contact
from guichet.catalogue.enums import ServiceKind
from tests.factories import make_prefecture, make_service, make_site

TODAY = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)

IDENTITY = {
    "family_name": "  Diallo ",
    "given_names": "Aminata",
    "birth_date": "1990-05-14",
    "nationality": "sénégalaise",
    "passport_number": "12ab 34567",
}


pytestmark = [pytest.mark.django_db, pytest.mark.clock(TODAY)]


@pytest.fixture
def prefecture():
    prefecture = make_prefecture()
    make_site(prefecture, "Préfecture")
    make_site(prefecture, "Sous-préfecture de Nogent")
    return prefecture


def step_url(slug):
    return reverse("booking:step", args=[slug])


def fill_through_contact(client, prefecture, service, identity=None, contact=None):
    """Post the steps up to the contact; return the contact step's response."""
    client.post(reverse("booking:start"), {"prefecture": prefecture.department_code})
    client.post(step_url("motif"), {"service": service.pk})
    client.post(step_url("identite"), identity or IDENTITY)
    return client.post(
        step_url("contact"), contact or {"email": "aminata@example.org", "phone": ""}
    )


def fill(client, prefecture, service, identity=None, contact=None, expiry="2026-06-30"):
    """Post every step up to the summary; return the last response."""
    fill_through_contact(client, prefecture, service, identity, contact)
    if service.has_legal_deadline:
        client.post(step_url("echeance"), {"permit_expires_on": expiry})
    sites = [str(site.pk) for site in prefecture.sites.all()]
    return client.post(step_url("lieux"), {"sites": sites})


def test_full_wizard_registers_one_request_and_redirects_to_its_receipt(client, prefecture):
    service = make_service(prefecture, ServiceKind.FIRST_PERMIT)

    first = client.get(reverse("booking:start"))
    assert "Étape 1 sur 7" in first.content.decode()
    assert fill(client, prefecture, service).url == step_url("recapitulatif")
    summary = client.get(step_url("recapitulatif")).content.decode()
    assert "Étape 6 sur 6" in summary
    assert "Diallo" in summary and "aminata@example.org" in summary
    assert summary.count("Modifier") >= 5

    response = client.post(step_url("recapitulatif"))

    request = Request.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("booking:receipt", args=[request.access_token])
    assert request.family_name == "Diallo"
    assert request.channel == Channel.WEB
    assert set(request.sites.all()) == set(prefecture.sites.all())
    assert request.permit_expires_on is None


def test_renewal_asks_the_permit_number_and_expiry_and_keeps_them(client, prefecture):
    service = make_service(prefecture, ServiceKind.RENEWAL)
    identity = {**IDENTITY, "permit_number": "12345 67890"}

    fill(client, prefecture, service, identity=identity, expiry="2026-05-31")
    client.post(step_url("recapitulatif"))

    request = Request.objects.get()
    assert request.permit_number == "1234567890"
    assert request.permit_expires_on == datetime.date(2026, 5, 31)
    assert request.deadline == datetime.date(2026, 5, 31)


def test_the_service_step_shows_duration_and_documents(client, prefecture):
    make_service(prefecture, ServiceKind.FIRST_PERMIT)
    client.post(reverse("booking:start"), {"prefecture": prefecture.department_code})

    page = client.get(step_url("motif")).content.decode()

    assert "Durée du rendez-vous : 20 minutes" in page
    assert "Passeport, Justificatif de domicile" in page


def test_expiry_step_is_skipped_without_legal_deadline(client, prefecture):
    service = make_service(prefecture, ServiceKind.FIRST_PERMIT)
    response = fill_through_contact(client, prefecture, service)

    assert response.url == step_url("lieux")
    assert client.get(step_url("echeance")).status_code == 302


def test_expiry_label_names_the_receipt_for_a_receipt_pickup(client, prefecture):
    service = make_service(prefecture, ServiceKind.RECEIPT_PICKUP)
    fill_through_contact(client, prefecture, service)

    page = client.get(step_url("echeance")).content.decode()

    assert "Date de fin de validité de votre récépissé" in page
    assert "Étape 5 sur 7" in page


def test_going_back_shows_what_was_typed(client, prefecture):
    service = make_service(prefecture, ServiceKind.FIRST_PERMIT)
    fill(client, prefecture, service)

    page = client.get(step_url("identite")).content.decode()

    assert 'value="Diallo"' in page
    assert 'value="1990-05-14"' in page


def test_all_sites_are_checked_by_default(client, prefecture):
    service = make_service(prefecture, ServiceKind.FIRST_PERMIT)
    fill_through_contact(client, prefecture, service)

    page = client.get(step_url("lieux")).content.decode()

    assert page.count(" checked") == prefecture.sites.count()


def test_modify_link_returns_to_the_summary(client, prefecture):
    service = make_service(prefecture, ServiceKind.FIRST_PERMIT)
    fill(client, prefecture, service)

    response = client.post(
        step_url("contact") + "?retour=recapitulatif", {"email": "autre@example.org"}
    )

    assert response.url == step_url("recapitulatif")
    assert "autre@example.org" in client.get(response.url).content.decode()


def test_changing_to_a_renewal_sends_back_to_the_missing_permit_number(client, prefecture):
    first = make_service(prefecture, ServiceKind.FIRST_PERMIT)
    renewal = make_service(prefecture, ServiceKind.RENEWAL)
    fill(client, prefecture, first)

    response = client.post(step_url("motif") + "?retour=recapitulatif", {"service": renewal.pk})

    assert response.url == step_url("identite")


def test_a_later_step_cannot_be_reached_before_the_earlier_ones(client, prefecture):
    make_service(prefecture, ServiceKind.FIRST_PERMIT)
    client.post(reverse("booking:start"), {"prefecture": prefecture.department_code})

    assert client.get(step_url("contact")).url == step_url("motif")


def test_without_a_session_the_person_starts_again_and_nothing_is_written(client, prefecture):
    response = client.post(step_url("recapitulatif"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("booking:start")
    assert "Votre session a expiré" in response.content.decode()
    assert Request.objects.count() == 0


def test_the_same_person_again_gets_a_receipt_of_their_own_and_learns_nothing_of_the_first(
    client, prefecture
):
    """Once a 200 page with the holder's number, and their link sent again each time: now a
    receipt of its own, like any submission (booking/duplicates.py)."""
    service = make_service(prefecture, ServiceKind.FIRST_PERMIT)
    fill(client, prefecture, service)
    client.post(step_url("recapitulatif"))
    existing = Request.objects.get()
    assert confirm_contact(existing, existing.verification_code)

    other = Client()
    fill(other, prefecture, service, identity={**IDENTITY, "family_name": "DIALLO"})
    fill_contact = {"email": "intrus@example.org"}
    other.post(step_url("contact") + "?retour=recapitulatif", fill_contact)
    second = other.post(step_url("recapitulatif"))

    new = Request.objects.exclude(pk=existing.pk).get()
    assert second.status_code == 302
    assert second.url == reverse("booking:receipt", args=[new.access_token])
    page = other.get(second.url).content.decode()
    assert existing.number not in page and existing.access_token not in page
    # The holder hears of it only once the submitter has confirmed a contact of their own.
    assert not existing.messages.exclude(template="verify_contact").exists()


def test_a_second_click_on_send_leads_to_the_same_receipt(client, prefecture):
    service = make_service(prefecture, ServiceKind.FIRST_PERMIT)
    fill(client, prefecture, service)

    first = client.post(step_url("recapitulatif"))
    second = client.post(step_url("recapitulatif"))

    assert second.url == first.url
    assert Request.objects.count() == 1


def reach(client, prefecture, service, slug):
    """Fill the steps before `slug` with good answers."""
    answers = {
        "motif": {"service": service.pk},
        "identite": {**IDENTITY, "permit_number": "1234567890"},
        "contact": {"email": "a@example.org"},
        "echeance": {"permit_expires_on": "2026-06-30"},
    }
    client.post(reverse("booking:start"), {"prefecture": prefecture.department_code})
    for earlier, data in answers.items():
        if earlier == slug:
            return
        client.post(step_url(earlier), data)


@pytest.mark.parametrize(
    ("slug", "data", "field", "words"),
    [
        ("identite", {**IDENTITY, "birth_date": "2026-02-30"}, "birth_date", "n'existe pas"),
        ("identite", {**IDENTITY, "permit_number": ""}, "permit_number", "numéro étranger"),
        ("identite", {**IDENTITY, "family_name": "D" * 101}, "family_name", "trop long"),
        ("contact", {"email": "aminata@@example"}, "email", "n'est pas valide"),
        ("contact", {"phone": "01 45 67 89 10"}, "phone", "portable français"),
        (
            "echeance",
            {"permit_expires_on": "2026-01-15"},
            "permit_expires_on",
            "présentez-vous au guichet",
        ),
    ],
)
def test_a_wrong_answer_is_shown_in_place_and_nothing_is_written(
    client, prefecture, slug, data, field, words
):
    service = make_service(prefecture, ServiceKind.RENEWAL)
    reach(client, prefecture, service, slug)

    response = client.post(step_url(slug), data)

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert page.count(words) == 2  # in the summary at the top and next to the field
    assert f'href="#id_{field}"' in page
    assert f'aria-describedby="id_{field}-hint id_{field}-error"' in page
    assert "<title>Erreur :" in page
    assert Request.objects.count() == 0


def test_an_unknown_prefecture_is_refused_on_the_first_step(client, prefecture):
    response = client.post(reverse("booking:start"), {"prefecture": "999"})

    assert response.status_code == 200
    assert "Nous ne connaissons pas cette préfecture" in html.unescape(response.content.decode())
    assert client.get(step_url("motif")).url == reverse("booking:start")
    assert Request.objects.count() == 0


def test_no_contact_at_all_is_refused(client, prefecture):
    service = make_service(prefecture, ServiceKind.FIRST_PERMIT)
    reach(client, prefecture, service, "contact")

    response = client.post(step_url("contact"), {"email": " ", "phone": ""})

    page = html.unescape(response.content.decode())
    assert "Indiquez au moins une adresse électronique ou un numéro" in page
    assert Request.objects.count() == 0


def test_a_site_of_another_prefecture_is_refused(client, prefecture):
    service = make_service(prefecture, ServiceKind.FIRST_PERMIT)
    elsewhere = make_site(make_prefecture("13", "Bouches-du-Rhône"), "Marseille")
    reach(client, prefecture, service, "lieux")

    response = client.post(step_url("lieux"), {"sites": [elsewhere.pk]})

    page = html.unescape(response.content.decode())
    assert "n'accueille pas les demandes de cette préfecture" in page
    assert Request.objects.count() == 0


@pytest.mark.parametrize("challenge_on", [True, False])
def test_the_send_button_waits_for_the_anti_robot_script_only_when_it_is_on(
    client, prefecture, settings, challenge_on
):
    settings.GUICHET_ALTCHA_ENABLED = challenge_on
    fill(client, prefecture, make_service(prefecture, ServiceKind.FIRST_PERMIT))

    page = LexborHTMLParser(client.get(step_url("recapitulatif")).content.decode())
    button = page.css_first("main form button[type=submit]")

    assert ("disabled" in button.attributes) is challenge_on
    assert ("data-altcha-submit" in button.attributes) is challenge_on
