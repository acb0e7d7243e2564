"""Files people send: what they are by their content, bounded in size, and made safe to keep.

The observatory keeps a dossier's captures as sent (they are evidence, fingerprinted); the
documents checked before a visit are re-encoded instead: a phone photo loses its metadata (GPS
position, device) and a HEIC photo becomes a JPEG every agent's browser shows; a PDF is read
whole and refused when encrypted or carrying scripts, attachments or actions.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_FILE_BYTES = 10 * 1024 * 1024
# Pillow's names of the image formats accepted, and the extension each file is stored under.
IMAGE_SUFFIXES = {"PNG": "png", "JPEG": "jpg"}
# Phone photos (iPhone's default): opened through pillow-heif, stored as JPEG.
HEIF_FORMATS = ("HEIF", "AVIF")
# A photo of a page needs no more: larger ones are scaled down before they are stored.
LONGEST_SIDE = 3000
# Beyond this, decoding alone would take hundreds of megabytes: phones take 12 to 50 Mpx.
MAX_PIXELS = 64_000_000
MAX_PDF_PAGES = 50
# PDF names that run something or carry something when the file is opened.
ACTIVE_PDF_NAMES = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")


def file_kind(data: bytes) -> str | None:
    """« pdf », « png » or « jpg » by what the file is, whatever its name says; else None.

    Images are opened by Pillow and checked whole (a renamed or truncated file is refused);
    a PDF by its header, the one thing every PDF reader requires.
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    try:
        with Image.open(io.BytesIO(data), formats=list(IMAGE_SUFFIXES)) as image:
            image.verify()
            return IMAGE_SUFFIXES.get(image.format or "")
    except Exception:  # noqa: BLE001 - whatever Pillow cannot read is not an accepted image
        return None


def read_bounded(upload, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The upload's bytes, or the French refusal when it is over the limit."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("Le fichier dépasse %(mo)d Mo.") % {"mo": max_bytes // (1024 * 1024)}
        )
    return upload.read()


def not_accepted() -> ValidationError:
    return ValidationError(
        _(
            "Ce fichier n'est ni une photo (JPEG, PNG ou HEIC), ni un document PDF : "
            "envoyez une photo ou un scan du document."
        )
    )


def _heif_opener() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()


def clean_image(data: bytes) -> tuple[bytes, str]:
    """The image redrawn from its pixels alone, turned as the camera meant it: no EXIF, no GPS,
    no comments survive; JPEG for photos (HEIC included), PNG for PNG."""
    _heif_opener()
    try:
        with Image.open(io.BytesIO(data), formats=[*IMAGE_SUFFIXES, *HEIF_FORMATS]) as image:
            kind = image.format or ""
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _(
                        "Cette photo a trop de pixels : reprenez-la en qualité normale, ou "
                        "envoyez-la en PDF."
                    )
                )
            # A JPEG is decoded straight at about the size kept: far less memory.
            image.draft(None, (LONGEST_SIDE, LONGEST_SIDE))
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            mode = "RGBA" if kind == "PNG" and "A" in upright.getbands() else "RGB"
            pixels = upright.convert(mode)
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - unreadable, truncated, a bomb: not an image
        raise not_accepted() from error
    # A new image of the same pixels: nothing of the file's metadata can follow it.
    fresh = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if kind == "PNG":
        fresh.save(out, "PNG", optimize=True)
        return out.getvalue(), "png"
    fresh.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), "jpg"


def check_pdf(data: bytes) -> None:
    """A PDF read whole by pypdf, with pages, not encrypted, carrying no script, attachment
    or launch action; else a refusal saying what to do."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _(
                    "Ce PDF est protégé par un mot de passe : envoyez-le sans protection, ou "
                    "une photo du document."
                )
            )
        pages = len(reader.pages)
        catalog = reader.root_object
        active = any(key in catalog for key in ("/OpenAction", "/AA", "/AcroForm"))
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - whatever pypdf cannot read is refused
        raise ValidationError(
            _("Ce PDF est illisible ou abîmé : enregistrez-le à nouveau, ou envoyez une photo.")
        ) from error
    if not pages or pages > MAX_PDF_PAGES:
        raise ValidationError(_("Un PDF doit avoir de 1 à %(n)d pages.") % {"n": MAX_PDF_PAGES})
    if active or any(name in data for name in ACTIVE_PDF_NAMES):
        raise ValidationError(
            _(
                "Ce PDF contient des scripts, des pièces jointes ou des formulaires : "
                "imprimez-le en PDF ou envoyez une photo du document."
            )
        )


def clean_document(upload, max_bytes: int = MAX_FILE_BYTES) -> tuple[bytes, str]:
    """What to store of a person's document, and its extension (« pdf », « jpg », « png »);
    a ValidationError in plain French for anything else, and nothing stored."""
    data = read_bounded(upload, max_bytes)
    if data.startswith(b"%PDF-"):
        check_pdf(data)
        return data, "pdf"
    return clean_image(data)
