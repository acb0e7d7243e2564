"""The hash chain that makes the observatory's evidence checkable by anyone.

Each record carries the SHA-256 of its evidence files and of the previous record, so that changing,
removing or reordering one record or one file breaks the chain at that point. No Django import:
the same code can verify an export on any machine.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

GENESIS = "0" * 64  # the "previous record" of the first one


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(payload: dict) -> bytes:
    """One byte string per payload, whatever the key order: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link_hash(payload: dict, previous: str) -> str:
    return sha256_bytes(canonical({"payload": payload, "previous": previous}))


@dataclass
class Link:
    """One stored record as read back: what it says, what it claims, and its evidence files."""

    name: str
    payload: dict
    previous: str
    stored_hash: str
    evidence: dict[str, str] = field(default_factory=dict)  # path -> claimed SHA-256


@dataclass
class Break:
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


def first_broken_link(
    links: Iterable[Link], read_file: Callable[[str], bytes | None]
) -> Break | None:
    """Walk the chain in order; name the first record or evidence file that does not add up.

    `read_file` returns a file's bytes, or None when it is missing.
    """
    expected_previous = GENESIS
    for link in links:
        if link.previous != expected_previous:
            return Break(
                link.name,
                "previous-record hash does not match: a record before it "
                "was removed, inserted or altered",
            )
        if link_hash(link.payload, link.previous) != link.stored_hash:
            return Break(link.name, "record altered: its content no longer matches its hash")
        for path, claimed in sorted(link.evidence.items()):
            data = read_file(path)
            if data is None:
                return Break(link.name, f"evidence file missing: {path}")
            if sha256_bytes(data) != claimed:
                return Break(link.name, f"evidence file altered: {path}")
        expected_previous = link.stored_hash
    return None
