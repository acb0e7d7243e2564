"""`guichet simulate` prints the metrics, as text or JSON."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> str:
    out = StringIO()
    call_command("simulate", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_metrics():
    text = run("--scenario", "evry", "--policy", "legacy", "--weeks", "2")
    assert "renewals seen after the permit expired" in text
    assert "appointments taken by bots" in text


def test_json_gives_the_same_run():
    metrics = json.loads(run("--scenario", "evry", "--policy", "guichet", "--weeks", "2", "--json"))
    again = json.loads(run("--scenario", "evry", "--policy", "guichet", "--weeks", "2", "--json"))
    assert metrics == again
    assert metrics["policy"] == "guichet" and metrics["weeks"] == 2
    assert sum(metrics["ends"].values()) == metrics["people"]


def test_an_unknown_scenario_is_an_error():
    with pytest.raises(CommandError):
        run("--scenario", "atlantis", "--policy", "legacy")
