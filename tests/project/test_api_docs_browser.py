"""/api/docs is read by integrators, sometimes on networks that reach nothing else: Swagger UI
must come from Guichet itself, never from a CDN."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_with_no_host_but_guichet(live_server, desktop_page):
    page = desktop_page
    own_host = urlsplit(live_server.url).netloc
    elsewhere = []

    def only_guichet(route):
        url = route.request.url
        if urlsplit(url).netloc == own_host or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    page.route("**/*", only_guichet)

    page.goto(live_server.url + "/api/docs")

    operation = page.get_by_text("Enregistrer une demande de rendez-vous")
    operation.wait_for(timeout=15_000)
    assert operation.is_visible()
    assert page.get_by_text("/api/prefectures", exact=True).first.is_visible()
    assert elsewhere == []
