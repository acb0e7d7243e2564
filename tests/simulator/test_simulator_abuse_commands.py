"""The abuse figures come from a pure core: `python -m guichet.simulator.abuse` and every
simulator module run without Django; `guichet simulate` only wraps them."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

import guichet.simulator

SIMULATOR = Path(guichet.simulator.__file__).parent
DJANGO_SHELL = {"apps"}  # the app's registration for Django; the core never imports it
ROOT = SIMULATOR.parents[1]


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )


def test_no_simulator_module_imports_django():
    modules = sorted(path.stem for path in SIMULATOR.glob("*.py") if path.stem not in DJANGO_SHELL)
    assert {"abuse", "abusers", "batch", "legacy", "run", "scenario"} <= set(modules)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module('guichet.simulator.' + name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    assert run_python(code).stdout.strip() == "[]"


def test_the_abuse_command_runs_without_django():
    code = (
        "import contextlib, io, json, runpy, sys\n"
        "sys.argv = ['abuse', '--scenario', 'scalpers', '--policy', 'legacy', '--weeks', '2',"
        " '--json']\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    runpy.run_module('guichet.simulator.abuse', run_name='__main__')\n"
        "print(json.dumps([json.loads(out.getvalue()),"
        " any(m.startswith('django') for m in sys.modules)]))"
    )
    result, django_loaded = json.loads(run_python(code).stdout)
    assert not django_loaded
    assert result["policy"] == "legacy" and result["seeds"] == [0]
    assert result["counts"]["attempts"] >= result["counts"]["handed_over"]


def test_an_unknown_abuse_setting_is_refused():
    from guichet.simulator.abuse import configure
    from guichet.simulator.scenario import load_scenario

    with pytest.raises(ValueError, match="bot_reconfirm"):
        configure(load_scenario("queue-stuffing"), None, ["bot_reconfirm=1"])


def test_guichet_simulate_prints_what_the_abusers_got():
    out = StringIO()
    args = ["--scenario", "queue-stuffing", "--policy", "guichet", "--weeks", "2"]
    call_command("simulate", *args, stdout=out)
    text = out.getvalue()
    assert "fake identities: " in text
    assert "held after reconfirmation" in text and "scalper: hand-overs" in text
