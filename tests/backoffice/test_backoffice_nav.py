"""The back-office's nav: its links reversed once per process (templatetags/backoffice_nav.py),
still those of the address the pages are served under."""

import pytest
from django.urls import set_script_prefix
from selectolax.lexbor import LexborHTMLParser

from tests import factories

pytestmark = pytest.mark.django_db


def nav_links(response) -> list[str]:
    page = LexborHTMLParser(response.content)
    return [link.attributes["href"] for link in page.css("nav.counter-no-print a")]


def test_the_nav_links_follow_the_prefix_the_site_is_served_under(client):
    factories.log_in_agent(client, factories.make_agent(factories.make_prefecture()))

    plain = nav_links(client.get("/agent/"))
    # What a WSGI server's SCRIPT_NAME sets (the test client does not).
    set_script_prefix("/guichet/")
    try:
        prefixed = nav_links(client.get("/agent/"))
    finally:
        set_script_prefix("/")
    again = nav_links(client.get("/agent/"))

    assert plain[:2] == ["/agent/", "/agent/accueil/"]
    assert prefixed == [f"/guichet{link}" for link in plain]
    assert again == plain
