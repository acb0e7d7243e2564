"""A 500 in production (DEBUG off) leaves one JSON line on stderr with its traceback, no secret
link and no query string; with SENTRY_DSN set the error also goes to Sentry, masked the same way.

The server runs in a child process, as in production: settings read from its environment, its
database missing its tables (every query fails), Sentry's transport swapped for a recorder
before any request so nothing leaves the machine.
"""

import json
import os
import subprocess
import sys

import pytest

from guichet.logs import PUBLIC_DEMANDE_SEGMENTS, mask_secrets

TOKEN = "Zq3xV9tLkP0aWmN4rB7cY2dH6jE1sF8u"
SERVER = r"""
import json, os
import django

django.setup()
import sentry_sdk
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from sentry_sdk.transport import Transport

events = []


class Recording(Transport):
    def capture_envelope(self, envelope):
        events.extend(item.payload.json for item in envelope.items if item.type == "event")


client = sentry_sdk.get_client()
if client.is_active():
    client.transport.kill()
    client.transport = Recording(client.options)
statuses = []
body = WSGIHandler()(  # as gunicorn calls it
    RequestFactory().get(os.environ["PAGE"]).environ,
    lambda status, headers: statuses.append(status),
)
sentry_sdk.flush()
print(json.dumps({
    "status": statuses[0],
    "sentry_active": client.is_active(),
    "send_default_pii": client.options["send_default_pii"],
    "integrations": sorted(client.integrations),
    "events": events,
}))
"""


@pytest.fixture(scope="module")
def production_500(tmp_path_factory):
    """A secret-link page answering 500 in a production-like process: (stdout JSON, stderr)."""
    var = tmp_path_factory.mktemp("var")
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SENTRY_", "DEBUG", "DATABASE_URL", "GUICHET_LOG"))
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "guichet.settings",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{var / 'empty.sqlite3'}",
        "GUICHET_VAR_DIR": str(var),
        "SENTRY_DSN": "http://public@127.0.0.1:9/1",
        "PAGE": f"/demande/{TOKEN}/suivi/?code=123456",
    }
    done = subprocess.run(
        [sys.executable, "-c", SERVER],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def test_a_500_is_one_json_line_on_stderr_with_its_traceback(production_500):
    result, stderr = production_500
    assert result["status"].startswith("500")
    lines = [json.loads(line) for line in stderr.splitlines()]  # every line is one object
    [error] = [line for line in lines if line["level"] == "ERROR"]

    assert error["logger"] == "django.request"
    assert error["time"].startswith("20") and "T" in error["time"]
    assert error["method"] == "GET"
    assert error["path"] == "/demande/<token>/suivi/"
    assert error["message"] == "Internal Server Error: /demande/<token>/suivi/"
    assert error["status_code"] == 500
    assert error["exception"].startswith("Traceback (most recent call last):")
    assert "OperationalError: no such table" in error["exception"]


def test_no_secret_link_nor_query_string_reaches_the_log(production_500):
    _result, stderr = production_500
    assert TOKEN not in stderr
    assert "123456" not in stderr


def test_sentry_gets_the_error_without_personal_data_when_a_dsn_is_set(production_500):
    result, _stderr = production_500
    assert result["sentry_active"] is True
    assert result["send_default_pii"] is False
    assert "django" in result["integrations"]
    [event] = [e for e in result["events"] if e.get("exception")]
    assert event["exception"]["values"][-1]["type"] == "OperationalError"
    assert event["request"]["url"].endswith("/demande/<token>/suivi/")
    assert "query_string" not in event["request"] and "cookies" not in event["request"]
    assert TOKEN not in json.dumps(result["events"])
    assert "123456" not in json.dumps(result["events"])


@pytest.mark.parametrize(
    ("path", "masked"),
    [
        (f"/demande/{TOKEN}/suivi/", "/demande/<token>/suivi/"),
        (f"/demande/{TOKEN}/confirmer/482913/", "/demande/<token>/confirmer/<code>/"),
        (f"/demande/{TOKEN}/", "/demande/<token>/"),
        ("/demande/identite/", "/demande/identite/"),
        ("/demande/defi/", "/demande/defi/"),
        ("/demande/", "/demande/"),
        (
            f"/observatoire/dossier/{TOKEN[:24]}/dossier.pdf",
            "/observatoire/dossier/<token>/dossier.pdf",
        ),
        ("/observatoire/dossier/", "/observatoire/dossier/"),
        ("/verifier/94-2026-000001.1a2B.sig/", "/verifier/<token>/"),
    ],
)
def test_secret_links_are_masked_and_public_pages_are_not(path, masked):
    assert mask_secrets(path) == masked


def test_every_intake_step_is_known_as_public(db):
    from guichet.booking.views.intake import STEPS

    assert {step.slug for step in STEPS} | {"defi"} == PUBLIC_DEMANDE_SEGMENTS
