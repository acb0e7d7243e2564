"""An operator lists the pages the robot could not read and turns one into a corpus case."""

import datetime
import io

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from guichet.observatory import corpus
from guichet.observatory.classify import NO_SLOT, UNKNOWN, classify_page
from guichet.observatory.evidence import evidence_dir, record_check
from guichet.observatory.models import Check, Family, Target

pytestmark = pytest.mark.django_db

# A refusal worded as no rule knows it yet: the robot reads `unknown`.
UNREAD = (
    "<html><body><h1>Réservation</h1><p>Le planning de ce mois est complet. "
    "Revenez le mois prochain.</p></body></html>"
).encode()


@pytest.fixture
def unknown_check():
    target = Target.objects.create(
        prefecture="Préfecture de l'Essonne",
        department_code="91",
        procedure="Titre de séjour",
        url="http://127.0.0.1/reservation",
        family=Family.TEXT_MATCH,
    )
    reading = classify_page(UNREAD.decode(), target.family)
    assert reading.label == UNKNOWN
    at = timezone.now() - datetime.timedelta(hours=3)
    return record_check(target, at, reading, body=UNREAD, url=target.url, http_status=200)


def run(*args) -> str:
    out = io.StringIO()
    call_command("observe", *args, stdout=out)
    return out.getvalue()


def test_the_unknown_pages_are_listed_with_the_command_to_label_them(unknown_check):
    listing = run("unknown")
    assert f"#{unknown_check.sequence}\t" in listing
    assert "none: no known message" in listing
    assert unknown_check.evidence in listing
    assert "1 unknown checks in 30 days; file one with: guichet observe label" in listing


def test_labelling_an_unknown_check_makes_it_a_corpus_case(unknown_check, tmp_path):
    cases = tmp_path / "corpus"
    said = run("label", str(unknown_check.sequence), NO_SLOT, "--corpus", str(cases))
    path = cases / "generic" / "no_slot" / f"check-{unknown_check.sequence}.html"
    assert said.startswith(f"{path}: corpus case generic/no_slot")
    assert "read it as unknown (none) — MISREAD" in said

    (case,) = corpus.load_cases(cases)
    assert (case.path, case.family, case.label) == (path, "generic", NO_SLOT)
    assert case.meta["record_hash"] == unknown_check.record_hash
    assert case.meta["source"].startswith(f"check #{unknown_check.sequence} of ")
    assert case.meta["status"] == 200
    assert case.path.read_bytes().endswith(UNREAD)  # the page as received, byte for byte
    # Until a rule reads it, the corpus score is below 100 %: the corpus test fails.
    score = corpus.score(corpus.run([case]))
    assert score.accuracy == 0 and score.wrong[0].case == case


def test_a_case_is_filed_once_and_never_from_an_altered_page(unknown_check, tmp_path):
    cases = str(tmp_path / "corpus")
    run("label", str(unknown_check.sequence), NO_SLOT, "--family", "commercial", "--corpus", cases)
    with pytest.raises(CommandError, match="already exists"):
        run(
            "label",
            str(unknown_check.sequence),
            NO_SLOT,
            "--family",
            "commercial",
            "--corpus",
            cases,
        )
    (evidence_dir() / unknown_check.evidence).write_bytes(b"<p>changed</p>")
    with pytest.raises(CommandError, match="missing or altered"):
        run("label", str(unknown_check.sequence), NO_SLOT, "--corpus", cases)
    with pytest.raises(CommandError, match="no check #999"):
        run("label", "999", NO_SLOT, "--corpus", cases)


def test_the_admin_lists_the_unknown_pages_with_their_rule_and_kept_page(unknown_check, rf):
    request = rf.get("/admin/observatory/check/", {"outcome": UNKNOWN})
    request.user = get_user_model().objects.create_superuser("admin.observatoire")
    response = admin.site._registry[Check].changelist_view(request)
    page = response.render().content.decode()
    assert f">{unknown_check.sequence}</a>" in page
    assert '<td class="field-rule">none</td>' in page
    assert unknown_check.evidence in page
