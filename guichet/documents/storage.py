"""Where the documents' files live: under var/, never under the static files, each under a
random name that says nothing of the person, readable by the application's user only."""

import os
import secrets
import tempfile
from pathlib import Path

from django.conf import settings

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def documents_dir() -> Path:
    return Path(settings.GUICHET_DOCUMENTS_DIR)


def store(data: bytes, suffix: str) -> str:
    """Write one file under a new random name; return its path relative to the folder."""
    name = secrets.token_urlsafe(24)
    relative = f"{name[:2]}/{name}.{suffix}"
    path = documents_dir() / relative
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Written aside, then renamed: a reader never sees half a file.
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", delete=False) as handle:
        handle.write(data)
    os.chmod(handle.name, 0o600)
    os.replace(handle.name, path)
    return relative


def path_of(relative: str) -> Path | None:
    """The file's path, if it is still there (None once erased)."""
    if not relative:
        return None
    path = documents_dir() / relative
    return path if path.is_file() else None


def remove(relatives) -> None:
    for relative in relatives:
        if relative:
            (documents_dir() / relative).unlink(missing_ok=True)
