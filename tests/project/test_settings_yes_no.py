"""Yes/no settings read from the environment refuse what is neither: a typo in a production
environment (« DEBUG=ture », « SESSION_COOKIE_SECURE=flase ») stops the start with its name,
instead of quietly reading as « no »."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from guichet.settings import env_bool


@pytest.mark.parametrize(
    ("written", "read"),
    [("1", True), ("true", True), ("Yes", True), (" on ", True)]
    + [("0", False), ("false", False), ("NO", False), ("off", False), ("", False)],
)
def test_the_usual_words_are_read(monkeypatch, written, read):
    monkeypatch.setenv("GUICHET_SOME_SWITCH", written)
    assert env_bool("GUICHET_SOME_SWITCH", default=not read) is read


def test_an_unset_setting_takes_its_default(monkeypatch):
    monkeypatch.delenv("GUICHET_SOME_SWITCH", raising=False)
    assert env_bool("GUICHET_SOME_SWITCH", default=True) is True


@pytest.mark.parametrize("typo", ["ture", "flase", "oui", "2", "enabled"])
def test_a_typo_is_refused_with_the_setting_name(monkeypatch, typo):
    monkeypatch.setenv("GUICHET_SOME_SWITCH", typo)
    with pytest.raises(ImproperlyConfigured, match=f"GUICHET_SOME_SWITCH='{typo}'"):
        env_bool("GUICHET_SOME_SWITCH", default=False)


def test_the_application_does_not_start_with_a_typo():
    environment = {**os.environ, "DEBUG": "ture"}
    started = subprocess.run(
        [sys.executable, "-m", "guichet", "check"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert started.returncode != 0
    assert "DEBUG='ture' is neither yes nor no" in started.stderr
