"""Production as an operator runs it: `scripts/serve.sh` (gunicorn, the worker, the scheduler,
DEBUG off, hashed static files served by the application) on a database of its own, behind a
TLS proxy played by Chromium's X-Forwarded-Proto header; the public intake reaches a receipt,
which needs the proof-of-work script served. And the refusals: no start in production with the
public demo secret or without the proof-of-work key, and a clean `check --deploy` with the
settings the README documents.
"""

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from playwright.sync_api import TimeoutError, expect

from bench.web import free_port, fresh_database
from guichet.production.checks import production_secrets, refuse_unsafe_start
from tests.browser import Journey, fill_first_permit_intake

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVE_DATABASE = "guichet_serve_test"
HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy adds to every request

# Settings a deployment must not inherit from whoever runs the tests.
INHERITED_SETTINGS = re.compile(
    r"(DEBUG|SECRET_KEY|ALLOWED_HOSTS|SITE_URL|DATABASE_URL|CSRF_TRUSTED_ORIGINS|EMAIL_.*"
    r"|SECURE_.*|SESSION_.*|CSRF_COOKIE_.*|GUICHET_.*|WEB_CONCURRENCY|GUNICORN_CMD_ARGS)"
)


def documented_settings(**overrides: str) -> dict[str, str]:
    """The environment of README's « Mettre en production »: two secrets, the public address,
    the proxy's header, who runs the service; everything else at its default (DEBUG off).
    DATABASE_URL comes from `overrides` (check --deploy needs none)."""
    environment = {
        name: value for name, value in os.environ.items() if not INHERITED_SETTINGS.fullmatch(name)
    }
    environment.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        GUICHET_ALTCHA_HMAC_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="rdv.val-de-marne.example.gouv.fr",
        SITE_URL="https://rdv.val-de-marne.example.gouv.fr",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        GUICHET_OPERATOR_NAME="Préfecture du Val-de-Marne",
        GUICHET_OPERATOR_ADDRESS="21-29 avenue du Général de Gaulle, 94000 Créteil",
        GUICHET_OPERATOR_EMAIL="rdv-etrangers@val-de-marne.example.gouv.fr",
        GUICHET_PUBLICATION_DIRECTOR="La préfète du Val-de-Marne",
        GUICHET_DPO_EMAIL="dpd@val-de-marne.example.gouv.fr",
        GUICHET_HOST_NAME="Hébergeur de l'État (exemple)",
        GUICHET_HOST_ADDRESS="1 rue de l'Exemple, 75000 Paris",
    )
    environment.update(overrides)
    return {name: value for name, value in environment.items() if value is not None}


def guichet(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "guichet"), *args],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# The fast part: what production refuses, and what it accepts.


def test_check_deploy_is_clean_with_the_documented_settings():
    checked = guichet("check", "--deploy", "--fail-level", "WARNING", env=documented_settings())
    assert checked.returncode == 0, checked.stderr
    assert "System check identified no issues (0 silenced)." in checked.stdout


@pytest.mark.parametrize(
    "unset, refused",
    [
        (["SECRET_KEY", "GUICHET_ALTCHA_HMAC_KEY"], ["guichet.E001", "guichet.E002"]),
        # The proof-of-work key used to default to SECRET_KEY: now it is missing, and refused.
        (["GUICHET_ALTCHA_HMAC_KEY"], ["guichet.E002"]),
    ],
)
def test_production_refuses_to_start_without_its_secrets(unset, refused, tmp_path):
    environment = documented_settings(
        **dict.fromkeys(unset), DATABASE_URL=f"sqlite:///{tmp_path / 'guichet.sqlite3'}"
    )
    for command in (["check", "--deploy"], ["migrate", "--noinput"]):
        checked = guichet(*command, env=environment)
        assert checked.returncode == 1, (command, checked.stdout, checked.stderr)
        found = re.findall(r"guichet\.E\d+", checked.stderr)
        assert found == refused, (command, checked.stderr)
        for name in unset:
            assert f"Set {name} to" in checked.stderr, checked.stderr


def test_the_demo_secret_and_a_shared_key_are_refused_too(settings):
    assert not settings.DEBUG  # as in production
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    settings.GUICHET_ALTCHA_HMAC_KEY = settings.DEMO_ALTCHA_HMAC_KEY
    with pytest.raises(SystemCheckError) as refusal:
        call_command("check", deploy=True)
    assert "guichet.E001" in str(refusal.value) and "guichet.E002" in str(refusal.value)

    settings.SECRET_KEY = settings.GUICHET_ALTCHA_HMAC_KEY = secrets.token_urlsafe(50)
    assert [problem.id for problem in production_secrets()] == ["guichet.E003"]
    with pytest.raises(ImproperlyConfigured, match="GUICHET_ALTCHA_HMAC_KEY is the same"):
        refuse_unsafe_start()  # what guichet.wsgi does when gunicorn loads it


def test_development_needs_no_secret(settings):
    """`make run` and the demo set DEBUG=1 and run on the public demo values."""
    settings.DEBUG = True
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    settings.GUICHET_ALTCHA_HMAC_KEY = settings.DEMO_ALTCHA_HMAC_KEY
    assert production_secrets() == []
    refuse_unsafe_start()


def test_gunicorn_started_by_hand_without_secrets_refuses_to_serve():
    environment = documented_settings(SECRET_KEY=None)
    started = subprocess.run(
        [str(BIN / "gunicorn"), "guichet.wsgi", "--bind", "127.0.0.1:0", "--workers", "1"],
        env=environment,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode != 0
    assert "Guichet refuses to start" in started.stderr
    assert "Set SECRET_KEY to" in started.stderr


# The production server itself.


@pytest.fixture
def serve_database_url(tmp_path):
    """A fresh database for the server: a SQLite file, or `guichet_serve_test` beside the
    PostgreSQL database of DATABASE_URL (created here, dropped after)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'guichet.sqlite3'}"
        return
    with fresh_database(urlsplit(url)._replace(path="/postgres").geturl(), SERVE_DATABASE) as fresh:
        yield fresh


class Server:
    """scripts/serve.sh in its own session, so that stopping it reaches everything it started."""

    def __init__(self, environment: dict[str, str], log: Path, base_url: str):
        self.environment = environment
        self.base_url = base_url
        self.log = log
        with log.open("w") as output:
            self.process = subprocess.Popen(
                ["bash", str(PROJECT / "scripts" / "serve.sh")],
                env=environment,
                cwd=PROJECT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_up(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"serve.sh exited ({self.process.returncode}):\n{self.tail()}")
            try:
                if httpx.get(self.base_url + "/", headers=HTTPS, timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        pytest.fail(f"no answer at {self.base_url} after {timeout} s:\n{self.tail()}")

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-40:])

    def running(self) -> bool:
        """Whether any process of the server's session is still alive."""
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def interrupt(self, timeout: float = 60) -> None:
        """Ctrl-C, as a terminal sends it: to the whole foreground group."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        deadline = time.monotonic() + timeout
        while self.running() and time.monotonic() < deadline:
            self.process.poll()  # reap serve.sh itself once it exits
            time.sleep(0.2)

    def kill(self) -> None:
        if self.running():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def production_server(tmp_path, serve_database_url):
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    environment = documented_settings(
        DATABASE_URL=serve_database_url,
        GUICHET_VAR_DIR=str(tmp_path / "var"),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=base_url,
        GUICHET_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        # Chromium speaks plain HTTP to the server while the header says HTTPS, so its Origin
        # is http://…; behind a real proxy the browser's Origin is the https:// one.
        CSRF_TRUSTED_ORIGINS=base_url,
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        GUICHET_ALTCHA_MAX_NUMBER="5000",  # a quicker puzzle, the same code path
    )
    server = Server(environment, tmp_path / "serve.log", base_url)
    try:
        server.wait_until_up()
        seeded = guichet(
            "demo",
            "--requests-per-prefecture",
            "0",
            "--weeks",
            "2",
            "--observatory-weeks",
            "0",
            # The demo refuses a production database; this one is the test's own.
            env={**environment, "DEBUG": "1"},
        )
        assert seeded.returncode == 0, seeded.stderr
        yield server
    finally:
        server.interrupt()
        server.kill()
        shutil.rmtree(tmp_path / "var" / "static", ignore_errors=True)  # 90 MB of copies


def test_the_production_server_takes_a_request_to_its_receipt(production_server, browser):
    server = production_server
    base_url = server.base_url

    # Plain HTTP is sent to HTTPS; through the proxy, pages carry HSTS.
    plain = httpx.get(base_url + "/demande/", follow_redirects=False)
    assert plain.status_code == 301
    assert plain.headers["location"] == "https://" + base_url.removeprefix("http://") + "/demande/"
    assert (
        "max-age=31536000"
        in httpx.get(base_url + "/", headers=HTTPS).headers["strict-transport-security"]
    )

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, extra_http_headers=HTTPS, locale="fr-FR"
    )
    page = context.new_page()
    failed = []
    page.on(
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    # The intake's pages, unaudited: this test is about how they are served.
    fill_first_permit_intake(Journey(page, base_url, audit=False), passport="12AB34567")

    # The send button waits for protection/altcha.js: served, it solves the puzzle.
    send = page.get_by_role("button", name="Envoyer ma demande")
    try:
        expect(send).to_be_enabled(timeout=30_000)
    except AssertionError:
        pytest.fail(f"the send button stayed disabled; failed responses: {failed}")
    script = page.locator("script[src*='protection/altcha']").get_attribute("src")
    send.click()
    try:
        page.wait_for_url("**/attestation/")
    except TimeoutError:
        pytest.fail(f"no receipt at {page.url}: {page.locator('main').inner_text()[:600]!r}")
    receipt = page.locator("main").inner_text()
    assert re.search(r"\b94-[0-9A-Z]{4}-[0-9A-Z]{4}\b", receipt), receipt  # the request number
    assert failed == []

    # The script under its hashed name, compressed and cached for a year.
    assert re.fullmatch(r"/static/protection/altcha\.[0-9a-f]{12}\.js", script), script
    served = httpx.get(base_url + script, headers={**HTTPS, "Accept-Encoding": "br"})
    assert served.status_code == 200
    assert served.headers["content-encoding"] == "br"
    assert "max-age=315360000" in served.headers["cache-control"]
    assert "immutable" in served.headers["cache-control"]
    context.close()

    # Ctrl-C stops the web server, the worker and the scheduler.
    server.interrupt()
    assert not server.running(), server.tail()
