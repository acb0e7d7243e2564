"""Preferences from the applicant space: earlier dates on or off, and the language of messages."""

import pytest
from selectolax.lexbor import LexborHTMLParser

from guichet.booking.enums import Channel, EventKind
from tests.applicant_space import follow_to_status, register, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def waiting():
    return register(channel=Channel.COUNTER)


def test_the_status_page_says_the_preferences_and_links_to_their_page(client, waiting):
    page = LexborHTMLParser(client.get(url("status", waiting)).content)

    said = page.css_first(".request-preferences").text()
    assert "Si un créneau plus proche se libère, il vous est proposé." in said
    assert "Langue de vos messages : Français" in said
    link = page.css_first(f'a[href="{url("preferences", waiting)}"]')
    assert link.text().strip() == "Modifier mes préférences"


def test_earlier_dates_are_on_and_french_is_chosen_by_default(client, waiting):
    page = LexborHTMLParser(client.get(url("preferences", waiting)).content)

    toggle = page.css_first('input[name="accepts_offers"]')
    assert "checked" in toggle.attributes
    assert (
        "Me proposer des dates plus proches" in page.css_first(f'label[for="{toggle.id}"]').text()
    )
    assert page.css_first('input[name="language"][checked]').attributes["value"] == "fr"


def test_turning_earlier_dates_off_and_choosing_english(client, waiting):
    response = client.post(url("preferences", waiting), {"language": "en"})

    text = follow_to_status(client, response, waiting)
    assert "aucune date plus proche ne vous sera proposée ; vos messages seront en English" in text
    waiting.refresh_from_db()
    assert (waiting.accepts_offers, waiting.language) == (False, "en")
    event = waiting.events.get(kind=EventKind.PREFERENCES_CHANGED)
    assert event.detail == {"accepts_offers": False, "language": "en"}


def test_an_unchanged_form_records_nothing(client, waiting):
    response = client.post(url("preferences", waiting), {"accepts_offers": "on", "language": "fr"})

    assert "Vos préférences n'ont pas changé" in follow_to_status(client, response, waiting)
    assert not waiting.events.filter(kind=EventKind.PREFERENCES_CHANGED).exists()


def test_an_unknown_language_is_refused(client, waiting):
    response = client.post(url("preferences", waiting), {"accepts_offers": "on", "language": "xx"})

    assert response.status_code == 200
    assert "Choisissez une langue dans la liste" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.language == "fr"
