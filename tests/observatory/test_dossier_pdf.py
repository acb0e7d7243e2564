"""`guichet dossier` renders a PDF that lists every check of the period and the weeks it covers."""

import datetime
import io
import re
import zlib

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from guichet.observatory.classify import NO_SLOT, SLOTS, Reading
from guichet.observatory.dossier import (
    build_dossier,
    render_dossier_html,
    render_dossier_pdf,
    render_exhibits,
    render_letter,
)
from guichet.observatory.evidence import evidence_dir, record_check
from guichet.observatory.models import Dossier, PersonalTry, TryKind
from tests import factories

pytestmark = pytest.mark.django_db
START = datetime.datetime(2030, 3, 1, 9, 15, tzinfo=datetime.UTC)


def tiny_png(grey: int = 0x80) -> bytes:
    """A valid 1×1 grey PNG, built by hand so the test needs no image library."""

    def chunk(kind, data):
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes([0, grey])))
    )


@pytest.fixture
def target():
    target = factories.make_target()
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
            screenshot=tiny_png(grey=n) if n % 20 == 0 else None,
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
    # The weeks the period covers, named by their Mondays.
    assert "2 : semaine du 4 mars 2030, semaine du 11 mars 2030" in text
    assert "LRAR 1A234" in text
    letter = (tmp_path / "dossier-lettre-au-prefet.txt").read_text()
    exhibits = (tmp_path / "dossier-bordereau-des-pieces.txt").read_text()
    assert f"consulté {len(inside)} fois" in letter
    assert "LRAR 1A234" in exhibits and "pas un conseil juridique" in exhibits


def annexed_images(pdf: pdfium.PdfDocument) -> list[tuple[int, int]]:
    """The pixel size of every image drawn in the PDF."""
    return [
        obj.get_px_size()
        for page in pdf
        for obj in page.get_objects(max_depth=4)
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE
    ]


def test_the_screenshots_the_exhibits_list_are_in_the_pdf_as_images(target):
    contents = build_dossier(target, datetime.date(2030, 3, 1), datetime.date(2030, 3, 20))
    pdf = pdfium.PdfDocument(render_dossier_pdf(contents))
    text = " ".join(page.get_textpage().get_text_range() for page in pdf)
    text = re.sub(r"\s+", " ", text)

    listed = re.findall(r"- vérification n° (\d+) du", text)  # in the bordereau de pièces
    assert listed == ["1", "21", "41"]  # every screenshot of the period
    assert annexed_images(pdf) == [(1, 1)] * len(listed)
    for check in target.checks.filter(sequence__in=listed):
        assert check.screenshot_sha256 in text.replace(" ", "")
    # Plain text, not Markdown printed raw.
    assert "Bordereau des pièces".upper() in text
    assert "Du 1er mars 2030 au 20 mars 2030" in text  # the letter, in French dates
    assert "#" not in text and "**" not in text and "<!--" not in text


def test_an_altered_screenshot_is_not_annexed_as_if_it_were_the_one_recorded(target):
    altered = target.checks.exclude(screenshot="").order_by("sequence")[1]
    (evidence_dir() / altered.screenshot).write_bytes(tiny_png(grey=255))
    contents = build_dossier(target, datetime.date(2030, 3, 1), datetime.date(2030, 3, 20))
    pdf = pdfium.PdfDocument(render_dossier_pdf(contents))
    text = re.sub(r"\s+", " ", " ".join(p.get_textpage().get_text_range() for p in pdf))

    assert re.findall(r"- vérification n° (\d+) du", text) == ["1", "41"]
    assert len(annexed_images(pdf)) == 2


def test_the_dossier_gives_la_cimade_buckets_over_its_period_and_week_by_week(target):
    contents = build_dossier(target, datetime.date(2030, 3, 4), datetime.date(2030, 3, 17))
    html = re.sub(r"\s+", " ", render_dossier_html(contents))
    offers = [check for check in contents.checks if check.is_offer]
    no_date = len(contents.checks) - len(offers)
    assert len(offers) == 4  # each offering 2 May 2030, one to two months ahead
    share = round(100 * len(offers) / len(contents.checks))
    whole = (
        '<th scope="row">Toute la période</th><td>0 (0 %)</td><td>0 (0 %)</td>'
        f"<td>{len(offers)} ({share} %)</td><td>0 (0 %)</td>"
        f"<td>{no_date} ({100 - share} %)</td><td>0</td>"
    )
    assert whole in html
    assert '<th scope="row">semaine du 4 mars 2030</th>' in html
    assert '<th scope="row">semaine du 11 mars 2030</th>' in html
    assert html.count("<td>première date entre un et deux mois</td>") == len(offers)


def test_the_letter_exhibits_and_pdf_are_in_french_whatever_the_persons_language(target):
    """The préfet and the judge read French: a person reading the site in Spanish still gets
    drafts and a dossier they can send as they are."""
    contents = build_dossier(target, datetime.date(2030, 3, 4), datetime.date(2030, 3, 17))
    with translation.override("es"):
        assert translation.gettext("Madame, Monsieur,") != "Madame, Monsieur,"  # Spanish exists
        letter = render_letter(contents)
        exhibits = render_exhibits(contents)
        html = render_dossier_html(contents)
    assert "Madame, Monsieur," in letter
    assert "Lettre recommandée avec accusé de réception" in letter
    assert "BORDEREAU DES PIÈCES" in exhibits
    assert "Toute la période" in html
