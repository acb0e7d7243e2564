import datetime
import os

import pytest
import time_machine

# `GUICHET_TEST_TODAY=2027-06-15 make test` runs the whole suite as if the machine's date were
# that day (time flowing from the current time of day): CI runs it months away, so a test that
# passes only near the day it was written fails there (see .ci/run).
SHIFTED_TODAY = os.environ.get("GUICHET_TEST_TODAY", "")


def pytest_configure(config):
    if SHIFTED_TODAY:
        now = datetime.datetime.now(datetime.UTC)
        shifted = datetime.datetime.combine(
            datetime.date.fromisoformat(SHIFTED_TODAY), now.time(), tzinfo=datetime.UTC
        )
        config._shifted_clock = time_machine.travel(shifted, tick=True)
        config._shifted_clock.start()


def pytest_report_header(config):
    if SHIFTED_TODAY:
        return f"clock shifted: every test runs as if today were {SHIFTED_TODAY} (UTC)"


@pytest.fixture
def clock(request):
    """The tests' one clock, stopped at factories.NOW, or at the instant a test or module names
    with `pytest.mark.clock(instant)`; a test moves it on with `clock.move_to(...)` or
    `clock.shift(...)`. It stands over GUICHET_TEST_TODAY's shifted clock while it runs."""
    from tests import factories

    mark = request.node.get_closest_marker("clock")
    with time_machine.travel(mark.args[0] if mark else factories.NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _clock_of_the_mark(request):
    """A test marked `pytest.mark.clock(instant)` runs on the clock, as if it asked for it."""
    if request.node.get_closest_marker("clock"):
        request.getfixturevalue("clock")


@pytest.fixture
def clean_counters(clock):
    """The cache and the rate-limit counters start and end empty; the test runs on `clock`."""
    from django.core.cache import cache

    from guichet.protection import counters

    cache.clear()
    counters.clear_all()
    yield clock
    cache.clear()
    counters.clear_all()


@pytest.fixture
def world(db):
    """A préfecture (94) with one site and one service: (prefecture, site, service)."""
    from tests import factories

    prefecture = factories.make_prefecture()
    return prefecture, factories.make_site(prefecture), factories.make_service(prefecture)


@pytest.fixture(autouse=True)
def _intake_protection_off(settings):
    """Challenges and rate limits are tested on their own; elsewhere they would only add noise."""
    settings.GUICHET_ALTCHA_ENABLED = False
    settings.GUICHET_RATE_LIMITS_ENABLED = False


@pytest.fixture(autouse=True)
def _no_counter_outlives_its_test(settings):
    """In Redis (REDIS_URL), rate-limit counters and replay marks outlive the test's rolled-back
    database: forget them after each test, as the database forgets its own rows."""
    yield
    if settings.GUICHET_COUNTERS_CACHE:
        from django.core.cache import caches

        caches[settings.GUICHET_COUNTERS_CACHE].clear()


@pytest.fixture(autouse=True)
def _no_catalogue_outlives_its_test():
    """What a process keeps of the catalogue (guichet.catalogue.cache) would outlive the test's
    rolled-back rows, whose ids SQLite gives again: forget it after each test."""
    yield
    from guichet.catalogue import cache

    cache.forget()


@pytest.fixture(autouse=True)
def _evidence_in_a_temporary_folder(settings, tmp_path):
    """The observatory's evidence and the documents people send never land in the project's
    var/ during tests."""
    settings.GUICHET_EVIDENCE_DIR = tmp_path / "evidence"
    settings.GUICHET_DOCUMENTS_DIR = tmp_path / "documents"


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    """SMS go to an in-memory outbox in tests, like e-mail (django.core.mail.outbox)."""
    from guichet.notifications import sms

    settings.GUICHET_SMS_BACKEND = "guichet.notifications.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox


CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser(monkeypatch):
    """Debian's headless Chromium (never a downloaded browser), for pages of any size."""
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (make installs it as root)")
    # Playwright's sync API runs an event loop; the test's own ORM calls stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()
        # ORM calls made while Playwright ran had their own connection: close it, or
        # PostgreSQL refuses to drop the test database at the end.
        from django.db import connections

        connections.close_all()


# Browsers set to French, as the journeys' people's are: the public side speaks the browser's
# language (Playwright's default would be English). Journeys in other languages set their own.
FRENCH_BROWSER = "fr-FR"


@pytest.fixture
def browser_page(browser):
    """A phone-sized page: public pages are walked as most applicants see them."""
    return browser.new_page(viewport=PHONE, accept_downloads=True, locale=FRENCH_BROWSER)


@pytest.fixture
def desktop_page(browser):
    """A desktop-sized page: agents and associations work at a desk."""
    return browser.new_page(viewport=DESKTOP, accept_downloads=True, locale=FRENCH_BROWSER)
