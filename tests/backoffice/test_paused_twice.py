"""A person may put their paused request back in line by themselves once; released again, only
the préfecture can (at the counter or by phone, papers checked), and the pages and messages say so.

A bot registering fake identities on a catch-all mail domain reads the release message too: if it
could press « J'ai toujours besoin d'un rendez-vous » after every release, its fakes would be dated
and released over and over (docs/simulator.md, « Abus »).
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser

from guichet.backoffice.duplicates import ActionRefused, resume_by_agent
from guichet.backoffice.enums import JournalAction
from guichet.backoffice.journal import describe
from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import EventKind, RequestStatus
from guichet.booking.reminders import PAUSE_ANSWER_DAYS, resume_paused
from guichet.booking.services import allocate_service
from guichet.notifications.enums import MessageChannel
from tests import factories
from tests.applicant_space import text_of, url
from tests.duework import due_work_at
from tests.factories import NOW

pytestmark = pytest.mark.django_db

SLOT = datetime.datetime(2026, 12, 14, 8, 0, tzinfo=datetime.UTC)  # Monday, 09:00 in Paris
# Asked seven days before, released two days after asking: Wednesday 9 December, 09:20 in Paris.
RELEASED = SLOT - datetime.timedelta(days=5) + datetime.timedelta(minutes=20)
RESUMED = RELEASED + datetime.timedelta(hours=1)
# Dated again on the same morning at once (nobody else wanted it), asked at once since the slot is
# within seven days, released two days later: Friday 11 December, 10:20 in Paris.
RELEASED_AGAIN = RESUMED + datetime.timedelta(days=2)
CLOSES = RELEASED_AGAIN + datetime.timedelta(days=PAUSE_ANSWER_DAYS)  # 10 January 2027, 10:20


@pytest.fixture
def world():
    """A service that asks for reconfirmation, two units on SLOT's morning; Hérault apart."""
    prefecture, site, service = factories.make_reconfirming_service(SLOT)
    with time_machine.travel(NOW, tick=False):
        herault = factories.make_prefecture("34", "Hérault")
    return prefecture, site, service, herault


@pytest.fixture
def released_twice(world):
    """Two people who never reconfirm, the first French (e-mail and phone), the second English
    (e-mail): released, back in line by their own hand, dated again and released again."""
    _, site, service, _ = world
    with time_machine.travel(NOW, tick=False):
        people = [
            factories.register_at_counter(service, site, 1, phone="+33612345678"),
            factories.register_at_counter(service, site, 2, language="en"),
        ]
        allocate_service(service, seed=1, now=NOW)
    due_work_at(RELEASED)
    for person in people:
        assert resume_paused(person, now=RESUMED)
    due_work_at(RESUMED)
    for person in people:
        assert factories.date_of(person) is not None
    due_work_at(RELEASED_AGAIN - datetime.timedelta(minutes=1))
    for person in people:
        person.refresh_from_db()
        assert person.status == RequestStatus.DATED
    due_work_at(RELEASED_AGAIN)
    for person in people:
        person.refresh_from_db()
        assert person.status == RequestStatus.PAUSED
        assert person.events.filter(kind=EventKind.RELEASED).count() == 2
    return people


def body(person, template, channel=MessageChannel.EMAIL, last=True):
    messages = person.messages.filter(template=template, channel=channel).order_by("pk")
    return (messages.last() if last else messages.first()).body


ONLY_THE_PREFECTURE = (
    "Vous avez déjà remis cette demande dans la file vous-même une fois : seule la préfecture "
    "peut maintenant l'y remettre."
)
GO_OR_CALL = (
    "présentez-vous au guichet de la préfecture ou appelez-la, avec vos documents d'identité"
)
# The pages say it in shorter sentences than the messages.
GO_OR_CALL_PAGE = "Allez au guichet de la préfecture ou appelez-la, avec vos documents d'identité."


def test_a_second_release_leaves_the_request_paused_and_the_person_cannot_resume_it(
    released_twice,
):
    french, _ = released_twice
    assert not resume_paused(french, now=RELEASED_AGAIN)
    french.refresh_from_db()
    assert french.status == RequestStatus.PAUSED
    assert french.events.filter(kind=EventKind.STILL_NEEDED).count() == 1
    # Nobody answers for it: it closes after the usual time, as after a first release.
    due_work_at(CLOSES - datetime.timedelta(minutes=1))
    french.refresh_from_db()
    assert french.status == RequestStatus.PAUSED
    due_work_at(CLOSES)
    french.refresh_from_db()
    assert french.status == RequestStatus.LAPSED


def test_dated_again_on_the_unit_it_lost_the_person_is_told_asked_and_released_anew(world):
    """Nobody else took the released unit, so the batch gives it back: its messages were keyed
    by request and unit, and the new date, its reconfirmation and its release went unsent."""
    _, site, service, _ = world
    with time_machine.travel(NOW, tick=False):
        person = factories.register_at_counter(service, site, 1, phone="+33612345678")
        allocate_service(service, seed=1, now=NOW)
    first_unit = person.appointment.unit_id
    due_work_at(RELEASED)
    assert resume_paused(person, now=RESUMED)
    due_work_at(RESUMED)
    person.refresh_from_db()
    assert person.appointment.unit_id == first_unit
    due_work_at(RELEASED_AGAIN)
    person.refresh_from_db()
    assert person.status == RequestStatus.PAUSED
    for template in ("appointment_given", "reconfirm_request", "appointment_released"):
        for channel in MessageChannel:
            sent = person.messages.filter(template=template, channel=channel).count()
            assert sent == 2, (template, channel)
    assert person.events.filter(kind=EventKind.RECONFIRMATION_ASKED).count() == 2


def test_the_status_page_says_only_the_prefecture_can_put_it_back(client, released_twice):
    french, _ = released_twice
    with time_machine.travel(RELEASED_AGAIN, tick=False):
        response = client.get(url("status", french))
    text = text_of(response)
    assert "Statut : En pause : rendez-vous libéré faute de confirmation" in text
    assert ONLY_THE_PREFECTURE in text
    assert "Vous avez toujours besoin d'un rendez-vous ? " + GO_OR_CALL_PAGE in text
    assert "avec son heure d'enregistrement et son échéance d'origine" in text
    assert (
        "Si elle n'est pas remise dans la file avant le 10 janvier 2027 à 10:20 (heure de Paris, "
        "UTC+01:00), votre demande sera close." in text
    )
    page = LexborHTMLParser(response.content)
    assert page.css_first(f'form[action="{url("still_needed", french)}"]') is None
    assert "J'ai toujours besoin d'un rendez-vous" not in text


def test_the_link_of_the_message_says_so_and_pressing_anyway_changes_nothing(
    client, released_twice
):
    french, _ = released_twice
    with time_machine.travel(RELEASED_AGAIN, tick=False):
        page = client.get(url("still_needed", french))
        pressed = client.post(url("still_needed", french))
        after = client.get(pressed["Location"])
    assert page.status_code == 200
    text = text_of(page)
    assert ONLY_THE_PREFECTURE in text and GO_OR_CALL_PAGE in text
    assert LexborHTMLParser(page.content).css_first("main form") is None
    assert pressed["Location"] == url("status", french)
    shown = LexborHTMLParser(after.content).css_first(".fr-alert--error").text()
    assert "seule la préfecture peut maintenant l'y remettre" in shown
    assert "Rien n'a changé" in shown
    french.refresh_from_db()
    assert french.status == RequestStatus.PAUSED
    assert french.events.filter(kind=EventKind.STILL_NEEDED).count() == 1


def test_the_second_release_message_says_only_the_prefecture_can_put_it_back(released_twice):
    french, english = released_twice

    first = body(french, "appointment_released", last=False)
    assert "appuyez sur « J'ai toujours besoin d'un rendez-vous »" in first
    email = body(french, "appointment_released")
    assert f"Votre demande {french.number} est en pause" in email
    assert "Vous avez déjà remis cette demande dans la file vous-même une fois" in email
    assert "cette fois, seule la préfecture peut l'y remettre" in email
    assert GO_OR_CALL + " : un agent les vérifiera" in email
    assert "Si elle n'est pas remise dans la file avant le 10 janvier 2027 à 10:20" in email
    assert "J'ai toujours besoin d'un rendez-vous" not in email
    assert french.access_token in email  # the status page
    sms = body(french, "appointment_released", MessageChannel.SMS)
    assert "Seule la préfecture peut la remettre dans la file" in sms
    assert "guichet ou téléphone, avec vos documents, avant le 10/01" in sms

    email = body(english, "appointment_released")
    assert f"Your request {english.number} is paused" in email
    assert "You already put this request back in the queue yourself once" in email
    assert "only the préfecture can put it back" in email
    assert "go to the préfecture's counter or call it, with your identity papers" in email
    assert "If it is not put back before 10 January 2027, 10:20" in email
    assert "J'ai toujours besoin d'un rendez-vous" not in email


def test_the_reminder_before_closing_says_it_too(released_twice):
    french, english = released_twice
    due_work_at(CLOSES - datetime.timedelta(days=7))
    email = body(french, "pause_reminder")
    assert "seule la préfecture peut maintenant l'y remettre" in email
    assert GO_OR_CALL in email
    assert "J'ai toujours besoin d'un rendez-vous" not in email
    sms = body(french, "pause_reminder", MessageChannel.SMS)
    assert "Seule la préfecture peut la remettre dans la file" in sms
    email = body(english, "pause_reminder")
    assert "only the préfecture can put it back now" in email
    assert "J'ai toujours besoin d'un rendez-vous" not in email


# The préfecture puts it back.


def logged_in(client, prefecture):
    user = factories.make_agent(prefecture, username=f"agent-{prefecture.department_code}")
    factories.log_in_agent(client, user)
    client.user = user
    return client


AT_THE_COUNTER = RELEASED_AGAIN + datetime.timedelta(days=3)
NOTE = "Passeport PA0000001 vu au guichet."


def test_an_agent_puts_it_back_in_line_papers_checked_and_it_is_journaled(
    client, released_twice, world
):
    prefecture, site, service, _ = world
    french, _ = released_twice
    registered_at, deadline = french.registered_at, french.deadline
    with time_machine.travel(AT_THE_COUNTER, tick=False):
        agent = logged_in(client, prefecture)
        page = LexborHTMLParser(
            agent.get(reverse("backoffice:request_detail", args=[french.pk])).content
        )
        section = page.css_first('section[aria-labelledby="resume-title"]')
        assert "La personne l'a déjà remise dans la file elle-même une fois" in section.text()
        assert "libéré faute de confirmation (2 fois en tout)" in section.text()
        button = section.css_first("form button")
        assert button.text().strip() == "Remettre dans la file d'attente"
        resume = reverse("backoffice:request_resume", args=[french.pk])
        assert section.css_first("form").attributes["action"] == resume

        refused = agent.post(resume, {"note": ""})
        assert refused.status_code == 200 and "Écrivez le motif" in refused.content.decode()
        french.refresh_from_db()
        assert french.status == RequestStatus.PAUSED

        response = agent.post(resume, {"note": NOTE})
        assert response.url == reverse("backoffice:request_detail", args=[french.pk])
        done = text_of(agent.get(response.url))
        assert f"Demande {french.number} remise dans la file d'attente" in done

    french.refresh_from_db()
    assert french.status == RequestStatus.WAITING
    assert (french.registered_at, french.deadline) == (registered_at, deadline)
    assert french.events.last().kind == EventKind.RESUMED_BY_PREFECTURE
    entry = JournalEntry.objects.get(action=JournalAction.REQUEST_RESUMED)
    assert (entry.user, entry.request, entry.prefecture) == (agent.user, french, prefecture)
    sentence = describe([entry])[0][1]
    assert sentence == (
        "Demande en pause remise dans la file d'attente, avec son heure d'enregistrement et son "
        "échéance ; rendez-vous libérés faute de confirmation : 2 ; documents vérifiés : " + NOTE
    )
    assert JournalAction.REQUEST_RESUMED.label == "remise dans la file"
    # Back in line, it is dated like anyone.
    later = factories.make_units(site, service, SLOT + datetime.timedelta(days=7), 1)[0]
    due_work_at(AT_THE_COUNTER)
    assert factories.date_of(french) == later.starts_at
    with time_machine.travel(AT_THE_COUNTER, tick=False):
        history = text_of(client.get(url("status", french)))
    assert "Remise dans la file d'attente par la préfecture, documents vérifiés" in history


def test_an_agent_of_another_prefecture_cannot_put_it_back(client, released_twice, world):
    _, _, _, herault = world
    french, _ = released_twice
    with time_machine.travel(AT_THE_COUNTER, tick=False):
        agent = logged_in(client, herault)
        page = agent.get(reverse("backoffice:request_detail", args=[french.pk]))
        response = agent.post(
            reverse("backoffice:request_resume", args=[french.pk]), {"note": NOTE}
        )
    assert page.status_code == response.status_code == 404
    french.refresh_from_db()
    assert french.status == RequestStatus.PAUSED
    assert not JournalEntry.objects.filter(action=JournalAction.REQUEST_RESUMED).exists()


def test_the_check_in_page_leads_to_the_button(client, released_twice, world):
    prefecture, site, _, _ = world
    french, _ = released_twice
    with time_machine.travel(AT_THE_COUNTER, tick=False):
        agent = logged_in(client, prefecture)
        response = agent.get("/agent/accueil/", {"site": site.pk, "number": french.number})
    link = LexborHTMLParser(response.content).css_first(
        f'a[href^="{reverse("backoffice:request_detail", args=[french.pk])}"]'
    )
    assert link.text().strip() == "Remettre dans la file d'attente"


def test_only_a_paused_request_is_put_back(world):
    prefecture, site, service, _ = world
    with time_machine.travel(NOW, tick=False):
        waiting = factories.register_at_counter(service, site, 3)
        agent = factories.make_agent(prefecture)
        with pytest.raises(ActionRefused, match="n'est pas en pause"):
            resume_by_agent(waiting, agent, NOTE)
    assert not JournalEntry.objects.filter(action=JournalAction.REQUEST_RESUMED).exists()


def test_after_the_agent_put_it_back_a_new_release_still_needs_the_prefecture(
    client, released_twice, world
):
    """The person's own turn is spent; the agent's does not give it back."""
    prefecture, site, service, _ = world
    french, _ = released_twice
    with time_machine.travel(AT_THE_COUNTER, tick=False):
        resume_by_agent(french, factories.make_agent(prefecture), NOTE)
    later = SLOT + datetime.timedelta(days=14)
    factories.make_units(site, service, later, 1)
    due_work_at(AT_THE_COUNTER)
    assert factories.date_of(french) == later
    third = later - datetime.timedelta(days=5)  # asked seven days before, released two after
    due_work_at(third)
    french.refresh_from_db()
    assert french.status == RequestStatus.PAUSED
    assert "seule la préfecture peut l'y remettre" in body(french, "appointment_released")
    assert not resume_paused(french, now=third)
