"""In Chromium, every page a person opens is sent with a Content-Security-Policy and breaks none of
it: the intake with the real proof of work up to the receipt, a form's error summary that takes
the focus, /api/docs (Swagger UI), and the back-office and admin an administrator opens.

The browser reports each refused script, style, image or connection as a `securitypolicyviolation`
event and a console error; both are collected on every page and must stay empty."""

import datetime

import pytest
import time_machine

from guichet.backoffice.enums import Role
from guichet.catalogue.enums import ServiceKind
from tests import factories
from tests.browser import Journey
from tests.factories import NOW

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_DATE = datetime.datetime(2026, 12, 14, 8, 0, tzinfo=datetime.UTC)

# Runs in every page and frame before the page's own scripts (Playwright's init scripts and
# bindings are not subject to the page's policy).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} on ${document.location.pathname}`
  );
});
"""


class PolicyWatch:
    """What the browser refused, and the documents it received with no policy."""

    def __init__(self, page):
        self.page = page
        self.violations: list[str] = []
        self.without_policy: list[str] = []
        self.documents: list[str] = []
        page.expose_function("reportViolation", self._violation)
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("response", self._response)

    def _violation(self, text):
        self.violations.append(text)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            self.violations.append(f"console {message.type}: {message.text}")

    def _response(self, response):
        if response.request.resource_type != "document":
            return
        self.documents.append(response.url)
        headers = response.all_headers()
        if "content-security-policy" not in headers or "permissions-policy" not in headers:
            self.without_policy.append(response.url)

    def assert_clean(self):
        # Let late reports (a worker, an image) arrive before judging.
        self.page.wait_for_timeout(200)
        assert self.documents
        assert self.without_policy == []
        assert self.violations == []


@pytest.fixture
def val_de_marne(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.GUICHET_ALTCHA_ENABLED = True
    settings.GUICHET_ALTCHA_MAX_NUMBER = 5000  # a quicker puzzle, the same code path
    with time_machine.travel(NOW, tick=True):
        prefecture = factories.make_prefecture()
        site = factories.make_site(prefecture, "Préfecture du Val-de-Marne")
        factories.make_service(prefecture, ServiceKind.FIRST_PERMIT)
        factories.make_units(site, prefecture.services.get(), FIRST_DATE, 1)
        yield prefecture


def test_the_intake_up_to_the_receipt_breaks_no_policy(live_server, browser_page, val_de_marne):
    page = browser_page
    watch = PolicyWatch(page)
    with time_machine.travel(NOW, tick=True):
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Faire une demande de rendez-vous").click()
        page.get_by_label("Préfecture de votre département de résidence").select_option("94")
        page.get_by_role("button", name="Continuer").click()
        page.locator("label", has_text="Première demande").click()
        page.get_by_role("button", name="Continuer").click()
        # An empty identity: the error summary's script (a nonce) moves the focus to it.
        page.get_by_role("button", name="Continuer").click()
        page.wait_for_load_state("load")
        assert page.evaluate("document.activeElement.id") == "error-summary"
        page.get_by_label("Nom de famille").fill("Diallo")
        page.get_by_label("Prénoms").fill("Aminata")
        page.get_by_label("Date de naissance").fill("1990-05-14")
        page.get_by_label("Nationalité").fill("sénégalaise")
        page.get_by_label("Numéro de passeport ou de document de voyage").fill("12AB34567")
        page.get_by_role("button", name="Continuer").click()
        page.get_by_label("Adresse électronique").fill("aminata@example.org")
        page.get_by_role("button", name="Continuer").click()
        page.get_by_role("button", name="Continuer").click()
        # The proof of work: fetched, solved by altcha.js, then the request is sent.
        page.get_by_role("button", name="Envoyer ma demande").click()
        page.wait_for_url("**/attestation/", timeout=30_000)
        assert "Vérifiez votre adresse" in page.content() or page.locator("h1").is_visible()

    watch.assert_clean()


def test_swagger_ui_at_api_docs_breaks_no_policy(live_server, desktop_page):
    page = desktop_page
    watch = PolicyWatch(page)

    page.goto(live_server.url + "/api/docs")
    operation = page.get_by_text("Enregistrer une demande de rendez-vous")
    operation.wait_for(timeout=15_000)
    operation.click()  # the operation unfolds: its schema and example are drawn
    page.get_by_role("button", name="Try it out").wait_for(timeout=5_000)

    watch.assert_clean()


def test_the_back_office_and_the_admin_break_no_policy(live_server, desktop_page, world):
    page = desktop_page
    watch = PolicyWatch(page)
    administrator = factories.make_agent(None, role=Role.ADMINISTRATOR, username="admin.dupont")

    # To the back-office's login, then back here.
    journey = Journey(page, live_server.url, audit=False)
    journey.log_in("admin.dupont", administrator.second_factor.secret, at="/admin/")
    page.goto(live_server.url + "/admin/booking/request/")
    page.goto(live_server.url + "/agent/")
    page.goto(live_server.url + "/observatoire/")

    watch.assert_clean()
