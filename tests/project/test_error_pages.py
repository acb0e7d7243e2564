"""Error pages a person can act on: French, in the State's design (DSFR), each with the same three
ways forward, never Django's bare English page. DEBUG is off here, as in production."""

import pytest
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import path, reverse
from selectolax.lexbor import LexborHTMLParser

from guichet.urls import *  # noqa: F403  (this module is also a URLconf, with the project's handlers)
from guichet.urls import urlpatterns as project_urlpatterns
from tests import factories


def broken(request):
    raise RuntimeError("a bug")


def refused(request):
    raise SuspiciousOperation("nothing a person should read")


# The project's URLs, plus two views that fail the way real ones might.
urlpatterns = [path("panne/", broken), path("refus/", refused), *project_urlpatterns]

WAYS_FORWARD = {
    "/": "Page d'accueil",
    "/suivi/retrouver-mon-lien/": "Retrouver mon lien de suivi",
    "/agent/connexion/": "Espace agents : se connecter",
}


def assert_french_dsfr_error_page(response, status: int, heading: str) -> str:
    """The page is DSFR's error layout, in French, with its code and the three ways forward."""
    assert response.status_code == status
    page = LexborHTMLParser(response.content)
    assert page.css_first("html").attributes["lang"] == "fr"
    # The State's stylesheet and header, not a bare page.
    assert page.css_first('link[rel=stylesheet][href$="/dsfr.min.css"]') is not None
    assert page.css_first("header.fr-header") is not None
    # DSFR's error-page layout: the heading, the code, the buttons, the artwork.
    layout = page.css_first("main .fr-grid-row--middle.fr-grid-row--center")
    assert layout.css_first("h1").text() == heading
    assert f"Erreur {status}" in layout.text()
    ways = {a.attributes["href"]: a.text() for a in layout.css("ul.fr-btns-group a.fr-btn")}
    assert ways == WAYS_FORWARD
    assert layout.css_first("svg.fr-artwork") is not None
    text = page.body.text()
    for english in ("Forbidden", "Not Found", "Server Error", "Bad Request", "Traceback"):
        assert english not in text
    return text


def test_the_ways_forward_are_where_the_project_says():
    assert reverse("home") == "/"
    assert reverse("booking:find_link") == "/suivi/retrouver-mon-lien/"
    assert reverse("backoffice:login") == "/agent/connexion/"


@pytest.mark.django_db
def test_an_unknown_address_shows_the_french_404(client):
    response = client.get("/cette-page-n-existe-pas/")

    page = assert_french_dsfr_error_page(response, 404, "Page introuvable")
    assert "votre demande n'est pas perdue" in page


@pytest.mark.django_db
def test_an_agent_opening_the_associations_space_sees_the_french_403(client):
    """An agent is no association member: refused, told why, and shown where to go."""
    factories.log_in_agent(client, factories.make_agent(factories.make_prefecture()))

    response = client.get("/association/")

    page = assert_french_dsfr_error_page(response, 403, "Accès refusé")
    assert "Votre compte ne donne pas accès à cet espace" in page


@pytest.mark.urls(__name__)
def test_a_request_the_site_cannot_accept_shows_the_french_400(client):
    response = client.get("/refus/")

    page = assert_french_dsfr_error_page(response, 400, "Demande incorrecte")
    assert "nothing a person should read" not in page


def test_an_unknown_host_shows_the_french_400(client):
    """No django_db mark: the page needs neither the database nor the suspicious request."""
    response = client.get("/", headers={"host": "imposteur.example"})

    assert_french_dsfr_error_page(response, 400, "Demande incorrecte")


@pytest.mark.urls(__name__)
def test_a_bug_shows_the_french_500_without_touching_the_database(client):
    """No django_db mark: a query while rendering would fail the test, as a database down would."""
    assert not settings.DEBUG  # as in production: never Django's technical page
    client.raise_request_exception = False

    response = client.get("/panne/")

    page = assert_french_dsfr_error_page(response, 500, "Erreur inattendue")
    assert "a bug" not in page
    assert "vérifiez vos courriels et vos SMS" in page


@pytest.mark.urls(__name__)
def test_when_even_the_500_page_breaks_the_person_still_reads_french(client, monkeypatch):
    from django.template import loader

    def unrenderable(name, *args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(loader, "get_template", unrenderable)
    client.raise_request_exception = False

    response = client.get("/panne/")

    assert response.status_code == 500
    page = LexborHTMLParser(response.content)
    assert page.css_first("html").attributes["lang"] == "fr"
    assert page.css_first("h1").text() == "Erreur inattendue"
    assert {a.attributes["href"]: a.text() for a in page.css("a")} == WAYS_FORWARD
    assert "template engine down" not in page.body.text()


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_the_french_explanation():
    """The usual cause: the page stayed open too long, or cookies are blocked."""
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("booking:find_link"), {"contact": "a@example.org"})

    page = assert_french_dsfr_error_page(response, 403, "Votre envoi n'a pas été pris en compte")
    assert "la page est restée ouverte trop longtemps" in page
    assert "bloque les cookies" in page
    assert "Revenez à la page précédente" in page
    assert "CSRF" not in page
