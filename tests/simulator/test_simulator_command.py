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


def test_documents_adds_return_visits_and_prechecks_fewer_of_them():
    args = ("--scenario", "val-de-marne", "--policy", "guichet", "--weeks", "8", "--documents")
    text = run(*args)
    assert "files incomplete at a visit: 60%" in text
    assert "visits per file:" in text and "return visits:" in text
    without = json.loads(run(*args, "--json"))["visits"]
    checked = json.loads(run(*args, "--prechecks", "--json"))["visits"]
    assert checked["incomplete_share"] == 0.25 and checked["prechecks"] is True
    assert checked["return_visits"] < without["return_visits"]
    assert "visits" not in json.loads(run(*args[:-1], "--json"))


def test_prechecks_without_documents_is_an_error():
    with pytest.raises(CommandError, match="--documents"):
        run("--scenario", "evry", "--policy", "guichet", "--prechecks")
