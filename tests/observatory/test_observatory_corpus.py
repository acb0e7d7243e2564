"""The classifiers read every page of the labelled corpus right, family by family, label by label.

The corpus (guichet/observatory/corpus/) holds pages of each booking system written from its public
behaviour; the real pages of shared/fixtures/real-world are scored with them when present. Run with
`-s` (or `guichet observe corpus`) to see the accuracy table.
"""

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from selectolax.lexbor import LexborHTMLParser

from guichet.observatory import corpus
from guichet.observatory.classify import LABELS, LEGACY, SLOTS, classify_page

REAL_WORLD = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "real-world"
# The real pages and what their sources say they are (shared/fixtures/real-world/SOURCES.md).
REAL_PAGES = {
    "ahmed-hentati_prefecture-bot__val-doise_11343_step2_no_slot_full_page.html": "no_slot",
    "ahmed-hentati_prefecture-bot__val-doise_11343_step1_service_surcharge.htm": "overloaded",
}


def test_every_family_has_a_page_for_every_label():
    cases = corpus.load_cases()
    held = {(case.family, case.label) for case in cases}
    missing = [(f, label) for f in corpus.FAMILIES for label in LABELS if (f, label) not in held]
    assert not missing


def test_the_national_platform_offers_times_as_radios_a_select_and_buttons_in_dsfr_markup():
    """Pages like these were read as `unknown` (or worse) before the classifiers read structure."""
    pages = {
        "times-as-radios.html": ".fr-fieldset .fr-radio-group input[type=radio]",
        "times-as-select.html": "select.fr-select option[value]",
        "times-as-buttons.html": ".fr-btns-group button.fr-btn",
    }
    national = {case.path.name: case for case in corpus.load_cases() if case.family == "national"}
    for name, controls in pages.items():
        case = national[name]
        assert case.label == SLOTS
        assert LexborHTMLParser(case.path.read_text()).css_first(controls), name
        reading = case.read()
        assert (reading.label, reading.rule) == (SLOTS, "structure:times"), name
        assert reading.earliest.isoformat() == case.meta["earliest"]


def test_the_corpus_is_read_without_a_mistake():
    score = corpus.score(corpus.run(corpus.load_cases()))
    print("\n" + score.report())
    assert score.by_family and all(total for _, total in score.by_family.values())
    assert score.accuracy == 1.0, score.report()


@pytest.mark.skipif(not REAL_WORLD.is_dir(), reason=f"real-world fixtures absent: {REAL_WORLD}")
def test_the_real_pages_are_read_as_their_sources_say():
    cases = [
        corpus.Case(REAL_WORLD / name, "legacy", label, {}) for name, label in REAL_PAGES.items()
    ]
    score = corpus.score(corpus.run(cases), family_of=lambda result: "real (shared)")
    print("\n" + score.report())
    assert score.by_family == {"real (shared)": (2, 2)}, score.report()


def misfiled_corpus(tmp_path) -> Path:
    """A corpus of one page filed under the wrong label: a no-slot page said to offer slots."""
    page = (corpus.CORPUS_DIR / "legacy" / "no_slot" / "no-free-time.html").read_bytes()
    corpus.add_case(tmp_path, "legacy", "slots", "misfiled", page, {})
    return tmp_path


def test_the_score_names_each_misread_page_and_the_command_fails(tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 corpus pages misread"):
        call_command("observe", "corpus", "--corpus", str(misfiled_corpus(tmp_path)), stdout=out)
    report = out.getvalue()
    assert re.search(r"^family legacy +0/1 +0\.0 %$", report, re.M)
    assert "WRONG legacy/slots/misfiled.html: read no_slot (message:no_slot:" in report


def test_a_page_is_filed_once_and_only_under_known_families_and_labels(tmp_path):
    corpus.add_case(tmp_path, "generic", "slots", "page", b"<p>x</p>", {"source": "a--b"})
    with pytest.raises(FileExistsError):
        corpus.add_case(tmp_path, "generic", "slots", "page", b"<p>y</p>", {})
    with pytest.raises(ValueError, match="unknown label"):
        corpus.add_case(tmp_path, "generic", "full", "other", b"", {})
    with pytest.raises(ValueError, match="unknown corpus family"):
        corpus.add_case(tmp_path, "doctolib", "slots", "other", b"", {})
    (case,) = corpus.load_cases(tmp_path)
    assert case.meta == {"source": "a--b"}  # kept whole, yet the comment holds no "--"
    assert case.path.read_text().count("--") == 2


def test_legacy_pages_still_read_the_same_when_the_family_is_named():
    page = (corpus.CORPUS_DIR / "legacy" / "slots" / "weekly-grid.html").read_text()
    reading = classify_page(page, LEGACY)
    assert (reading.slot_count, reading.rule) == (3, "legacy:slot step")
    assert [day.isoformat() for day in reading.dates] == ["2027-03-02", "2027-03-04"]
