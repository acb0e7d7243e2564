"""Screenshots become text through tesseract, and `observe classify` says why when they cannot."""

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from guichet.observatory import ocr
from guichet.observatory.classify import UNKNOWN, classify_file

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_tesseract = pytest.mark.skipif(
    not ocr.tesseract_available(),
    reason="tesseract with French data absent (apt-get install tesseract-ocr tesseract-ocr-fra)",
)
needs_font = pytest.mark.skipif(not FONT.exists(), reason=f"{FONT} absent (fonts-dejavu-core)")


def screenshot(lines, size=13):
    """A white page with lines of (text, grey level) at screen size, as PNG bytes."""
    font = ImageFont.truetype(str(FONT), size)
    image = Image.new("RGB", (600, 40 + 30 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for row, (text, grey) in enumerate(lines):
        draw.text((20, 20 + 30 * row), text, fill=(grey, grey, grey), font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@needs_tesseract
@needs_font
def test_screen_sized_french_text_is_read():
    text = ocr.image_text(screenshot([("Veuillez sélectionner la date puis l'heure", 40)]))
    assert "sélectionner la date" in text


@needs_tesseract
@needs_font
def test_faint_print_is_left_out():
    text = ocr.image_text(screenshot([("Choix d'une heure", 60), ("Rendez-vous complet", 200)]))
    assert "Choix d'une heure" in text
    assert "complet" not in text


def test_an_empty_enlarged_reading_is_retried_at_the_original_size(monkeypatch):
    """A captcha crop's large characters read nothing once enlarged, but read at their own size."""
    widths = []

    def tesseract(png):
        widths.append(Image.open(io.BytesIO(png)).width)
        return "" if len(widths) == 1 else "2895\n"

    monkeypatch.setattr(ocr, "tesseract_available", lambda: True)
    monkeypatch.setattr(ocr, "run_tesseract", tesseract)
    crop = io.BytesIO()
    Image.new("RGBA", (150, 50), (0, 0, 0, 0)).save(crop, "PNG")
    assert ocr.image_text(crop.getvalue()) == "2895\n"
    assert widths == [150 * ocr.SCALE, 150]


@needs_tesseract
def test_bytes_that_are_not_an_image_raise_an_ocr_error():
    with pytest.raises(ocr.OcrError):
        ocr.image_text(b"\x89PNG not really")


def test_without_tesseract_there_is_no_text(monkeypatch):
    monkeypatch.setattr(ocr, "tesseract_available", lambda: False)
    assert ocr.image_text(b"\x89PNG anything") is None


def test_classify_says_when_an_image_cannot_be_read(tmp_path):
    path = tmp_path / "shot.png"
    path.write_bytes(b"\x89PNG\r\n")
    missing = classify_file(path, read_image=lambda raw: None)
    assert missing["label"] == UNKNOWN
    assert "tesseract" in missing["reason"]

    def failing(raw):
        raise ocr.OcrError("took too long")

    failed = classify_file(path, read_image=failing)
    assert (failed["label"], failed["reason"]) == (UNKNOWN, "image: OCR failed (took too long)")


def test_classify_reads_an_image_through_its_text(tmp_path):
    path = tmp_path / "shot.png"
    path.write_bytes(b"\x89PNG\r\n")
    line = classify_file(path, read_image=lambda raw: "Aucun créneau disponible")
    assert (line["label"], line["source"]) == ("no_slot", "ocr")
