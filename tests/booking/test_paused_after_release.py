"""A request released for lack of reconfirmation is paused: no new date until the person says
they still need one, then back in the queue as it was; closed after 30 days without an answer.

Put straight back in line, a request nobody answers for was dated and released over and over
(docs/simulator.md, « Abus »): the pause is what stops that loop.
"""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser

from guichet.booking import offers
from guichet.booking.enums import EventKind, OfferStatus, RequestStatus
from guichet.booking.models import Offer
from guichet.booking.reminders import PAUSE_ANSWER_DAYS, resume_paused
from guichet.booking.services import allocate_service, register_request
from guichet.duework.jobs import run_due_work
from guichet.notifications.enums import MessageChannel
from tests import factories
from tests.applicant_space import text_of, url
from tests.duework import due_work_at
from tests.factories import NOW

pytestmark = pytest.mark.django_db

SLOT = datetime.datetime(2026, 12, 14, 8, 0, tzinfo=datetime.UTC)  # Monday, 09:00 in Paris
LATER = SLOT + datetime.timedelta(days=7)
HOUR = datetime.timedelta(hours=1)
# Asked seven days before, reminded, released two days after asking (the second unit of SLOT's
# morning starts 20 minutes later): Wednesday 9 December 2026, 09:20 in Paris.
RELEASED = SLOT - datetime.timedelta(days=5) + datetime.timedelta(minutes=20)
CLOSES = RELEASED + datetime.timedelta(days=PAUSE_ANSWER_DAYS)  # 8 January 2027, 09:20 in Paris


@pytest.fixture
def world():
    """A service that asks for reconfirmation, units on SLOT and a week later."""
    prefecture, site, service = factories.make_reconfirming_service(SLOT)
    with time_machine.travel(NOW, tick=False):
        factories.make_units(site, service, LATER, 2)
    return prefecture, site, service


@pytest.fixture
def released(world):
    """Two people dated on SLOT's morning who never reconfirm, both paused at RELEASED: the
    first (French, e-mail and phone) at 09:00, the second (English, e-mail) at 09:20."""
    _, site, service = world
    with time_machine.travel(NOW, tick=False):
        people = [factories.register_at_counter(service, site, 1, phone="+33612345678")]
        run_due_work(NOW)
        people.append(factories.register_at_counter(service, site, 2, language="en"))
        allocate_service(service, seed=1, now=NOW)
    assert [factories.date_of(person) for person in people] == [
        SLOT,
        SLOT + datetime.timedelta(minutes=20),
    ]
    due_work_at(RELEASED)
    for person in people:
        person.refresh_from_db()
        assert person.status == RequestStatus.PAUSED
    return people


def templates_of(person):
    return list(person.messages.order_by("pk").values_list("template", flat=True))


def body(person, template, channel=MessageChannel.EMAIL):
    return person.messages.get(template=template, channel=channel).body


def still_needed_link(person):
    return settings.SITE_URL + reverse("booking:still_needed", args=[person.access_token])


def test_a_paused_request_is_not_dated_again_nor_offered_a_unit(released):
    french, english = released
    # Batches run at the release and after it; two units a week later stay free.
    due_work_at(RELEASED + datetime.timedelta(days=1))
    due_work_at(RELEASED + datetime.timedelta(days=2))
    for person in released:
        person.refresh_from_db()
        assert person.status == RequestStatus.PAUSED
        assert not hasattr(person, "appointment")
        assert person.events.filter(kind=EventKind.DATED).count() == 1  # the first date only
        assert not person.offers.exists()
    # A unit opening later is not given to them either: nobody is left to take it.
    new_unit = factories.make_units(french.sites.get(), french.service, LATER + HOUR, 1)
    assert offers.offer_unit(new_unit[0], now=RELEASED + datetime.timedelta(days=2)) is None
    assert not Offer.objects.exists()


def test_an_earlier_date_offered_before_the_release_is_withdrawn_and_passed_on(world):
    """A released request has no date left to move: the earlier date offered to it goes to the
    next in line instead of waiting for an answer that could not be taken."""
    _, site, service = world
    with time_machine.travel(NOW, tick=False):
        silent = factories.register_at_counter(service, site, 1)
        run_due_work(NOW)
    opened = RELEASED - datetime.timedelta(hours=2)
    earlier = factories.make_units(site, service, SLOT - datetime.timedelta(days=1), 1)[0]
    with time_machine.travel(opened, tick=False):
        offer = offers.offer_unit(earlier, now=opened)
    assert offer.request_id == silent.pk
    with time_machine.travel(RELEASED - datetime.timedelta(hours=1), tick=False):
        waiting = factories.register_at_counter(service, site, 2)

    due_work_at(RELEASED)

    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    # The released date is given to the person waiting, then the earlier one offered to them.
    assert factories.date_of(waiting) == SLOT
    assert Offer.objects.get(request=waiting, status=OfferStatus.PENDING).unit == earlier


def test_saying_still_needed_puts_it_back_with_its_registration_and_deadline(released, world):
    _, site, service = world
    french, _ = released
    registered_at, deadline = french.registered_at, french.deadline
    answered = RELEASED + datetime.timedelta(days=1)
    with time_machine.travel(answered, tick=False):
        # Someone who asked after them, with a later deadline, waits for the same units.
        newcomer = factories.register_at_counter(service, site, 3)
        assert resume_paused(french, now=answered)
        assert not resume_paused(french, now=answered)  # once is enough
    french.refresh_from_db()
    assert french.status == RequestStatus.WAITING
    assert (french.registered_at, french.deadline) == (registered_at, deadline)
    assert newcomer.deadline > deadline

    due_work_at(answered)

    assert factories.date_of(french) < factories.date_of(newcomer)
    kinds = list(french.events.values_list("kind", flat=True))
    assert kinds[-3:] == [EventKind.RELEASED, EventKind.STILL_NEEDED, EventKind.DATED]
    # Two dates, each by e-mail and SMS: the second is on the unit it lost, and still told.
    assert templates_of(french).count("appointment_given") == 4


def test_without_an_answer_it_is_reminded_a_week_before_then_closed(released, world):
    _, site, service = world
    french, english = released
    due_work_at(CLOSES - datetime.timedelta(days=7, minutes=1))
    assert "pause_reminder" not in templates_of(french)
    due_work_at(CLOSES - datetime.timedelta(days=7))
    due_work_at(CLOSES - datetime.timedelta(days=6))
    assert templates_of(french).count("pause_reminder") == 2  # one e-mail, one SMS
    assert templates_of(english).count("pause_reminder") == 1
    assert "Dernier rappel : avez-vous toujours besoin d'un rendez-vous ?" in [
        m.subject for m in french.messages.all()
    ]
    reminder = body(english, "pause_reminder")
    assert still_needed_link(english) in reminder
    assert "Without an answer before 8 January 2027, 09:20, your request will be closed" in reminder

    due_work_at(CLOSES - datetime.timedelta(minutes=1))
    french.refresh_from_db()
    assert french.status == RequestStatus.PAUSED

    due_work_at(CLOSES)
    for person in released:
        person.refresh_from_db()
        assert person.status == RequestStatus.LAPSED
        assert person.events.filter(kind=EventKind.LAPSED).count() == 1
        assert not resume_paused(person, now=CLOSES)
    assert f"la demande {french.number} est close" in body(french, "request_lapsed")
    assert "faites une nouvelle demande" in body(french, "request_lapsed")
    assert "make a new request" in body(english, "request_lapsed")
    # The identity's place is free again: the same person can ask anew.
    with time_machine.travel(CLOSES, tick=False):
        _, created = register_request(
            service=service,
            applicant=factories.applicant(1),
            sites=[site],
            channel="counter",
        )
    assert created


def test_the_release_message_says_what_to_do_and_by_when(released):
    french, english = released

    email = body(french, "appointment_released")
    assert "le rendez-vous du 14 décembre 2026 à 09:00 a été donné à une autre personne" in email
    assert f"Votre demande {french.number} est en pause" in email
    assert "garde son heure d'enregistrement et son échéance" in email
    assert (
        "ouvrez ce lien et appuyez sur « J'ai toujours besoin d'un rendez-vous » : "
        + still_needed_link(french)
    ) in email
    assert "Sans réponse avant le 8 janvier 2027 à 09:20, votre demande sera close." in email
    sms = body(french, "appointment_released", MessageChannel.SMS)
    assert still_needed_link(french) in sms
    assert "avant le 08/01" in sms and "close" in sms

    email = body(english, "appointment_released")
    assert f"Your request {english.number} is paused" in email
    assert "press « J'ai toujours besoin d'un rendez-vous » (I still need an appointment)" in email
    assert still_needed_link(english) in email
    assert "Without an answer before 8 January 2027, 09:20, your request will be closed." in email


def test_the_reconfirmation_request_says_a_silent_request_is_paused(released):
    french, english = released
    assert "votre demande sera mise en pause" in body(french, "reconfirm_request")
    assert "your request will be paused" in body(english, "reconfirm_request")


def test_counter_requests_without_contact_are_never_asked_nor_paused(world):
    _, site, service = world
    with time_machine.travel(NOW, tick=False):
        person = factories.register_at_counter(service, site, 1, email="")
        run_due_work(NOW)
    for day in (7, 6, 5, 1):
        due_work_at(SLOT - datetime.timedelta(days=day))
    person.refresh_from_db()
    assert person.status == RequestStatus.DATED
    assert not person.messages.exists()


# The pages.


@pytest.mark.clock(RELEASED)
def test_the_status_page_of_a_paused_request_says_what_to_do(client, released, clock):
    french, _ = released
    text = text_of(client.get(url("status", french)))
    assert "Statut : En pause : rendez-vous libéré faute de confirmation" in text
    assert "Avez-vous toujours besoin d'un rendez-vous ?" in text
    assert "ne recevra pas de nouvelle date tant que vous ne nous dites pas" in text
    assert (
        "Sans réponse avant le 8 janvier 2027 à 09:20 (heure de Paris, UTC+01:00), votre "
        "demande sera close." in text
    )
    page = LexborHTMLParser(client.get(url("status", french)).content)
    form = page.css_first(f'form[action="{url("still_needed", french)}"]')
    assert form.css_first("button").text().strip() == "J'ai toujours besoin d'un rendez-vous"


@pytest.mark.clock(RELEASED)
def test_the_button_puts_the_request_back_in_the_queue(client, released, clock):
    french, _ = released
    response = client.post(url("still_needed", french))
    assert response.status_code == 302 and response["Location"] == url("status", french)
    text = text_of(client.get(url("status", french)))
    assert "C'est noté : votre demande est de nouveau dans la file d'attente" in text
    assert "Votre place aujourd'hui" in text
    assert "J'ai toujours besoin d'un rendez-vous" not in text
    french.refresh_from_db()
    assert french.status == RequestStatus.WAITING


@pytest.mark.clock(RELEASED)
def test_the_link_of_the_message_opens_a_page_that_changes_nothing_until_pressed(
    client, released, clock
):
    french, _ = released
    response = client.get(url("still_needed", french))
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    text = text_of(response)
    assert "Avez-vous toujours besoin d'un rendez-vous ?" in text
    assert "son heure d'enregistrement et son échéance d'origine" in text
    assert "Sans réponse avant le 8 janvier 2027 à 09:20" in text
    french.refresh_from_db()
    assert french.status == RequestStatus.PAUSED  # a mail scanner opening the link does nothing

    client.post(url("still_needed", french))
    french.refresh_from_db()
    assert french.status == RequestStatus.WAITING


def test_the_button_does_nothing_for_a_request_that_is_not_paused(client, world):
    _, site, service = world
    with time_machine.travel(NOW, tick=False):
        person = factories.register_at_counter(service, site, 1)
        response = client.post(url("still_needed", person))
    assert "n'attend pas de réponse de votre part" in text_of(client.get(response["Location"]))
    assert not person.events.filter(kind=EventKind.STILL_NEEDED).exists()


def test_a_closed_request_says_so_and_how_to_ask_again(client, released):
    french, _ = released
    due_work_at(CLOSES)
    with time_machine.travel(CLOSES, tick=False):
        text = text_of(client.get(url("status", french)))
    assert "Cette demande est close" in text
    assert "vous n'avez pas dit dans les 30 jours que vous aviez toujours besoin" in text
    assert "Faire une nouvelle demande" in text
    assert "J'ai toujours besoin d'un rendez-vous" not in text


def test_the_status_page_warns_before_the_release_that_the_request_would_be_paused(client, world):
    _, site, service = world
    with time_machine.travel(NOW, tick=False):
        person = factories.register_at_counter(service, site, 1)
        run_due_work(NOW)
    with time_machine.travel(SLOT - datetime.timedelta(days=7), tick=False):
        text = text_of(client.get(url("status", person)))
    assert "Je confirme ma venue" in text
    assert "Votre demande sera mise en pause." in text


def test_agents_see_a_paused_request_as_such(client, released, world, settings):
    prefecture, site, _ = world
    settings.GUICHET_SESSION_MAX_HOURS = 10 * 365 * 24
    settings.GUICHET_SESSION_IDLE_MINUTES = 10 * 365 * 24 * 60
    french, _ = released
    with time_machine.travel(RELEASED, tick=False):
        factories.log_in_agent(client, factories.make_agent(prefecture))
        response = client.get("/agent/accueil/", {"site": site.pk, "number": french.number})
    page = LexborHTMLParser(response.content)
    badge = page.css_first(".fr-badge")
    assert badge.text().strip() == "En pause : rendez-vous libéré faute de confirmation"
    assert "fr-badge--warning" in badge.attributes["class"]
