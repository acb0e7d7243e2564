"""A dossier's PDF is built by the worker, never in a web request, and kept until the dossier
changes: the page offers « Préparer le PDF », says « en préparation », then offers the download,
served at once from the stored file as long as nothing in the dossier changed."""

import datetime
import io
from unittest import mock

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from PIL import Image

from guichet.observatory.classify import NO_SLOT, SLOTS, Reading
from guichet.observatory.evidence import evidence_dir, record_check
from guichet.observatory.models import Dossier, Target
from tests import factories

NOW = datetime.datetime(2030, 4, 2, 10, 0, tzinfo=datetime.UTC)
START = datetime.datetime(2030, 3, 4, 8, 0, tzinfo=datetime.UTC)


def png(grey: int = 0x80, size: int = 2) -> bytes:
    """A real (tiny) PNG picture, different for each grey."""
    out = io.BytesIO()
    Image.new("L", (size, size), grey).save(out, "PNG")
    return out.getvalue()


def run_worker():
    """What `guichet db_worker` does, once: run every queued task; all must succeed.

    The worker closes stale connections between tasks; inside a test's transaction (PostgreSQL)
    that would close the test's own, so it is kept open here.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval=0")
    failed = DBTaskResult.objects.exclude(status="SUCCESSFUL")
    assert not failed.exists(), list(failed.values("task_path", "status", "exception_class_path"))


pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def dossier():
    target = factories.make_target()
    for n in range(6):
        reading = Reading(SLOTS, slot_count=1) if n == 2 else Reading(NO_SLOT)
        record_check(target, START + datetime.timedelta(hours=6 * n), reading, body=b"<p>x</p>")
    return Dossier.objects.create(
        target=target, period_start=datetime.date(2030, 3, 1), period_end=datetime.date(2030, 3, 31)
    )


def page_of(client, dossier) -> str:
    response = client.get(reverse("observatory:dossier", args=[dossier.token]))
    assert response.status_code == 200
    return response.content.decode()


def prepare(client, dossier):
    response = client.post(reverse("observatory:dossier_pdf_prepare", args=[dossier.token]))
    assert response.status_code == 302
    return response


def download(client, dossier):
    return client.get(reverse("observatory:dossier_pdf", args=[dossier.token]))


def no_rendering_here():
    """Fails the test if a PDF is rendered while this is active (web requests only)."""
    return mock.patch(
        "guichet.observatory.dossier_pdf.render_dossier_pdf",
        side_effect=AssertionError("a PDF was rendered in a web request"),
    )


def test_prepare_then_in_preparation_then_download(client, dossier):
    web_only = no_rendering_here()
    web_only.start()
    first = page_of(client, dossier)
    assert "Préparer le PDF" in first and "Télécharger le dossier (PDF)" not in first
    early = download(client, dossier)  # an old bookmark: back to the page, no PDF rendered
    assert early.status_code == 302 and early.url.endswith(f"{dossier.token}/#pdf")

    prepare(client, dossier)
    waiting = page_of(client, dossier)
    assert "Le PDF est en préparation" in waiting
    assert "Préparer le PDF" not in waiting and "Télécharger le dossier (PDF)" not in waiting
    prepare(client, dossier)  # a second click, a reload: still one build
    assert DBTaskResult.objects.count() == 1

    web_only.stop()
    run_worker()  # the worker renders

    with no_rendering_here():
        ready = page_of(client, dossier)
        pdf = download(client, dossier)
    assert "Télécharger le dossier (PDF)" in ready and "PDF préparé le 02/04/2030" in ready
    assert "en préparation" not in ready
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="dossier-de-preuves.pdf"'


def test_eight_anonymous_clicks_render_nothing_in_the_web_and_queue_one_build(client, dossier):
    with mock.patch("weasyprint.HTML.write_pdf", autospec=True) as write_pdf:
        for _ in range(8):
            prepare(client, dossier)
            assert download(client, dossier).status_code == 302
    assert write_pdf.call_count == 0
    assert DBTaskResult.objects.count() == 1


def test_the_stored_pdf_is_served_at_once_until_the_dossier_changes(client, dossier):
    prepare(client, dossier)
    run_worker()
    stored = download(client, dossier).content
    with mock.patch("guichet.observatory.dossier_pdf.render_dossier_pdf") as render:
        assert download(client, dossier).content == stored
        assert download(client, dossier).content == stored
        prepare(client, dossier)  # nothing to do: it is current
    assert render.call_count == 0
    assert DBTaskResult.objects.count() == 1
    old_file = evidence_dir() / Dossier.objects.get().pdf_file

    # A new piece: the stored PDF no longer shows the dossier.
    client.post(
        reverse("observatory:dossier", args=[dossier.token]),
        {
            "tried_on": "2030-03-20",
            "kind": "screenshot",
            "note": "Nouvelle capture",
            "upload": SimpleUploadedFile("capture.png", png()),
        },
    )
    assert "Préparer le PDF" in page_of(client, dossier)
    assert download(client, dossier).status_code == 302
    prepare(client, dossier)
    run_worker()
    rebuilt = download(client, dossier)
    assert rebuilt.status_code == 200 and rebuilt.content != stored
    assert not old_file.exists()  # one stored PDF per dossier, not one per version


@pytest.mark.parametrize(
    "change",
    [
        lambda d: Dossier.objects.filter(pk=d.pk).update(period_end=datetime.date(2030, 3, 30)),
        lambda d: Target.objects.filter(pk=d.target_id).update(procedure="Naturalisation"),
        lambda d: record_check(d.target, START + datetime.timedelta(days=5), Reading(NO_SLOT)),
    ],
    ids=["changed-period", "renamed-target", "new-robot-check-in-the-period"],
)
def test_a_changed_field_or_a_new_check_makes_it_stale(client, dossier, change):
    prepare(client, dossier)
    run_worker()
    assert "Télécharger le dossier (PDF)" in page_of(client, dossier)

    change(dossier)

    assert "Préparer le PDF" in page_of(client, dossier)
    assert download(client, dossier).status_code == 302


def test_a_check_outside_the_period_keeps_it_current(client, dossier):
    prepare(client, dossier)
    run_worker()
    record_check(dossier.target, NOW, Reading(NO_SLOT))  # 2 April, after the period

    assert download(client, dossier).status_code == 200


def test_a_build_that_never_came_may_be_asked_again_after_a_quarter_of_an_hour(client, dossier):
    prepare(client, dossier)  # …and the worker is down
    with time_machine.travel(NOW + datetime.timedelta(minutes=14), tick=False):
        assert "Le PDF est en préparation" in page_of(client, dossier)
    with time_machine.travel(NOW + datetime.timedelta(minutes=16), tick=False):
        assert "Préparer le PDF" in page_of(client, dossier)
        prepare(client, dossier)
    assert DBTaskResult.objects.count() == 2
