"""The person's language: negotiated from the browser, changed by the switcher without leaving
the page, stored with the request at intake and used for its pages, messages, receipt PDF and
calendar file; right to left in Arabic; agents' pages in French, showing the person's language.

These pass whether or not the catalogues are translated yet: what a translation says is checked
by tests/project/test_catalogues.py and the browser journeys."""

import datetime
import re
import zoneinfo

import icalendar
import pypdfium2
import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from selectolax.lexbor import LexborHTMLParser

from guichet.booking.calendar import appointment_ics
from guichet.booking.models import Request
from guichet.booking.pdf import render_receipt_pdf
from guichet.booking.services import set_preferences
from guichet.dates import local_time
from guichet.languages import with_french
from guichet.notifications import services as notifications
from tests import factories
from tests.applicant_space import dated, register, url
from tests.booking.test_intake_web import fill, step_url

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NINE = ["fr", "en", "ar", "es", "pt", "zh-hans", "tr", "ru", "uk"]


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def html_of(response):
    return LexborHTMLParser(response.content)


def html_attributes(response) -> tuple[str, str]:
    node = html_of(response).css_first("html")
    return node.attributes["lang"], node.attributes["dir"]


# Negotiated, switched, remembered


@pytest.mark.parametrize(
    ("asked", "lang", "direction"),
    [
        ("ar", "ar", "rtl"),
        ("en-GB,en;q=0.9", "en", "ltr"),
        ("zh-CN", "zh-hans", "ltr"),
        ("de", "fr", "ltr"),
        ("", "fr", "ltr"),
    ],
)
def test_the_home_page_speaks_the_browsers_language(client, asked, lang, direction):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=asked)

    assert html_attributes(response) == (lang, direction)
    assert response["Content-Language"] == lang


def test_every_public_page_offers_the_nine_languages_each_named_in_itself(client):
    page = html_of(client.get("/file-attente/", HTTP_ACCEPT_LANGUAGE="ar"))

    buttons = page.css("form[action='/langue/'] button[name=language]")
    assert [button.attributes["value"] for button in buttons] == NINE
    assert [button.attributes["lang"] for button in buttons] == NINE
    named = {button.attributes["value"]: button.text(strip=True) for button in buttons}
    assert (
        named["ar"] == "العربية" and named["zh-hans"] == "简体中文" and named["uk"] == "Українська"
    )
    assert [b.attributes["value"] for b in buttons if "aria-current" in b.attributes] == ["ar"]
    assert page.css_first("form[action='/langue/'] input[name=next]").attributes["value"] == (
        "/file-attente/"
    )


def test_the_switcher_comes_back_to_the_same_page_and_is_remembered(client):
    request = register()
    receipt = url("receipt", request) + "?x=1"

    response = client.post("/langue/", {"language": "es", "next": receipt})

    assert response.status_code == 302 and response["Location"] == receipt
    assert client.cookies["django_language"].value == "es"
    assert html_attributes(client.get(receipt)) == ("es", "ltr")
    assert html_attributes(client.get("/")) == ("es", "ltr")  # the same address, no prefix


def test_the_switcher_never_sends_anyone_to_another_site(client):
    response = client.post("/langue/", {"language": "es", "next": "https://example.com/"})

    assert response["Location"] == "/"


@pytest.mark.parametrize("path", ["/agent/connexion/", "/association/"])
def test_agents_and_members_pages_stay_in_french_without_switcher(client, path):
    client.cookies["django_language"] = "ar"
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="ar", follow=True)

    assert html_attributes(response) == ("fr", "ltr")
    assert not html_of(response).css("form[action='/langue/']")


# Stored with the request, used for its pages and messages


def test_the_request_keeps_the_language_its_intake_was_filled_in(client, prefecture):
    service = factories.make_service(prefecture)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ar"
    fill(client, prefecture, service)

    response = client.post(step_url("recapitulatif"))

    assert response.status_code == 302
    request = Request.objects.get()
    assert request.language == "ar"
    # The confirmation message goes in Arabic (in French while no Arabic template exists).
    assert set(request.messages.values_list("language", flat=True)) == {"ar"}


@pytest.fixture
def prefecture():
    prefecture = factories.make_prefecture()
    factories.make_site(prefecture)
    return prefecture


def test_a_requests_pages_speak_its_language_unless_this_browser_chose_another(client):
    request = register()
    set_preferences(request, accepts_offers=True, language="ar")

    assert html_attributes(client.get(url("status", request), HTTP_ACCEPT_LANGUAGE="en")) == (
        "ar",
        "rtl",
    )
    client.cookies["django_language"] = "es"
    assert html_attributes(client.get(url("status", request))) == ("es", "ltr")


def test_preferences_offer_the_nine_languages_for_messages(client):
    request = register()
    page = html_of(client.get(url("preferences", request)))

    assert [node.attributes["value"] for node in page.css("input[name=language]")] == NINE

    client.post(url("preferences", request), {"accepts_offers": "on", "language": "uk"})
    request.refresh_from_db()
    assert request.language == "uk"


def test_a_message_missing_in_a_language_goes_in_french(settings, tmp_path):
    folder = tmp_path / "notifications" / "fr"
    folder.mkdir(parents=True)
    (folder / "only_french.txt").write_text("Sujet\nSeulement en français.")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    request = register()

    subject, body = notifications.render(
        "only_french", "email", "tr", notifications.base_context(request)
    )

    assert (subject, body) == ("Sujet", "Seulement en français.\n")
    assert notifications.template_names("x", "zh-hans") == [
        "notifications/zh-hans/x.txt",
        "notifications/zh_Hans/x.txt",
        "notifications/fr/x.txt",
    ]
    assert [notifications.message_language(code) for code in NINE] == NINE
    assert notifications.message_language("de") == "fr"


# Documents: French, with the person's language beside it


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)


def test_the_receipt_pdf_adds_the_key_facts_in_the_persons_language():
    request = dated()

    french = pdf_text(render_receipt_pdf(request))
    spanish = pdf_text(render_receipt_pdf(request, "es"))

    assert "Attestation d'enregistrement de demande de rendez-vous" in spanish
    with translation.override("es"):
        heading = translation.gettext("Numéro de la demande") + f" : {request.number}"
    assert heading in spanish
    assert "Numéro de la demande : " not in french
    with translation.override("es"):
        when = local_time(request.appointment.unit.starts_at, request.prefecture.tz, weekday=True)
    assert capfirst(when.split(" (")[0]) in spanish


def test_the_calendar_file_is_french_then_the_persons_language():
    request = dated()

    french = icalendar.Calendar.from_ical(appointment_ics(request.appointment, "fr"))
    spanish = icalendar.Calendar.from_ical(appointment_ics(request.appointment, "es"))

    (event,) = french.walk("VEVENT")
    assert str(event["summary"]) == f"Rendez-vous : {request.service.name} ({request.number})"
    (event,) = spanish.walk("VEVENT")
    assert str(event["summary"]).startswith(f"Rendez-vous : {request.service.name} (")
    assert " / " in str(event["summary"])
    assert str(event["description"]).count(f"{request.number}") == 2


# Dates and words


def test_dates_are_written_in_each_languages_own_order_with_the_zone_named():
    moment = datetime.datetime(2026, 12, 14, 9, 0, tzinfo=datetime.UTC)
    tz = factories.make_prefecture().tz

    with translation.override("fr"):
        assert local_time(moment, tz, weekday=True) == (
            "le lundi 14 décembre 2026 à 10:00 (heure de Paris, UTC+01:00)"
        )
    with translation.override("es"):
        assert "lunes, 14 de diciembre de 2026" in local_time(moment, tz, weekday=True)
    with translation.override("zh-hans"):
        assert "2026年12月14日" in local_time(moment, tz)
    with translation.override("ar"):
        text = local_time(moment, tz)
        assert "\u2066UTC+01:00\u2069" in text  # isolated left to right
        assert "Paris" in text or "باريس" in text


def test_message_templates_may_keep_the_french_formats_and_read_right_elsewhere():
    template = Template(
        '{% load dates tz %}{{ m|timezone:tz|date_text:"l j F Y à H:i" }} / {{ m|local_time:tz }}'
    )
    context = Context({"m": datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC), "tz": PARIS})
    with translation.override("fr"):
        assert template.render(context) == (
            "mardi 1er décembre 2026 à 10:00 / le 1er décembre 2026 à 10:00 "
            "(heure de Paris, UTC+01:00)"
        )
    with translation.override("es"):
        assert template.render(context).startswith("martes, 1 de diciembre de 2026, 10:00 / ")


def test_legal_terms_keep_their_french_words_beside_a_translation():
    template = Template('{% load languages %}titre{% french_term "titre de séjour" %}')
    with translation.override("fr"):
        assert template.render(Context()) == "titre"
        assert with_french("Numéro étranger", "numéro AGDREF") == "Numéro étranger"
    with translation.override("en"):
        assert template.render(Context()) == 'titre <span lang="fr">(titre de séjour)</span>'
        assert with_french("Foreigner number", "numéro AGDREF") == (
            "Foreigner number (numéro AGDREF)"
        )
        # Translators often give the French word inside the sentence: not twice.
        assert with_french("Residence permit (titre de séjour)", "titre de séjour") == (
            "Residence permit (titre de séjour)"
        )


def test_a_request_number_reads_left_to_right_in_arabic(client):
    request = register()
    client.cookies["django_language"] = "ar"

    page = html_of(client.get(url("receipt", request)))

    number = page.css_first(".receipt-number bdi")
    assert (number.text(), number.attributes["dir"]) == (request.number, "ltr")


# Agents see the person's language


def test_the_agenda_and_the_counter_show_the_persons_language(client):
    request = dated()
    set_preferences(request, accepts_offers=True, language="ar")
    agent = factories.log_in_agent(client, factories.make_agent(request.prefecture))
    site = request.appointment.unit.site
    day = request.appointment.unit.starts_at.astimezone(request.prefecture.tz).date()

    agenda = html_of(agent.get("/agent/", {"site": site.pk, "day": day.isoformat()}))
    counter = html_of(agent.get("/agent/accueil/", {"site": site.pk, "number": request.number}))

    assert agenda.css_first("html").attributes["lang"] == "fr"
    assert agenda.css_first("td.counter-language").text(strip=True) == "Arabe"
    assert re.sub(r"\s+", " ", counter.css_first(".counter-language").text()).strip() == (
        "Langue de la personne : Arabe (العربيّة)"
    )
    assert reverse("backoffice:agenda") == "/agent/"
