"""Recognise one person across submissions, whatever accents, case or spacing they typed."""

import hashlib
import unicodedata


def normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    cleaned = "".join(char if char.isalnum() else " " for char in letters.casefold())
    return " ".join(cleaned.split())


def identity_key(family_name: str, given_names: str, birth_date) -> str:
    text = f"{normalise_name(family_name)}|{normalise_name(given_names)}|{birth_date.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()
