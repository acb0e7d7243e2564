"""The counter: agents only, the day's agenda, and checking a person in by number or receipt QR."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.test import Client
from selectolax.lexbor import LexborHTMLParser

from guichet.backoffice.enums import JournalAction
from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import Channel, EventKind, RequestStatus
from guichet.booking.models import Appointment, Request, RequestEvent
from guichet.booking.receipts import receipt_token, verification_url
from guichet.booking.services import allocate_service, register_request
from guichet.catalogue.enums import SiteKind
from tests import factories

pytestmark = pytest.mark.django_db

REUNION = zoneinfo.ZoneInfo("Indian/Reunion")  # UTC+04:00: its day starts on the previous UTC day
DAY = datetime.date(2026, 12, 7)
REGISTERED = factories.NOW
ALLOCATED = REGISTERED + datetime.timedelta(days=1)
AGENT = "agent.martin"


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=REUNION)


def page_of(response):
    return LexborHTMLParser(response.content)


def text_of(node):
    return " ".join(node.text().split())


@pytest.fixture
def counter():
    """Seven people dated at La Réunion: four at the préfecture on DAY (one just after local
    midnight), one there the evening before and one the day after, one at the sous-préfecture."""
    prefecture = factories.make_prefecture("974", "La Réunion", time_zone="Indian/Reunion")
    main = factories.make_site(prefecture)
    annex = factories.make_site(prefecture, "Saint-Pierre", kind=SiteKind.SOUS_PREFECTURE)
    service = factories.make_service(prefecture)
    units = {
        "day": [
            *factories.make_units(main, service, at(DAY, 0, 20), 1),
            *factories.make_units(main, service, at(DAY, 9), 3),
        ],
        "eve": factories.make_units(main, service, at(DAY - datetime.timedelta(days=1), 23, 40), 1),
        "next": factories.make_units(main, service, at(DAY + datetime.timedelta(days=1), 9), 1),
        "at_annex": factories.make_units(annex, service, at(DAY, 9), 1),
    }
    with time_machine.travel(REGISTERED, tick=False):
        for n in range(7):
            register_request(
                service=service,
                applicant=factories.applicant(n, permit_number=f"97400000{n:02d}"),
                sites=[main, annex],
                channel=Channel.COUNTER,
            )
    allocate_service(service, seed=11, now=ALLOCATED)
    return {"prefecture": prefecture, "main": main, "annex": annex, "service": service, **units}


def person_on(unit) -> Request:
    return Appointment.objects.select_related("request").get(unit=unit).request


@pytest.fixture
def agent(client, counter, settings):
    # The tests travel to December 2026: the login must still hold there.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
    settings.GUICHET_SESSION_MAX_HOURS = 10 * 365 * 24  # test_session_limits.py has them
    settings.GUICHET_SESSION_IDLE_MINUTES = 10 * 365 * 24 * 60
    return factories.log_in_agent(
        client, factories.make_agent(counter["prefecture"], username=AGENT)
    )


def look_up(agent, site, typed):
    response = agent.get("/agent/accueil/", {"site": site.pk, "number": typed})
    assert response.status_code == 200
    return page_of(response)


def mark(agent, site, request, presence):
    response = agent.post(
        "/agent/accueil/",
        {"site": site.pk, "number": request.number, "presence": presence},
        follow=True,
    )
    assert response.status_code == 200
    return page_of(response)


def alerts(page):
    return [text_of(node) for node in page.css(".fr-alert")]


# Access


@pytest.mark.parametrize("path", ["/agent/", "/agent/accueil/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/agent/connexion/?next={path}"


@pytest.mark.parametrize("path", ["/agent/", "/agent/accueil/"])
def test_accounts_that_are_not_agents_are_refused(client, django_user_model, path):
    client.force_login(django_user_model.objects.create_user("usager"))

    assert client.get(path).status_code == 403


def test_anonymous_post_records_nothing(client, counter):
    request = person_on(counter["day"][1])

    response = client.post(
        "/agent/accueil/",
        {"site": counter["main"].pk, "number": request.number, "presence": "present"},
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.DATED


def test_pages_with_identities_are_not_cached(agent, counter):
    response = agent.get("/agent/accueil/", {"number": person_on(counter["day"][1]).number})

    assert "no-store" in response["Cache-Control"]


# Agenda


def agenda_rows(page):
    return [[text_of(cell) for cell in row.css("td")] for row in page.css("table tbody tr")]


def test_agenda_lists_the_days_appointments_of_the_site_in_time_order(agent, counter):
    response = agent.get("/agent/", {"site": counter["main"].pk, "day": DAY.isoformat()})

    page = page_of(response)
    rows = agenda_rows(page)
    expected = [person_on(unit) for unit in counter["day"]]
    assert [row[2] for row in rows] == [request.number for request in expected]
    assert [row[0] for row in rows] == ["00:20", "09:00", "09:20", "09:40"]
    assert rows[0][3] == f"{expected[0].family_name.upper()} {expected[0].given_names}"
    assert {row[4] for row in rows} == {counter["service"].name}
    assert {row[5] for row in rows} == {RequestStatus.DATED.label}
    assert len(page.css("h1")) == 1


def test_agenda_opens_on_today_at_the_prefectures_clock(agent, counter):
    # 02:00 on DAY at La Réunion is still the day before in Paris and in UTC.
    with time_machine.travel(at(DAY, 2), tick=False):
        page = page_of(agent.get("/agent/", {"site": counter["main"].pk}))

    assert page.css_first("input[name=day]").attributes["value"] == DAY.isoformat()
    assert [row[2] for row in agenda_rows(page)] == [
        person_on(unit).number for unit in counter["day"]
    ]


def test_agenda_remembers_the_agents_site(agent, counter):
    agent.get("/agent/", {"site": counter["annex"].pk, "day": DAY.isoformat()})

    page = page_of(agent.get("/agent/", {"day": DAY.isoformat()}))

    assert [row[2] for row in agenda_rows(page)] == [person_on(counter["at_annex"][0]).number]


def test_agenda_shows_who_was_received(agent, counter):
    received = person_on(counter["day"][2])
    with time_machine.travel(at(DAY, 9, 25), tick=False):
        mark(agent, counter["main"], received, "present")

    page = page_of(agent.get("/agent/", {"site": counter["main"].pk, "day": DAY.isoformat()}))

    statuses = {row[2]: row[5] for row in agenda_rows(page)}
    assert statuses[received.number] == RequestStatus.ATTENDED.label
    assert list(statuses.values()).count(RequestStatus.DATED.label) == 3


def test_agenda_is_printable(agent, counter):
    page = page_of(agent.get("/agent/", {"site": counter["main"].pk, "day": DAY.isoformat()}))

    stylesheet = page.css_first('link[rel=stylesheet][href$="counter.css"]')
    assert stylesheet is not None
    assert page.css_first("form[method=get]").attributes["class"].startswith("counter-no-print")
    assert page.css_first("nav.counter-no-print") is not None


def test_an_invalid_day_is_explained(agent, counter):
    page = page_of(agent.get("/agent/", {"site": counter["main"].pk, "day": "31/02"}))

    day_input = page.css_first("input[name=day]")
    error = page.css_first(f"#{day_input.attributes['id']}-error")
    assert "Indiquez un jour valide." in text_of(error)
    assert day_input.attributes["aria-describedby"] == f"{day_input.attributes['id']}-error"
    assert page.css("table") == []


# Check-in: finding the request


def shown_identity(page):
    return text_of(page.css_first(".counter-identity"))


def number_variants(number):
    return [number, number.lower(), number.replace("-", " "), number.replace("-", "")]


def test_finds_the_request_by_its_number_however_it_is_typed(agent, counter):
    request = person_on(counter["day"][1])

    with time_machine.travel(at(DAY, 8), tick=False):
        pages = [
            look_up(agent, counter["main"], typed) for typed in number_variants(request.number)
        ]

    for page in pages:
        identity = shown_identity(page)
        assert request.family_name.upper() in identity
        assert request.given_names in identity
        assert request.birth_date.strftime("%d/%m/%Y") in identity
        assert request.nationality in identity
        assert request.permit_number in identity
        appointment = text_of(page.css_first(".counter-appointment"))
        assert "lundi 7 décembre 2026 à 09:00 (heure de La Réunion, UTC+04:00)" in appointment
        assert counter["main"].name in appointment
        assert counter["service"].name in appointment
        assert page.css(".counter-warning") == []
        assert page.css_first("input[name=number]").attributes.get("value") is None


@pytest.mark.parametrize("scanned", [receipt_token, verification_url])
def test_finds_the_request_by_its_receipts_qr_code(agent, counter, scanned):
    request = person_on(counter["day"][1])

    page = look_up(agent, counter["main"], scanned(request))

    assert page.css_first("#arrival-title").text().endswith(request.number)
    assert request.family_name.upper() in shown_identity(page)


def test_a_forged_receipt_finds_nothing(agent, counter):
    request = person_on(counter["day"][1])
    forged = receipt_token(request)[:-1] + "x"

    page = look_up(agent, counter["main"], forged)

    assert page.css_first("#arrival-title") is None
    assert "Aucune demande ne correspond" in text_of(page.css_first(".fr-error-text"))


def test_unknown_number_is_explained_and_changes_nothing(agent, counter):
    events = RequestEvent.objects.count()

    page = look_up(agent, counter["main"], "974-ZZZZ-ZZZZ")

    number_input = page.css_first("input[name=number]")
    assert number_input.attributes["value"] == "974-ZZZZ-ZZZZ"
    assert f"{number_input.attributes['id']}-error" in number_input.attributes["aria-describedby"]
    assert "rien n'a été enregistré" in text_of(page.css_first(".fr-error-text"))
    assert page.css("button[name=presence]") == []
    assert RequestEvent.objects.count() == events


def test_a_request_without_appointment_is_explained(agent, counter):
    with time_machine.travel(REGISTERED, tick=False):
        waiting, _ = register_request(
            service=counter["service"],
            applicant=factories.applicant(99),
            sites=[counter["main"]],
            channel=Channel.COUNTER,
        )

    page = look_up(agent, counter["main"], waiting.number)

    assert "n'a pas de rendez-vous (statut : En attente d'une date)" in " ".join(alerts(page))
    assert page.css("button[name=presence]") == []


# Check-in: warnings before receiving someone


def test_warns_when_the_appointment_is_not_today(agent, counter):
    request = person_on(counter["next"][0])

    with time_machine.travel(at(DAY, 10), tick=False):
        page = look_up(agent, counter["main"], request.number)

    warnings = [text_of(node) for node in page.css(".counter-warning")]
    assert warnings == [
        "Ce rendez-vous n'est pas aujourd'hui Il est prévu le mardi 8 décembre 2026 "
        "à 09:00 (heure de La Réunion, UTC+04:00)."
    ]


def test_warns_when_the_appointment_is_at_another_site(agent, counter):
    request = person_on(counter["day"][1])

    with time_machine.travel(at(DAY, 8), tick=False):
        page = look_up(agent, counter["annex"], request.number)

    warnings = [text_of(node) for node in page.css(".counter-warning")]
    assert len(warnings) == 1
    assert (
        f"Il est prévu à « {counter['main'].name} », pas à « {counter['annex'].name} »"
        in (warnings[0])
    )


def test_absent_is_only_offered_once_the_appointment_has_begun(agent, counter):
    request = person_on(counter["day"][1])

    with time_machine.travel(at(DAY, 8, 59), tick=False):
        before = look_up(agent, counter["main"], request.number)
    with time_machine.travel(at(DAY, 9), tick=False):
        after = look_up(agent, counter["main"], request.number)

    def offered(page):
        return [button.attributes["value"] for button in page.css("button[name=presence]")]

    assert offered(before) == ["present"]
    assert offered(after) == ["present", "absent"]


# Check-in: recording


def last_event(request):
    return RequestEvent.objects.filter(request=request).last()


def journal_of(request):
    return [
        (entry.user.username, entry.action, entry.at, entry.detail)
        for entry in JournalEntry.objects.filter(request=request)
    ]


def test_present_records_attendance_by_the_agent(agent, counter):
    request = person_on(counter["day"][1])

    with time_machine.travel(at(DAY, 9, 5), tick=False):
        page = mark(agent, counter["main"], request, "present")

    request.refresh_from_db()
    assert request.status == RequestStatus.ATTENDED
    event = last_event(request)
    assert (event.kind, event.detail) == (EventKind.ATTENDED, {"by": AGENT})
    assert event.at == at(DAY, 9, 5)
    assert journal_of(request) == [
        (AGENT, JournalAction.ATTENDED, at(DAY, 9, 5), {"site": counter["main"].name})
    ]
    assert f"Enregistré : « Présent(e) — reçu(e) » pour {request.family_name.upper()}" in (
        " ".join(alerts(page))
    )
    assert request.number in " ".join(alerts(page))


def test_absent_records_a_no_show_by_the_agent(agent, counter):
    request = person_on(counter["day"][1])

    with time_machine.travel(at(DAY, 9, 30), tick=False):
        page = mark(agent, counter["main"], request, "absent")

    request.refresh_from_db()
    assert request.status == RequestStatus.NO_SHOW
    event = last_event(request)
    assert (event.kind, event.detail) == (EventKind.NO_SHOW, {"by": AGENT})
    assert journal_of(request) == [
        (AGENT, JournalAction.NO_SHOW, at(DAY, 9, 30), {"site": counter["main"].name})
    ]
    assert "Enregistré : « Absent(e) »" in " ".join(alerts(page))


def test_absent_before_the_appointment_records_nothing(agent, counter):
    request = person_on(counter["day"][1])
    events = RequestEvent.objects.filter(request=request).count()

    with time_machine.travel(at(DAY, 8), tick=False):
        page = mark(agent, counter["main"], request, "absent")

    request.refresh_from_db()
    assert request.status == RequestStatus.DATED
    assert RequestEvent.objects.filter(request=request).count() == events
    assert journal_of(request) == []
    assert "Le rendez-vous n'a pas encore commencé" in " ".join(alerts(page))


def test_a_second_recording_changes_nothing(agent, counter):
    request = person_on(counter["day"][1])
    with time_machine.travel(at(DAY, 9, 5), tick=False):
        mark(agent, counter["main"], request, "present")
        page = mark(agent, counter["main"], request, "absent")

    request.refresh_from_db()
    assert request.status == RequestStatus.ATTENDED
    assert RequestEvent.objects.filter(request=request, kind=EventKind.NO_SHOW).count() == 0
    assert [action for _, action, _, _ in journal_of(request)] == [JournalAction.ATTENDED]
    assert "C'est déjà enregistré : Reçue au guichet." in " ".join(alerts(page))


def test_recording_an_unknown_number_changes_nothing(agent, counter):
    events = RequestEvent.objects.count()
    statuses = list(Request.objects.values_list("status", flat=True))

    response = agent.post(
        "/agent/accueil/",
        {"site": counter["main"].pk, "number": "974-ZZZZ-ZZZZ", "presence": "present"},
        follow=True,
    )

    assert "Aucune demande ne porte le numéro 974-ZZZZ-ZZZZ" in " ".join(alerts(page_of(response)))
    assert RequestEvent.objects.count() == events
    assert list(Request.objects.values_list("status", flat=True)) == statuses


def test_recording_needs_the_csrf_token(counter):
    client = factories.log_in_agent(
        Client(enforce_csrf_checks=True), factories.make_agent(counter["prefecture"])
    )
    request = person_on(counter["day"][1])

    response = client.post(
        "/agent/accueil/",
        {"site": counter["main"].pk, "number": request.number, "presence": "present"},
    )

    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.DATED


def test_the_recording_form_carries_the_csrf_token(agent, counter):
    request = person_on(counter["day"][1])

    page = look_up(agent, counter["main"], request.number)

    assert page.css_first("form[method=post] input[name=csrfmiddlewaretoken]") is not None
