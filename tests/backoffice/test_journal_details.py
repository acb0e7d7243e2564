"""The journal's « Détail » column in an agent's words: one test per kind of line, each written by
the service that really writes it where that is cheap, and read on the manager's journal page."""

import datetime
import io

import pytest
import time_machine
from selectolax.lexbor import LexborHTMLParser

from guichet.backoffice import journal, planning
from guichet.backoffice.enums import JournalAction, Role
from guichet.booking.enums import Channel
from guichet.booking.services import allocate_service
from guichet.catalogue.models import Closure, OpeningRule
from guichet.registry.imports import import_permits
from tests import factories
from tests.factories import NOW

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, 11:00 in Paris.
# Monday 7 December 2026, 09:00 in Paris.
FIRST_UNIT = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def desk():
    """Val-de-Marne with two sites and one motif, and its manager, at NOW."""
    with time_machine.travel(NOW, tick=False):
        prefecture = factories.make_prefecture("94", "Val-de-Marne")
        yield {
            "prefecture": prefecture,
            "site": factories.make_site(prefecture, "Préfecture de Créteil"),
            "annex": factories.make_site(prefecture, "Sous-préfecture de Nogent-sur-Marne"),
            "service": factories.make_service(prefecture),
            "manager": factories.make_agent(prefecture, role=Role.MANAGER, username="chef.94"),
        }


def details(client, desk, action) -> list[str]:
    """The « Détail » cells of the manager's journal for one action, newest first."""
    factories.log_in_agent(client, desk["manager"])
    response = client.get("/agent/journal/", {"action": action})
    assert response.status_code == 200
    page = LexborHTMLParser(response.content)
    headers = [" ".join(th.text().split()) for th in page.css("table.journal thead th")]
    column = headers.index("Détail")
    return [
        " ".join(row.css("td")[column].text().split()) for row in page.css("table.journal tbody tr")
    ]


def test_a_login_or_an_accepted_number_needs_no_detail(client, desk):
    manager = desk["manager"]
    request = factories.register_at_counter(desk["service"], desk["site"], 1)
    journal.log_signed_in(manager, desk["prefecture"])
    journal.log_permit_accepted(manager, request)

    assert details(client, desk, JournalAction.SIGNED_IN) == ["—"]
    assert details(client, desk, JournalAction.PERMIT_CHECK_ACCEPTED) == ["—"]


def test_a_presence_or_an_absence_names_the_site(client, desk):
    manager, site = desk["manager"], desk["site"]
    request = factories.register_at_counter(desk["service"], site, 1)
    # As the counter writes them (counter.record_arrival).
    journal.log_attendance(manager, request, attended=True, site=site.name)
    journal.log_attendance(manager, request, attended=False, site=site.name)

    assert details(client, desk, JournalAction.ATTENDED) == ["Site : Préfecture de Créteil"]
    assert details(client, desk, JournalAction.NO_SHOW) == ["Site : Préfecture de Créteil"]


def test_a_registration_says_how_the_person_reached_the_prefecture(client, desk):
    manager = desk["manager"]
    request = factories.register_at_counter(desk["service"], desk["site"], 1)
    # As backoffice/registration.py writes them.
    journal.log_registration(manager, request, created=True, channel=Channel.PHONE)
    journal.log_registration(manager, request, created=False, channel=Channel.COUNTER)
    journal.log_registered_elsewhere(manager, desk["prefecture"], channel=Channel.POST)

    assert details(client, desk, JournalAction.REQUEST_REGISTERED) == ["Canal : téléphone"]
    assert details(client, desk, JournalAction.DUPLICATE_REGISTRATION) == ["Canal : guichet"]
    assert details(client, desk, JournalAction.DUPLICATE_REGISTRATION_ELSEWHERE) == [
        "Canal : courrier"
    ]


def test_a_weekly_opening_says_where_when_and_what_it_opened(client, desk):
    rule = OpeningRule(
        site=desk["annex"],
        service=desk["service"],
        weekday=1,
        opens_at=datetime.time(9),
        closes_at=datetime.time(12),
        desks=2,
        slot_minutes=20,
        valid_from=datetime.date(2026, 12, 1),
        valid_until=datetime.date(2026, 12, 31),
    )
    with time_machine.travel(NOW, tick=False):
        planning.apply(desk["prefecture"], rule, desk["manager"])

    # Five Tuesdays in December, 9 units a morning at each of 2 desks.
    assert details(client, desk, JournalAction.CAPACITY_RULE_ADDED) == [
        "Site : Sous-préfecture de Nogent-sur-Marne ; motif : Première demande ; "
        "chaque mardi de 09:00 à 12:00 à partir du mardi 1er décembre 2026 "
        "jusqu'au jeudi 31 décembre 2026 ; guichets : 2 ; créneaux de 20 min ; "
        "créneaux ouverts : 90"
    ]


def test_an_exceptional_session_says_its_day_and_who_it_dated(client, desk):
    site, service = desk["site"], desk["service"]
    with time_machine.travel(NOW, tick=False):
        for n in (1, 2, 3):
            factories.register_at_counter(service, site, n)
        saturday = datetime.date(2026, 12, 5)
        session = OpeningRule(
            site=site,
            service=service,
            weekday=saturday.weekday(),
            opens_at=datetime.time(9, 30),
            closes_at=datetime.time(10, 30),
            desks=1,
            slot_minutes=30,
            valid_from=saturday,
            valid_until=saturday,
        )
        planning.apply(desk["prefecture"], session, desk["manager"])

    assert details(client, desk, JournalAction.CAPACITY_RULE_ADDED) == [
        "Site : Préfecture de Créteil ; motif : Première demande ; "
        "séance exceptionnelle le samedi 5 décembre 2026 de 09:30 à 10:30 ; guichets : 1 ; "
        "créneaux de 30 min ; créneaux ouverts : 2 ; demandes datées : 2"
    ]


def test_a_closure_says_its_days_its_reason_and_the_appointments_kept(client, desk):
    site, service = desk["site"], desk["service"]
    factories.make_units(site, service, FIRST_UNIT, 3)
    with time_machine.travel(NOW, tick=False):
        factories.register_at_counter(service, site, 1)
    allocate_service(service, seed=1, now=NOW + datetime.timedelta(days=1))
    whole = Closure(
        starts_on=datetime.date(2026, 12, 7), ends_on=datetime.date(2026, 12, 8), reason="Grève"
    )
    one_site = Closure(
        site=desk["annex"],
        starts_on=datetime.date(2026, 12, 24),
        ends_on=datetime.date(2026, 12, 24),
        reason="Travaux",
    )
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        planning.apply(desk["prefecture"], whole, desk["manager"], keep_appointments=True)
    with time_machine.travel(NOW + datetime.timedelta(days=3), tick=False):
        planning.apply(desk["prefecture"], one_site, desk["manager"])

    assert details(client, desk, JournalAction.CAPACITY_CLOSURE_ADDED) == [
        "Site : Sous-préfecture de Nogent-sur-Marne ; le jeudi 24 décembre 2026 ; "
        "motif : Travaux ; créneaux retirés : 0",
        "Toute la préfecture ; du lundi 7 décembre 2026 au mardi 8 décembre 2026 ; "
        "motif : Grève ; rendez-vous maintenus : 1 ; créneaux retirés : 2",
    ]


def test_a_registry_import_gives_its_file_and_counts(client, desk):
    content = (
        "permit_number;family_name;given_names;birth_date;expires_on;email;phone\r\n"
        "9400000001;Keita;Moussa;1980-01-02;2028-06-30;titre1@example.org;\r\n"
        "9400000002;Traoré;Fatou;1985-03-12;2029-01-15;titre2@example.org;\r\n"
        "12;Sow;Ibrahima;1990-05-01;2029-01-15;;\r\n"
    ).encode()
    file = io.BytesIO(content)
    file.name = "registre-novembre.csv"
    with time_machine.travel(NOW, tick=False):
        import_permits(desk["prefecture"], file, desk["manager"])

    assert details(client, desk, JournalAction.REGISTRY_IMPORT) == [
        "Fichier : registre-novembre.csv ; titres ajoutés : 2 ; titres modifiés : 0 ; "
        "titres inchangés : 0 ; lignes refusées : 1 ; convocations envoyées : 0"
    ]


def test_a_refused_number_gives_the_reason_sent_to_the_person(client, desk):
    request = factories.register_at_counter(desk["service"], desk["site"], 1)
    journal.log_permit_rejected(
        desk["manager"], request, reason="Ce numéro correspond à un autre titre."
    )

    assert details(client, desk, JournalAction.PERMIT_CHECK_REJECTED) == [
        "Motif du refus : Ce numéro correspond à un autre titre."
    ]


def test_every_action_has_its_words():
    assert set(journal.DESCRIPTIONS) == set(JournalAction)
