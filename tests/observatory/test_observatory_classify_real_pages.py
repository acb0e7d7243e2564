"""`guichet observe classify` reads the real préfecture pages as shared/fixtures/real-world says."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from guichet.observatory.classify import LABELS
from guichet.observatory.ocr import tesseract_available

REAL_WORLD = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "real-world"

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


EAPPOINTMENT = "pCyril_RDVPref__val-de-marne_eAppointmentpref94_"
needs_tesseract = pytest.mark.skipif(
    not tesseract_available(),
    reason="tesseract with French data absent (apt-get install tesseract-ocr tesseract-ocr-fra)",
)


@needs_tesseract
def test_val_de_marne_calendar_shows_its_thirty_bookable_days():
    """Counted on the image: 6 dark days in January, 16 in February, 8 in March 2020."""
    (line,) = classify(EAPPOINTMENT + "prefecture.png")
    assert (line["label"], line["step"]) == ("slots", "calendar")
    assert line["extra"] == {"bookable_days": 30}


@needs_tesseract
def test_val_de_marne_time_choice_lists_fifty_times_on_23_january():
    """Five columns of ten « A hh:mm » radio buttons, for the day in « Choix de la date »."""
    (line,) = classify(EAPPOINTMENT + "select.png")
    assert (line["label"], line["step"]) == ("slots", "times")
    assert (line["slot_count"], line["earliest"]) == (50, "2020-01-23")


@needs_tesseract
def test_val_de_marne_day_clicked_and_details_form_are_slots_on_23_january():
    clicked, form = classify(EAPPOINTMENT + "clicked.png", EAPPOINTMENT + "form.png")
    assert (clicked["label"], clicked["step"], clicked["earliest"]) == (
        "slots",
        "date",
        "2020-01-23",
    )
    assert (form["label"], form["step"], form["earliest"]) == ("slots", "details", "2020-01-23")


@needs_tesseract
def test_val_de_marne_captcha_crop_is_a_captcha_not_an_availability():
    """SOURCES.md reads the whole series as « slots available »; this 150x50 crop only shows the
    code « 2895 », so on its own it is labelled what it shows (the form it was cut from is slots).
    """
    (line,) = classify(EAPPOINTMENT + "captcha.png")
    assert (line["label"], line["source"]) == ("captcha", "ocr")


def test_every_label_is_one_of_the_documented_ones():
    names = sorted(path.name for path in REAL_WORLD.iterdir() if path.suffix != ".md")
    labels = {line["label"] for line in classify(*names)}
    assert labels <= set(LABELS)
