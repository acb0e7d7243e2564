"""Files added to a dossier are bounded: PDF, PNG or JPEG by their content, 10 Mo each, 20 per
dossier, 50 a day from one address; each refusal is said in French and stores nothing."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from guichet.observatory.evidence import evidence_dir
from guichet.observatory.models import Dossier, PersonalTry
from tests import factories
from tests.observatory.test_dossier_pdf_in_background import png

NOW = datetime.datetime(2030, 4, 2, 10, 0, tzinfo=datetime.UTC)
HOME, OFFICE = "203.0.113.7", "198.51.100.20"


pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def target():
    return factories.make_target()


def new_dossier(target) -> Dossier:
    return Dossier.objects.create(
        target=target, period_start=datetime.date(2030, 3, 1), period_end=datetime.date(2030, 3, 31)
    )


@pytest.fixture
def dossier(target):
    return new_dossier(target)


def send(client, dossier, data: bytes | None, name="capture.png", address=HOME, **fields):
    form = {"tried_on": "2030-03-05", "kind": "screenshot", "note": "", **fields}
    if data is not None:
        form["upload"] = SimpleUploadedFile(name, data)
    url = reverse("observatory:dossier", args=[dossier.token])
    return client.post(url, form, REMOTE_ADDR=address)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(out, "JPEG")
    return out.getvalue()


def stored_files() -> list:
    root = evidence_dir()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_refused(response, words: str, status=200):
    assert response.status_code == status
    page = response.content.decode()
    assert words in page
    # Said at the file field, tied to it for screen readers.
    assert 'id="id_upload-error"' in page
    assert 'aria-describedby="id_upload-hint id_upload-error"' in page
    return page


@pytest.mark.parametrize(
    ("name", "data", "suffix"),
    [
        ("capture.png", png(), "png"),
        ("photo.jpeg", jpeg(), "jpg"),
        ("accuse.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "pdf"),
        ("scan.pdf", png(grey=3), "png"),  # named by what it is, not by what it is called
    ],
)
def test_pictures_and_pdfs_are_accepted_and_stored_by_their_content(
    client, dossier, name, data, suffix
):
    assert send(client, dossier, data, name).status_code == 302
    attempt = dossier.tries.get()
    assert attempt.file.endswith(f".{suffix}")
    assert (evidence_dir() / attempt.file).read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("capture.png", b"<html><script>alert(1)</script></html>"),
        ("capture.png", b"\x89PNG\r\n\x1a\n not really a picture"),
        ("document.pdf", b"MZ\x90\x00 an executable"),
        ("image.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ],
    ids=["html-named-png", "broken-png", "exe-named-pdf", "gif"],
)
def test_other_files_are_refused_whatever_their_name(client, dossier, name, data):
    assert_refused(
        send(client, dossier, data, name), "ni une image PNG ou JPEG, ni un document PDF"
    )
    assert not PersonalTry.objects.exists()
    assert stored_files() == []


def test_a_file_over_10_mo_is_refused(client, dossier):
    too_big = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)
    assert_refused(send(client, dossier, too_big, "gros.pdf"), "Le fichier dépasse 10 Mo.")
    assert not PersonalTry.objects.exists()
    assert stored_files() == []


def test_a_dossier_holds_20_files_then_tries_without_a_file(client, dossier):
    for n in range(20):
        assert send(client, dossier, png(grey=n)).status_code == 302
    before = stored_files()

    page = assert_refused(send(client, dossier, png(grey=200)), "contient déjà 20 fichiers")

    assert "regroupez plusieurs captures dans un seul PDF" in page
    assert dossier.tries.count() == 20 and stored_files() == before
    assert send(client, dossier, None, note="Lettre recommandée").status_code == 302
    assert dossier.tries.count() == 21


def test_one_address_sends_50_files_a_day_then_waits_for_tomorrow(client, target):
    dossiers = [new_dossier(target) for _ in range(3)]
    for n in range(50):
        assert send(client, dossiers[n % 3], png(grey=n), address=OFFICE).status_code == 302
    before = stored_files()

    refused = send(client, dossiers[0], png(grey=99), address=OFFICE)

    assert_refused(refused, "50 fichiers ont déjà été envoyés aujourd&#x27;hui", status=429)
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
    assert stored_files() == before and PersonalTry.objects.count() == 50
    # Someone else is not held back, and the same office can send again tomorrow.
    assert send(client, dossiers[0], png(grey=99), address=HOME).status_code == 302
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        assert send(client, dossiers[1], png(grey=100), address=OFFICE).status_code == 302
    # Addresses are counted, not kept: a keyed hash is stored, never the address.
    kept = set(PersonalTry.objects.values_list("sent_from", flat=True))
    assert {len(key) for key in kept} == {64} and not kept & {HOME, OFFICE}
