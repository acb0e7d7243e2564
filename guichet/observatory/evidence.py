"""Where the evidence lives, how a check joins the chain, and how the chain is verified."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .chain import GENESIS, Break, Link, first_broken_link, sha256_bytes
from .classify import Reading
from .models import Check, Target


def evidence_dir() -> Path:
    return Path(settings.GUICHET_EVIDENCE_DIR)


def store_file(relative: str, data: bytes) -> str:
    """Write one evidence file (never overwriting one) and return its SHA-256."""
    path = evidence_dir() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        handle.write(data)
    return sha256_bytes(data)


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
        last = Check.objects.select_for_update().order_by("-sequence").first()
        sequence = last.sequence + 1 if last else 1
        stem = f"{target.pk}/{checked_at:%Y/%m/%d}/{sequence:08d}"
        check = Check(
            target=target,
            sequence=sequence,
            checked_at=checked_at,
            outcome=reading.label,
            reason=reading.reason[:200],
            slot_count=reading.slot_count,
            earliest=reading.earliest,
            http_status=http_status,
            url=url,
            previous_hash=last.record_hash if last else GENESIS,
        )
        if body:
            check.evidence = f"{stem}.html"
            check.evidence_sha256 = store_file(check.evidence, body)
        if screenshot:
            check.screenshot = f"{stem}.png"
            check.screenshot_sha256 = store_file(check.screenshot, screenshot)
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
