"""Where the evidence lives, how a check joins the chain, and how the chain is verified."""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .chain import GENESIS, Break, Link, first_broken_link, sha256_bytes
from .classify import Reading
from .figures import bucket
from .models import Check, Target


def evidence_dir() -> Path:
    return Path(settings.GUICHET_EVIDENCE_DIR)


def content_path(digest: str, suffix: str) -> str:
    """Where a file of this SHA-256 lives: its name is its fingerprint, whatever the database."""
    return f"sha256/{digest[:2]}/{digest[2:4]}/{digest}.{suffix}"


def store_file(data: bytes, suffix: str) -> tuple[str, str]:
    """Keep one evidence file under its SHA-256; return its relative path and that SHA-256.

    Identical content is stored once and a stored file is never overwritten: a second database
    (or a second upload of the same file) finds its file already there, under the same name.
    """
    digest = sha256_bytes(data)
    relative = content_path(digest, suffix)
    path = evidence_dir() / relative
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside, then linked in: a reader never sees half a file, and link() refuses to
        # replace a file that a concurrent writer of the same content put there first.
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", delete=False) as handle:
            handle.write(data)
        os.chmod(handle.name, 0o644)  # as a plain write would leave it, not the temporary 0600
        try:
            os.link(handle.name, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(handle.name)
    return relative, digest


def read_file(relative: str) -> bytes | None:
    path = evidence_dir() / relative
    return path.read_bytes() if path.is_file() else None


def record_check(
    target: Target,
    checked_at: datetime.datetime,
    reading: Reading,
    *,
    body: bytes = b"",
    url: str = "",
    http_status: int | None = None,
    screenshot: bytes | None = None,
) -> Check:
    """Append one check to the chain, with the last page received and its screenshot if any."""
    with transaction.atomic():
        last = Check.objects.select_for_update(of=("self",)).order_by("-sequence").first()
        sequence = last.sequence + 1 if last else 1
        check = Check(
            target=target,
            sequence=sequence,
            checked_at=checked_at,
            outcome=reading.label,
            reason=reading.reason[:200],
            slot_count=reading.slot_count,
            earliest=reading.earliest,
            rule=reading.rule[:40],
            bucket=bucket(
                reading.label,
                timezone.localtime(checked_at).date(),
                reading.dates,
                reading.earliest,
            ),
            http_status=http_status,
            url=url,
            previous_hash=last.record_hash if last else GENESIS,
        )
        if body:
            check.evidence, check.evidence_sha256 = store_file(body, "html")
        if screenshot:
            check.screenshot, check.screenshot_sha256 = store_file(screenshot, "png")
        check.record_hash = check.compute_hash()
        check.save()
    return check


def chain_links(checks):
    for check in checks:
        files = {check.evidence: check.evidence_sha256, check.screenshot: check.screenshot_sha256}
        yield Link(
            name=f"check #{check.sequence} (id {check.pk}, {check.checked_at.isoformat()})",
            payload=check.payload(),
            previous=check.previous_hash,
            stored_hash=check.record_hash,
            evidence={path: digest for path, digest in files.items() if path},
        )


def verify_chain() -> Break | None:
    """The first broken link of the whole chain, or None when every record and file adds up."""
    return first_broken_link(chain_links(Check.objects.order_by("sequence").iterator()), read_file)
