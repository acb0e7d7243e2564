"""An agent's day in a real browser, at a desk, on a live server with CSRF checks on: a manager
logs in with password and TOTP, receives a person from the day's agenda, registers someone at the
counter, opens an exceptional session after seeing its effect, imports the permit registry, and
reads all of it in the journal in French words. axe-core checks every page on the way."""

import datetime
from urllib.parse import urlsplit

import pytest
import time_machine

from guichet.backoffice.enums import Role
from guichet.booking.enums import Channel
from guichet.booking.models import Request
from guichet.booking.services import allocate_service, register_request
from tests import factories
from tests.browser import Journey

pytestmark = pytest.mark.django_db(transaction=True)

REGISTERED = factories.NOW
# Monday 7 December 2026, 09:05 in Paris: the first person of the day is at the counter.
ARRIVAL = datetime.datetime(2026, 12, 7, 8, 5, tzinfo=datetime.UTC)
FIRST_UNIT = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)
SESSION_DAY = "2026-12-12"  # the Saturday after, in the opening horizon
SITE = "Préfecture du Val-de-Marne — Créteil"
MOTIF = "Première demande de titre de séjour"
PERMITS_CSV = (
    "permit_number;family_name;given_names;birth_date;expires_on;email;phone\r\n"
    "9400000001;Keita;Moussa;1980-01-02;2028-06-30;titre1@example.org;\r\n"
    "9400000002;Traoré;Fatou;12/03/1985;2029-01-15;titre2@example.org;\r\n"
)


@pytest.fixture
def desk():
    """Val-de-Marne, one site and one motif with their real, long names; two people dated on the
    morning of ARRIVAL and no other capacity before September, when a weekly timetable starts
    (listed on the capacity page, beyond the opening horizon); the manager chef.94 with a
    confirmed TOTP secret."""
    with time_machine.travel(REGISTERED, tick=False):
        prefecture = factories.make_prefecture("94", "Val-de-Marne")
        site = factories.make_site(prefecture, SITE)
        service = factories.make_service(prefecture)
        service.name = MOTIF
        service.save()
        factories.make_units(site, service, FIRST_UNIT, 2)
        for weekday in range(5):
            rule = factories.make_opening_rule(site, service, weekday=weekday)
            rule.valid_from = datetime.date(2027, 9, 6)
            rule.save()
        for n in (1, 2):
            register_request(
                service=service,
                applicant=factories.applicant(n),
                sites=[site],
                channel=Channel.COUNTER,
            )
        manager = factories.make_agent(prefecture, role=Role.MANAGER, username="chef.94")
    allocate_service(service, seed=1, now=REGISTERED + datetime.timedelta(days=1))
    first = Request.objects.get(appointment__unit__starts_at=FIRST_UNIT)
    return {"first": first, "secret": manager.second_factor.secret}


def text(page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


def journal_rows(page) -> list[list[str]]:
    return [
        [" ".join(cell.split()) for cell in row.locator("td").all_inner_texts()]
        for row in page.locator("table.journal tbody tr").all()
    ]


def test_a_manager_s_day_at_the_desk_every_page_accessible(live_server, desktop_page, desk):
    page, first = desktop_page, desk["first"]
    person = f"{first.family_name.upper()} {first.given_names}"
    page.set_default_timeout(10_000)
    journey = Journey(page, live_server.url)
    with time_machine.travel(ARRIVAL, tick=True):
        # Login: password, then the code of the authenticator app, for the server's clock.
        journey.log_in("chef.94", desk["secret"])

        # The day's agenda: both people of the morning, still expected.
        assert "Lundi 7 décembre 2026" in text(page, "h2")
        agenda = text(page, ".counter-agenda table")
        assert f"{first.number} {person}" in agenda
        assert "2 rendez-vous" in text(page, ".counter-counts")

        # Check-in from the agenda: the number opens the person's file; they are received.
        page.get_by_role("link", name=first.number).click()
        page.wait_for_selector("#arrival-title")
        journey.check()
        assert first.family_name.upper() in text(page, ".counter-identity")
        page.get_by_role("button", name="Présent(e) — reçu(e)").click()
        page.wait_for_selector(".fr-alert--success")
        journey.check()
        assert (
            f"Enregistré : « Présent(e) — reçu(e) » pour {person} (demande {first.number})"
            in text(page, ".fr-alert--success")
        )
        page.get_by_role("link", name="Agenda du jour").click()
        page.wait_for_selector(".counter-agenda")
        journey.check()
        assert "Rendez-vous fixé : 1 · Reçue au guichet : 1" in text(page, ".counter-counts")
        received = page.locator(".counter-agenda tbody tr", has_text=first.number)
        assert "Reçue au guichet" in received.text_content()

        # A person registered at the counter: in the queue, with a receipt to print.
        page.get_by_role("link", name="Enregistrer une demande").click()
        page.wait_for_url("**/agent/enregistrer/")
        journey.check()
        page.get_by_label("Motif du rendez-vous").select_option(label=MOTIF)
        page.get_by_role("button", name="Choisir ce motif").click()
        page.wait_for_selector("#form-fields")
        journey.check()
        page.get_by_text("Téléphone", exact=True).click()  # the DSFR radio's label
        assert page.get_by_role("radio", name="Téléphone").is_checked()
        page.get_by_label("Nom de famille").fill("Ndiaye")
        page.get_by_label("Prénoms").fill("Awa")
        page.get_by_label("Date de naissance").fill("1990-07-14")  # a date picker
        page.get_by_label("Nationalité").fill("sénégalaise")
        page.get_by_label("Numéro de passeport ou de document de voyage").fill("12AB34567")
        page.get_by_label("Numéro de téléphone portable").fill("06 12 34 56 78")
        page.get_by_role("button", name="Enregistrer la demande").click()
        page.wait_for_url("**/attestation/")
        journey.check()
        assert "Demande enregistrée. Imprimez l'attestation pour la personne." in text(
            page, ".fr-alert--success"
        )
        registered = Request.objects.get(family_name="Ndiaye")
        assert registered.number in page.inner_text("main")
        assert "NDIAYE Awa" in page.inner_text("main")

        # Capacity: an exceptional Saturday session, its effect previewed, then applied.
        page.get_by_role("link", name="Capacité").click()
        page.wait_for_url("**/agent/capacite/**")
        journey.check()
        page.get_by_role("link", name="Ajouter une séance exceptionnelle").click()
        page.wait_for_url("**/agent/capacite/seance/**")
        journey.check()
        page.get_by_label("Site", exact=True).select_option(label=SITE)
        page.get_by_label("Service", exact=True).select_option(label=MOTIF)
        page.get_by_label("Jour de la séance").fill(SESSION_DAY)
        page.get_by_label("Ouverture", exact=True).fill("09:00")
        page.get_by_label("Fermeture", exact=True).fill("12:00")
        page.get_by_label("Guichets", exact=True).fill("2")
        page.get_by_label("Durée").fill("20")
        page.get_by_role("button", name="Voir l'effet sur la file d'attente").click()
        page.wait_for_selector("#effect-title")
        journey.check()
        effect = text(page, "section[aria-labelledby=effect-title]")
        assert "Ce changement ouvre 18 créneaux." in effect
        assert "1 demande de plus recevrait une date" in effect
        page.get_by_role("button", name="Appliquer ce changement").click()
        page.wait_for_url("**/agent/capacite/?prefecture=*")
        journey.check()
        applied = text(page, ".fr-alert--success")
        assert "Changement appliqué : 18 créneaux ouverts" in applied
        assert "1 demande datée" in applied
        assert "Séance exceptionnelle le samedi 12 décembre 2026" in page.inner_text("main")
        registered.refresh_from_db()
        assert registered.appointment.unit.starts_at.date() == datetime.date(2026, 12, 12)

        # The permit registry: a small CSV imported, every line counted.
        page.get_by_role("link", name="Registre des titres").click()
        page.wait_for_url("**/agent/registre/")
        journey.check()
        page.get_by_label("Fichier CSV du registre").set_input_files(
            files=[{"name": "registre.csv", "mimeType": "text/csv", "buffer": PERMITS_CSV.encode()}]
        )
        page.get_by_role("button", name="Importer").click()
        page.wait_for_selector(".fr-alert--success")
        journey.check()
        assert "Import de « registre.csv » : 2 titres ajoutés" in text(page, ".fr-alert--success")
        assert "2 titres au registre" in page.inner_text("main")

        # The journal tells all of it in an agent's words, newest first.
        page.get_by_role("link", name="Journal").click()
        page.wait_for_url("**/agent/journal/")
        journey.check()
        rows = [row[2:] for row in journal_rows(page)]

    assert rows == [
        [
            "registre des titres importé",
            "—",
            "Fichier : registre.csv ; titres ajoutés : 2 ; titres modifiés : 0 ; "
            "titres inchangés : 0 ; lignes refusées : 0 ; convocations envoyées : 0",
        ],
        [
            "ouverture ajoutée",
            "—",
            f"Site : {SITE} ; motif : {MOTIF} ; "
            "séance exceptionnelle le samedi 12 décembre 2026 de 09:00 à 12:00 ; guichets : 2 ; "
            "créneaux de 20 min ; créneaux ouverts : 18 ; demandes datées : 1",
        ],
        ["demande enregistrée pour une personne", registered.number, "Canal : téléphone"],
        ["présence enregistrée", first.number, f"Site : {SITE}"],
        ["connexion", "—", "—"],
    ]
    assert not journey.refused(), journey.log
    assert [urlsplit(url).path for url in journey.checked] == [
        "/agent/connexion/",
        "/agent/connexion/code/",
        "/agent/",
        "/agent/accueil/",  # the person's file
        "/agent/accueil/",  # received, ready for the next one
        "/agent/",
        "/agent/enregistrer/",
        "/agent/enregistrer/",  # the motif chosen
        f"/agent/enregistrer/{registered.pk}/attestation/",
        "/agent/capacite/",
        "/agent/capacite/seance/",
        "/agent/capacite/seance/",  # the effect
        "/agent/capacite/",
        "/agent/registre/",
        "/agent/registre/",  # imported
        "/agent/journal/",
    ]
