"""Recognise one person across submissions, whatever accents, case or spacing they typed.

A name and a birth date are easy to learn about someone; the number of a document the person
holds is not. The identity that holds a place in line is all three (docs/decisions/0004).
"""

import hashlib
import re
import unicodedata

# What people type between the characters of a document number, and what it never contains.
DOCUMENT_SEPARATORS = re.compile(r"[\s.\-/]")


def normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    cleaned = "".join(char if char.isalnum() else " " for char in letters.casefold())
    return " ".join(cleaned.split())


def normalise_document_number(typed: str) -> str:
    """« ab 12-34 567 » and « AB1234567 » are one passport: uppercase, separators dropped.

    Full-width forms are folded (NFKC); anything else is kept for the rule to refuse.
    """
    return DOCUMENT_SEPARATORS.sub("", unicodedata.normalize("NFKC", typed)).upper()


def person_key(family_name: str, given_names: str, birth_date) -> str:
    """Name and birth date only: what agents compare to find one person's two requests."""
    text = f"{normalise_name(family_name)}|{normalise_name(given_names)}|{birth_date.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()


def identity_key(family_name: str, given_names: str, birth_date, document: str = "") -> str:
    """Name, birth date and the number of the document the service identifies people by.

    Without a document (requests registered before the rule) it is the person key, so old
    requests keep the key they were registered with.
    """
    if not document:
        return person_key(family_name, given_names, birth_date)
    text = (
        f"{normalise_name(family_name)}|{normalise_name(given_names)}|{birth_date.isoformat()}"
        f"|{normalise_document_number(document)}"
    )
    return hashlib.sha256(text.encode()).hexdigest()
