"""`guichet dossier` renders a PDF that lists every check of the period and the weeks it covers."""

import datetime
import io
import re
import zlib

import pypdfium2 as pdfium
import pytest
from django.core.management import call_command
from django.utils import timezone

from guichet.observatory.classify import NO_SLOT, SLOTS, Reading
from guichet.observatory.evidence import record_check
from guichet.observatory.models import Dossier, PersonalTry, Target, TryKind

pytestmark = pytest.mark.django_db
START = datetime.datetime(2030, 3, 1, 9, 15, tzinfo=datetime.UTC)


def tiny_png() -> bytes:
    """A valid 1×1 grey PNG, built by hand so the test needs no image library."""

    def chunk(kind, data):
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\x80"))


@pytest.fixture
def target(settings, tmp_path):
    settings.GUICHET_EVIDENCE_DIR = tmp_path / "evidence"
    target = Target.objects.create(
        prefecture="Val-d'Oise", department_code="95", procedure="Titre", url="http://127.0.0.1/"
    )
    for n in range(60):  # every 8 hours for 20 days, an offer one time in ten
        offer = n % 10 == 3
        reading = (
            Reading(SLOTS, slot_count=2, earliest=datetime.date(2030, 5, 2))
            if offer
            else Reading(NO_SLOT)
        )
        record_check(
            target,
            START + datetime.timedelta(hours=8 * n),
            reading,
            body=b"<html>page</html>",
            screenshot=tiny_png() if n % 20 == 0 else None,
        )
    return target


def pdf_text(path) -> tuple[str, int]:
    pdf = pdfium.PdfDocument(str(path))
    texts = []
    for page in pdf:
        image = page.render(scale=1).to_pil()
        assert image.width > 0 and image.getextrema() != ((255, 255), (255, 255), (255, 255))
        texts.append(page.get_textpage().get_text_range())
    return re.sub(r"\s+", " ", " ".join(texts)), len(pdf)


def test_dossier_lists_every_check_of_the_period_and_its_weeks(target, tmp_path):
    dossier = Dossier.objects.create(
        target=target, period_start=datetime.date(2030, 3, 4), period_end=datetime.date(2030, 3, 17)
    )
    PersonalTry.objects.create(
        dossier=dossier, tried_on=datetime.date(2030, 3, 10), kind=TryKind.LETTER, note="LRAR 1A234"
    )
    out = tmp_path / "dossier.pdf"
    call_command(
        "dossier",
        f"--target={target.pk}",
        "--from=2030-03-04",
        "--to=2030-03-17",
        f"--out={out}",
        f"--dossier={dossier.token}",
        stdout=io.StringIO(),
    )
    text, pages = pdf_text(out)
    assert pages >= 2
    first, last = datetime.date(2030, 3, 4), datetime.date(2030, 3, 17)
    inside = [
        c for c in target.checks.all() if first <= timezone.localtime(c.checked_at).date() <= last
    ]
    outside = [c for c in target.checks.all() if c not in inside]
    assert inside and outside
    for check in inside:
        assert timezone.localtime(check.checked_at).strftime("%d/%m/%Y %H:%M") in text
    for check in outside:
        assert timezone.localtime(check.checked_at).strftime("%d/%m/%Y %H:%M") not in text
    assert "2 : 2030-W10, 2030-W11" in text  # the weeks the period covers
    assert "LRAR 1A234" in text
    letter = (tmp_path / "dossier-lettre-au-prefet.md").read_text()
    exhibits = (tmp_path / "dossier-bordereau-des-pieces.md").read_text()
    assert f"consulté {len(inside)} fois" in letter
    assert "LRAR 1A234" in exhibits and "pas un conseil juridique" in exhibits
