"""In a real browser at phone size: a person reads the observatory, builds a dossier of proof for
one procedure, adds their own try with a screenshot, and downloads the PDF they would send to the
préfet or the judge. Every page has no axe-core violation; the PDF holds their facts and the
robot's screenshots as images."""

import datetime
import io
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import time_machine
from PIL import Image, ImageDraw

from guichet.observatory.chain import sha256_bytes
from guichet.observatory.classify import NO_SLOT, SLOTS, Reading
from guichet.observatory.evidence import record_check
from guichet.observatory.models import Dossier, Target
from tests.browser import Journey
from tests.observatory.test_dossier_pdf_in_background import run_worker

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = datetime.datetime(2026, 11, 10, 9, 0, tzinfo=datetime.UTC)
FIRST_CHECK = datetime.datetime(2026, 10, 26, 7, 0, tzinfo=datetime.UTC)  # a Monday, 8:00 in Paris


def png(text: str) -> bytes:
    """A small screenshot-like picture, different for each text."""
    image = Image.new("RGB", (320, 180), "white")
    ImageDraw.Draw(image).text((12, 12), text, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def observed_target() -> Target:
    """Two weeks of checks every six hours, an offer one time in eight, a screenshot a day."""
    target = Target.objects.create(
        prefecture="Préfecture fictive (démonstration)",
        department_code="94",
        procedure="Titre de séjour (démonstration)",
        url="http://127.0.0.1:8765/booking/create/11343",
    )
    for n in range(4 * 14):
        offer = n % 8 == 5
        reading = (
            Reading(SLOTS, slot_count=2, earliest=datetime.date(2027, 1, 12))
            if offer
            else Reading(NO_SLOT)
        )
        record_check(
            target,
            FIRST_CHECK + datetime.timedelta(hours=6 * n),
            reading,
            body=b"<html>Aucun rendez-vous</html>" if not offer else b"<html>2 creneaux</html>",
            screenshot=png(f"check {n}") if n % 4 == 0 else None,
        )
    return target


def pdf_images(pdf: pdfium.PdfDocument) -> int:
    return sum(
        1
        for page in pdf
        for obj in page.get_objects(max_depth=4)
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE
    )


def test_a_person_builds_a_dossier_of_proof_and_downloads_its_pdf(
    live_server, browser_page, tmp_path
):
    with time_machine.travel(TODAY):
        target = observed_target()
        page = browser_page
        journey = Journey(page, live_server.url)

        journey.goto("/observatoire/")
        assert "Titre de séjour (démonstration)" in page.inner_text("main")
        assert "semaine du 26 octobre 2026" in page.inner_text("main")
        assert "2026-W" not in page.inner_text("main")
        page.get_by_role("link", name="Constituer un dossier").click()
        journey.check()

        page.get_by_label("Démarche observée").select_option(str(target.pk))
        page.get_by_label("Du", exact=True).fill("2026-10-26")
        page.get_by_label("Au", exact=True).fill("2026-11-01")
        page.get_by_role("button", name="Créer le dossier").click()
        page.wait_for_url("**/observatoire/dossier/*/")
        journey.check()
        dossier = Dossier.objects.get()
        assert "27 consultations, 3 avec une offre" in page.inner_text("main")

        screenshot = png("my own screenshot: no slot")

        def add_my_try():
            page.get_by_label("Date", exact=True).fill("2026-10-28")
            page.get_by_label("Type", exact=True).select_option("screenshot")
            page.get_by_label("Précisions").fill("Aucun créneau, message à 8 h 02")
            page.get_by_label("Fichier").set_input_files(
                {"name": "capture.png", "mimeType": "image/png", "buffer": screenshot}
            )
            page.get_by_role("button", name="Ajouter au dossier").click()

        add_my_try()
        page.wait_for_selector(".fr-alert--success")
        journey.check()
        assert "Aucun créneau, message à 8 h 02" in page.inner_text("main")
        add_my_try()  # the same file again, as after a reload
        page.wait_for_selector(".fr-alert--info")
        journey.check()
        already = page.inner_text(".fr-alert--info")
        assert "Ce fichier est déjà dans le dossier (tentative du 28/10/2026)" in already
        tries = page.locator("table", has_text="Tentatives ajoutées au dossier")
        assert tries.locator("tbody tr").count() == 1
        assert dossier.tries.count() == 1

        # The PDF is prepared in the background (the worker), then downloaded.
        page.get_by_role("button", name="Préparer le PDF").click()
        page.wait_for_selector("text=Le PDF est en préparation")
        journey.check()
        run_worker()
        page.get_by_role("link", name="Recharger la page").click()
        page.wait_for_selector("text=PDF préparé le")
        journey.check()
        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger le dossier (PDF)").click()
        saved = tmp_path / "dossier.pdf"
        download.value.save_as(saved)

    assert journey.refused() == [], journey.log
    assert download.value.suggested_filename == "dossier-de-preuves.pdf"
    pdf = pdfium.PdfDocument(saved)
    text = " ".join(p.get_textpage().get_text_range() for p in pdf)
    text = " ".join(text.split())
    assert "Préfecture fictive (démonstration) (94)" in text
    assert "Titre de séjour (démonstration)" in text
    assert "du 26/10/2026 au 01/11/2026" in text
    assert "semaine du 26 octobre 2026" in text
    assert "28/10/2026" in text and "Aucun créneau, message à 8 h 02" in text
    assert sha256_bytes(screenshot) in text.replace(" ", "")  # the person's own file
    assert "Le 10 novembre 2026" in text  # the letter, dated the day the PDF was made
    # A screenshot a day was recorded: six of the seven are annexed, the first and the last
    # included, each listed in the bordereau and drawn as an image.
    recorded = list(dossier.target.checks.exclude(screenshot="").order_by("sequence")[:7])
    assert "6 captures annexées sur 7" in text
    listed = re.findall(r"- vérification n° (\d+) du", text)
    assert len(listed) == 6 and {"1", str(recorded[-1].sequence)} <= set(listed)
    assert pdf_images(pdf) == len(listed)
