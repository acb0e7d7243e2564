"""The legal pages, the queue's public pages and a person's data pages in Chromium: axe-core
finds no violation, on a phone and on a desk, and the browser logs no error."""

import pytest

from tests import queue_history
from tests.browser import Journey

PAGES = [
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/accessibilite/",
    "/plan-du-site/",
    "/file-attente/",
    "/file-attente/94/",
    "/file-attente/94/receipt_pickup/",
    "/file-attente/donnees/",
]


@pytest.fixture
def history(transactional_db, settings):
    return queue_history.build_published(settings)


@pytest.mark.parametrize("page_fixture", ["browser_page", "desktop_page"])
def test_public_pages_pass_axe(history, live_server, page_fixture, request):
    page = request.getfixturevalue(page_fixture)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    journey = Journey(page, live_server.url)
    for path in PAGES:
        journey.goto(path)
    request_page = history.people["A5"]
    journey.goto(f"/demande/{request_page.access_token}/mes-donnees/")
    journey.goto(f"/demande/{request_page.access_token}/effacer-mes-donnees/")
    journey.goto(f"/demande/{history.people['A4'].access_token}/effacer-mes-donnees/")
    assert journey.refused() == []
    # Nothing refused by the Content-Security-Policy (the charts are SVG without inline style).
    assert errors == []
