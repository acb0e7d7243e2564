"""Builders for the documents' tests: a service's list, files as phones make them."""

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from guichet.documents.enums import Criterion
from guichet.documents.models import Requirement

GPS_IFD = 0x8825
MAKE = 0x010F


def with_list(service) -> list[Requirement]:
    """Passport, proof of address, and a marriage certificate asked only if married."""
    return [
        Requirement.objects.create(
            service=service, position=10, name="Passeport", criteria=[Criterion.ALL_PAGES]
        ),
        Requirement.objects.create(
            service=service,
            position=20,
            name="Justificatif de domicile",
            criteria=[Criterion.RECENT],
        ),
        Requirement.objects.create(
            service=service,
            position=30,
            name="Acte de mariage",
            condition="si marié(e)",
            criteria=[Criterion.TRANSLATED],
        ),
    ]


def phone_photo(colour="navy", size=(60, 40), kind="JPEG") -> bytes:
    """A photo as a phone takes it: with the place it was taken (GPS) and the phone's make."""
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    if kind == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    Image.new("RGB", size, colour).save(out, kind, exif=exif.tobytes())
    return out.getvalue()


def pdf(pages=1, script=False) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if script:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(1)"),
            }
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
