"""Turn a screenshot into text with Debian's `tesseract` (French), so it can be classified.

No Python OCR library: the `tesseract` command is run with fixed flags, one thread and a timeout,
so the same image gives the same text. Pillow (already needed by Matplotlib and WeasyPrint) only
prepares the image. `image_text` returns None when tesseract or its French data is missing.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageOps

LANGUAGE = "fra"
# Screen text is 10-13 px high; Tesseract reads best near twice that.
SCALE = 2
# Pages print disabled things (past or full days in a calendar) in faint grey, lighter than this
# level out of 255; reading only darker print keeps a disabled day from reading as a bookable one.
FAINT = 160
TIMEOUT_SECONDS = 30
# Page segmentation 4: one column of text lines of various sizes, which keeps each row of a table
# (a time slot, a calendar week) on one line. Engine 1: the LSTM recogniser only.
FLAGS = ("-l", LANGUAGE, "--psm", "4", "--oem", "1")


class OcrError(RuntimeError):
    """Tesseract was found but failed or ran out of time on this image."""


@functools.cache
def tesseract_available() -> bool:
    """Tesseract is installed with its French data (Debian: tesseract-ocr tesseract-ocr-fra)."""
    if not shutil.which("tesseract"):
        return False
    try:
        listed = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=TIMEOUT_SECONDS
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return LANGUAGE in listed.stdout.split()


def prepared(raw: bytes, scale: int) -> bytes:
    """Grey levels on white (transparent pixels become white), enlarged, faint print removed."""
    image = Image.open(io.BytesIO(raw)).convert("RGBA")
    page = Image.new("RGBA", image.size, "white")
    page.alpha_composite(image)
    grey = ImageOps.grayscale(page.convert("RGB"))
    if scale != 1:
        grey = grey.resize((grey.width * scale, grey.height * scale), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    grey.point(lambda level: 0 if level < FAINT else 255).save(out, "PNG")
    return out.getvalue()


def run_tesseract(image: bytes) -> str:
    environment = os.environ | {"OMP_THREAD_LIMIT": "1"}  # deterministic, and spares the CPU
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", *FLAGS],
            input=image,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            env=environment,
        )
    except subprocess.TimeoutExpired as error:
        raise OcrError(f"tesseract took more than {TIMEOUT_SECONDS} s") from error
    if done.returncode:
        raise OcrError(done.stderr.decode("utf-8", "replace").strip() or "tesseract failed")
    return done.stdout.decode("utf-8", "replace")


def image_text(image: Path | str | bytes) -> str | None:
    """The text of an image file or its bytes; None when tesseract (French) is not installed.

    A page screenshot is read enlarged; a small crop whose characters are already large (a captcha
    image) reads nothing that way, so an empty reading is retried at the original size.
    """
    if not tesseract_available():
        return None
    raw = image if isinstance(image, bytes) else Path(image).read_bytes()
    text = ""
    for scale in (SCALE, 1):
        try:
            image = prepared(raw, scale)
        except OSError as error:  # Pillow's UnidentifiedImageError is one
            raise OcrError(f"not a readable image: {error}") from error
        text = run_tesseract(image)
        if text.strip():
            break
    return text
