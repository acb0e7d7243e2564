"""In Chromium: the 404 page a mistyped or stale link leads to passes axe-core, and its ways
forward are real links a person can follow."""

import pytest

from tests.browser import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_404_page_is_accessible_and_leads_somewhere(live_server, browser_page):
    page = browser_page

    response = page.goto(live_server.url + "/suivi/un-lien-perime/")

    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page introuvable"
    assert_accessible(page)
    page.get_by_role("link", name="Retrouver mon lien de suivi").click()
    page.wait_for_url("**/suivi/retrouver-mon-lien/")
