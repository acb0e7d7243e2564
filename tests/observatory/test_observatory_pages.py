"""The public page, the open-data exports, and a person's dossier on the web."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.observatory.chain import link_hash, sha256_bytes
from guichet.observatory.classify import NO_SLOT, SLOTS, Reading
from guichet.observatory.evidence import evidence_dir, record_check, verify_chain
from guichet.observatory.models import Dossier
from tests import factories
from tests.observatory.test_dossier_pdf_in_background import png, run_worker

pytestmark = pytest.mark.django_db
START = datetime.datetime(2030, 3, 4, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def target():
    target = factories.make_target()
    for n in range(8):  # one offer in four
        reading = Reading(SLOTS, slot_count=1) if n % 4 == 0 else Reading(NO_SLOT)
        record_check(target, START + datetime.timedelta(hours=2 * n), reading, body=b"<p>x</p>")
    return target


def test_public_page_shows_figures_per_target_and_department(client, target):
    page = client.get(reverse("observatory:index")).content.decode()
    assert page.count("<h1") == 1
    # A table beside each chart: offers, then La Cimade's buckets, per target and per département.
    assert page.count("<table") == 4
    assert "Val-d&#x27;Oise — Titre (95)" in page
    assert "2 (25 %)" in page


def test_json_export_lets_anyone_recompute_every_fingerprint(client, target):
    data = json.loads(client.get(reverse("observatory:export_json")).content)
    assert [link["payload"]["sequence"] for link in data["chain"]] == list(range(1, 9))
    for link in data["chain"]:
        assert link_hash(link["payload"], link["previous"]) == link["hash"]
    assert data["targets"][0]["offer_share"] == 0.25


def test_csv_export_has_one_row_per_check(client, target):
    response = client.get(reverse("observatory:export_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["outcome"] for row in rows] == [check.outcome for check in target.checks.all()]


def test_a_person_builds_a_dossier_adds_a_try_and_downloads_it(client, target):
    response = client.post(
        reverse("observatory:dossier_create"),
        {"target": target.pk, "period_start": "2030-03-01", "period_end": "2030-03-31"},
    )
    dossier = Dossier.objects.get()
    assert response.url == reverse("observatory:dossier", args=[dossier.token])
    screenshot = png(grey=0x21)  # a real picture: files are checked by their content
    client.post(
        response.url,
        {
            "tried_on": "2030-03-05",
            "kind": "screenshot",
            "note": "Plus de plage horaire",
            "upload": SimpleUploadedFile("capture.png", screenshot),
        },
    )
    attempt = dossier.tries.get()
    assert attempt.file_sha256 == sha256_bytes(screenshot)
    assert (evidence_dir() / attempt.file).read_bytes() == screenshot
    client.post(reverse("observatory:dossier_pdf_prepare", args=[dossier.token]))
    run_worker()  # the PDF is built in the background, not in the request
    pdf = client.get(reverse("observatory:dossier_pdf", args=[dossier.token]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    letter = client.get(reverse("observatory:dossier_letter", args=[dossier.token]))
    assert "Plus de plage horaire" in letter.content.decode()
    assert "consulté 8 fois" in letter.content.decode()


def test_a_dossier_period_must_run_forward(client, target):
    response = client.post(
        reverse("observatory:dossier_create"),
        {"target": target.pk, "period_start": "2030-03-31", "period_end": "2030-03-01"},
    )
    assert response.status_code == 200
    assert "La fin doit suivre le début." in response.content.decode()
    assert 'aria-describedby="id_period_end-error"' in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_same_file_sent_twice_is_one_piece_of_the_dossier(client, target):
    dossier = Dossier.objects.create(
        target=target, period_start=datetime.date(2030, 3, 1), period_end=datetime.date(2030, 3, 31)
    )
    url = reverse("observatory:dossier", args=[dossier.token])
    screenshot = png(grey=0x42)

    def send():
        upload = SimpleUploadedFile("capture.png", screenshot)
        fields = {"tried_on": "2030-03-05", "kind": "screenshot", "upload": upload}
        return client.post(url, fields, follow=True)

    assert send().status_code == 200
    page = send()  # a second click, or the form sent again after a reload
    assert page.status_code == 200
    assert "Ce fichier est déjà dans le dossier (tentative du 05/03/2030)" in page.content.decode()
    attempt = dossier.tries.get()
    assert (evidence_dir() / attempt.file).read_bytes() == screenshot


def test_weeks_read_as_dates_on_the_public_page_and_stay_iso_keys_in_the_export(client, target):
    record_check(target, datetime.datetime(2027, 3, 3, 9, 0, tzinfo=datetime.UTC), Reading(NO_SLOT))
    page = client.get(reverse("observatory:index")).content.decode()
    assert "semaine du 1er mars 2027 : 1" in page  # the first of a month is « 1er »
    assert "semaine du 4 mars 2030 : 8" in page
    assert "-W" not in page
    data = json.loads(client.get(reverse("observatory:export_json")).content)
    assert data["targets"][0]["checks_per_week"] == {"2027-W09": 1, "2030-W10": 8}


def test_a_check_keeps_its_bucket_and_rule_in_its_fingerprint(client, target):
    day = START.date() + datetime.timedelta(days=10)
    second = day + datetime.timedelta(days=1)
    reading = Reading(SLOTS, slot_count=2, dates=(day, second), rule="structure:times")
    check = record_check(target, START + datetime.timedelta(days=1), reading, body=b"<p>y</p>")
    assert (check.bucket, check.payload()["bucket"]) == ("two_dates_month", "two_dates_month")
    assert check.payload()["rule"] == "structure:times"
    assert verify_chain() is None
    # Checks recorded before buckets existed hash as they did: no empty keys join their payload.
    older = target.checks.get(sequence=2)
    assert (older.rule, older.bucket) == ("", "no_date")
    older.bucket = ""
    assert "bucket" not in older.payload() and "rule" not in older.payload()
    response = client.get(reverse("observatory:export_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[-1]["bucket_label"] == "au moins deux dates dans le mois"
    assert [row["bucket"] for row in rows[:2]] == ["", "no_date"]  # a slot without a date: none
