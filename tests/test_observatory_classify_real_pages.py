"""`guichet observe classify` reads the real préfecture pages as shared/fixtures/real-world says."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from guichet.observatory.classify import LABELS

REAL_WORLD = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real-world"

pytestmark = pytest.mark.skipif(
    not REAL_WORLD.is_dir(), reason=f"real-world fixtures absent: {REAL_WORLD} not found"
)


def classify(*names):
    out = io.StringIO()
    call_command("observe", "classify", *(str(REAL_WORLD / name) for name in names), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_val_doise_step_2_says_no_slot():
    (line,) = classify("ahmed-hentati_prefecture-bot__val-doise_11343_step2_no_slot_full_page.html")
    assert line["label"] == "no_slot"
    assert line["file"].endswith("step2_no_slot_full_page.html")


def test_val_doise_service_surcharge_is_overloaded():
    (line,) = classify("ahmed-hentati_prefecture-bot__val-doise_11343_step1_service_surcharge.htm")
    assert line["label"] == "overloaded"


def test_hauts_de_seine_watcher_log_reports_no_slot_at_every_check():
    name = "dmanh_crawling-prefecture__hauts-de-seine_8485_observation_log.log"
    (line,) = classify(name)
    checks = (REAL_WORLD / name).read_text().count("START")
    assert line["label"] == "no_slot"
    assert line["lines"] == checks


def test_screenshots_are_not_guessed_from_text():
    names = sorted(path.name for path in REAL_WORLD.glob("*.png"))
    assert names
    for line in classify(*names):
        assert line["label"] == "unknown"
        assert line["reason"].startswith("image")


def test_every_label_is_one_of_the_documented_ones():
    names = sorted(path.name for path in REAL_WORLD.iterdir() if path.suffix != ".md")
    labels = {line["label"] for line in classify(*names)}
    assert labels <= set(LABELS)
