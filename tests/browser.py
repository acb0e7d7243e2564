"""What browser journeys check on every page they open: axe-core finds nothing, the browser
logged no error, and the server answered no 4xx/5xx that the person would meet."""

import functools
from collections.abc import Callable

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone, translation
from playwright.sync_api import TimeoutError

from tests.factories import PASSWORD


@functools.cache
def _axe() -> Axe:
    return Axe()


def assert_accessible(page) -> None:
    """Zero axe-core violations on the page as it stands (any impact, every rule axe runs)."""
    results = _axe().run(page)
    assert results.violations_count == 0, f"axe-core on {page.url}:\n{results.generate_report()}"


class Journey:
    """A page followed through a journey: every page reached is checked with axe-core, and a
    failure says which responses and console lines the browser saw."""

    def __init__(self, page, base_url: str, *, audit: bool = True):
        """`audit=False` walks the pages without axe-core, for a test about something else."""
        self.page = page
        self.base_url = base_url
        self.audit = audit
        self.log: list[str] = []
        self.checked: list[str] = []
        page.on("console", lambda message: self.log.append(f"console {message.text}"))
        page.on("response", self._response)

    def _response(self, response):
        self.log.append(f"{response.status} {response.request.method} {response.url}")

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        self.check()

    def check(self):
        """Check the page now shown (after a click that loaded a new page)."""
        self.page.wait_for_load_state("load")
        if self.audit:
            assert_accessible(self.page)
        self.checked.append(self.page.url)

    def log_in(self, username: str, secret: str, *, at="/agent/", home="", password=PASSWORD):
        """Log in through the back-office's pages from `at`, which lead to `home` (else back to
        `at`): the password, then the authenticator's code for the server's clock; each page
        checked."""
        page = self.page
        self.goto(at)
        page.get_by_label("Identifiant").fill(username)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/agent/connexion/code/**")
        self.check()
        page.get_by_label("Code à 6 chiffres").fill(pyotp.TOTP(secret).at(timezone.now()))
        page.get_by_role("button", name="Valider").click()
        page.wait_for_url(f"{self.base_url}{home or at}")
        self.check()

    def refused(self) -> list[str]:
        """Responses the person met as errors (4xx and 5xx), for assertions and failures."""
        return [line for line in self.log if line[:1] in "45" and line[1:3].isdigit()]


def mail_to(address: str) -> str:
    """The newest e-mail to `address`, once the outbox's due messages are sent, as a person's
    mailbox would show it."""
    from guichet.notifications.services import send_due_messages

    send_due_messages()
    bodies = [message.body for message in mail.outbox if address in message.to]
    assert bodies, f"no e-mail to {address}: {[m.to for m in mail.outbox]}"
    return bodies[-1]


def in_language(language: str) -> Callable[[str], str]:
    """msgid -> the words a person reading `language` sees for it (its translation)."""

    def say(msgid: str) -> str:
        with translation.override(language):
            return translation.gettext(msgid)

    return say


def french(msgid: str) -> str:
    return msgid


def fill_first_permit_intake(
    journey: Journey, *, passport: str, say: Callable[[str], str] = french
) -> None:
    """From the home page to the intake's summary, as Aminata Diallo asking for a first permit
    in Val-de-Marne (préfecture 94), every page checked; `say` gives the words of the page's
    language (`in_language`)."""
    page = journey.page
    journey.goto("/")
    page.get_by_role("link", name=say("Faire une demande de rendez-vous")).click()
    journey.check()
    page.get_by_label(say("Préfecture de votre département de résidence")).select_option("94")
    page.get_by_role("button", name=say("Continuer")).click()
    journey.check()
    # The service's own name, as the préfecture wrote it; DSFR draws its own radio.
    page.locator("label", has_text="Première demande").click()
    page.get_by_role("button", name=say("Continuer")).click()
    journey.check()
    page.get_by_label(say("Nom de famille")).fill("Diallo")
    page.get_by_label(say("Prénoms")).fill("Aminata")
    page.get_by_label(say("Date de naissance")).fill("1990-05-14")
    page.get_by_label(say("Nationalité")).fill("sénégalaise")
    page.get_by_label(say("Numéro de passeport ou de document de voyage")).fill(passport)
    page.get_by_role("button", name=say("Continuer")).click()
    journey.check()
    page.get_by_label(say("Adresse électronique")).fill("aminata@example.org")
    page.get_by_role("button", name=say("Continuer")).click()
    journey.check()
    page.get_by_role("button", name=say("Continuer")).click()  # sites: all checked by default
    journey.check()


def send_the_request(journey: Journey, say: Callable[[str], str] = french) -> None:
    """« Envoyer ma demande » on the summary, once the proof of work is solved; the receipt."""
    page = journey.page
    page.get_by_role("button", name=say("Envoyer ma demande")).click()
    try:
        page.wait_for_url("**/attestation/")
    except TimeoutError:
        pytest.fail(
            f"no receipt: still at {page.url}; challenge said "
            f"{page.locator('[data-altcha-status]').inner_text()!r}; page said "
            f"{page.locator('main').inner_text()[:600]!r}; browser log {journey.log}",
            pytrace=False,
        )
    journey.check()
