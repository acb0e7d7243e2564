"""What a préfecture booking page says: slots, no slot, overloaded, captcha, maintenance, error.

Pure functions of the page text (selectolax), with no Django import, so that anyone can re-read a
stored piece of evidence and get the same reading. Messages come from the real pages and from public
watchers' code (see shared/fixtures/real-world/SOURCES.md).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser

SLOTS = "slots"
NO_SLOT = "no_slot"
OVERLOADED = "overloaded"
CAPTCHA = "captcha"
MAINTENANCE = "maintenance"
ERROR = "error"
UNKNOWN = "unknown"
LABELS = (SLOTS, NO_SLOT, OVERLOADED, CAPTCHA, MAINTENANCE, ERROR, UNKNOWN)
# An offer is what a person is looking for; every other label is a failed try.
OFFER_LABELS = frozenset({SLOTS})

LEGACY = "legacy"  # the /booking/create/<form id>/<step> module of préfecture websites
RDV_PREFECTURE = "rdv_prefecture"  # the national « rdv-prefecture » platform
TEXT_MATCH = "text_match"  # any other system: configured sentences
FAMILIES = (LEGACY, RDV_PREFECTURE, TEXT_MATCH)

# Sentences are compared lowercased, without accents, with straight apostrophes.
CAPTCHA_FIELDS = ("captcha", "g-recaptcha", "h-captcha", "frc-captcha")
MAINTENANCE_SENTENCES = (
    "en maintenance",
    "operation de maintenance",
    "site est momentanement indisponible",
    "service est momentanement indisponible",
)
OVERLOADED_SENTENCES = ("service surcharge", "actuellement surcharge")
NO_SLOT_SENTENCES = (
    "il n'existe plus de plage horaire libre",
    "aucun creneau disponible",
    "aucun rendez-vous n'est possible",
    "aucun creneau correspondant a votre recherche",
)
ERROR_SENTENCES = (
    "request forbidden by administrative rules",
    "502 bad gateway",
    "503 service unavailable",
    "504 gateway time-out",
    "403 forbidden",
)
# Legacy steps shown only when the procedure has free slots.
LEGACY_SLOT_HEADINGS = ("description de la nature du rendez-vous", "choix d'une plage horaire")
LEGACY_CAPTCHA_HEADINGS = ("controle de securite",)

DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})(?!\d)")
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")


@dataclass
class Reading:
    """The outcome of one page: a label and what else the page showed."""

    label: str
    reason: str = ""
    slot_count: int | None = None
    earliest: datetime.date | None = None
    step: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = {key: value for key, value in asdict(self).items() if value not in (None, "", {})}
        if self.earliest:
            data["earliest"] = self.earliest.isoformat()
        return data

    @property
    def is_offer(self) -> bool:
        return self.label in OFFER_LABELS


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return re.sub(r"\s+", " ", text)


def parse_date(text: str) -> datetime.date | None:
    match = DATE_RE.search(text)
    if not match:
        return None
    try:
        if match.group(1):
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
        return datetime.date(int(match[4]), int(match[5]), int(match[6]))
    except ValueError:
        return None


def _found(text: str, sentences) -> str:
    return next((sentence for sentence in sentences if sentence in text), "")


def has_captcha(tree: HTMLParser) -> bool:
    """A captcha field, widget or script anywhere in the page: a probe must stop there."""
    for node in tree.css("input, div, iframe, script, img, textarea"):
        attributes = " ".join(
            f"{key}={value}" for key, value in node.attributes.items() if key != "alt"
        )
        if any(marker in attributes.lower() for marker in CAPTCHA_FIELDS):
            return True
    return False


def headings(tree: HTMLParser) -> list[str]:
    return [normalise(node.text()) for node in tree.css("h1, h2, h3, title")]


def page_text(tree: HTMLParser) -> str:
    body = tree.body or tree.root
    for node in body.css("script, style") if body else []:
        node.decompose()
    return normalise(body.text(separator=" ") if body else "")


def read_legacy_grid(tree: HTMLParser) -> tuple[int, datetime.date | None]:
    """Count the « libre » cells of the weekly grid and find the earliest day that has one.

    A free cell takes its date from its own text, else from its row's first cell, else from its
    column header, as the grid is laid out either way.
    """
    count, earliest = 0, None
    for table in tree.css("table"):
        rows = table.css("tr")
        column_dates = [parse_date(cell.text()) for cell in rows[0].css("th, td")] if rows else []
        for row in rows:
            cells = row.css("th, td")
            row_date = parse_date(cells[0].text()) if cells else None
            for index, cell in enumerate(cells):
                if normalise(cell.text()).strip().split(" ")[-1:] != ["libre"]:
                    continue
                count += 1
                column_date = column_dates[index] if index < len(column_dates) else None
                day = parse_date(cell.text()) or row_date or column_date
                if day and (earliest is None or day < earliest):
                    earliest = day
    return count, earliest


def read_rdv_prefecture_slots(tree: HTMLParser) -> tuple[int, datetime.date | None]:
    """The national platform lists each free slot as an input whose id starts with `trhId_`."""
    slots = tree.css("input[id^='trhId_']")
    days = []
    for slot in slots:
        label = tree.css_first(f"label[for='{slot.attributes.get('id')}']")
        text = " ".join(filter(None, [slot.attributes.get("value"), label and label.text()]))
        day = parse_date(text or "")
        if day:
            days.append(day)
    return len(slots), min(days, default=None)


def classify_page(
    html: str,
    family: str = LEGACY,
    status: int | None = None,
    slot_sentences: tuple[str, ...] = (),
    no_slot_sentences: tuple[str, ...] = (),
) -> Reading:
    """Read one page. `status` is the HTTP status when known; sentences serve the text family."""
    tree = HTMLParser(html)
    titles = headings(tree)
    captcha = has_captcha(tree) or any(_found(title, LEGACY_CAPTCHA_HEADINGS) for title in titles)
    text = page_text(tree)
    if status is not None and status >= 400:
        return Reading(ERROR, reason=f"HTTP {status}", extra={"status": status})
    if captcha:
        return Reading(CAPTCHA, reason="captcha field or security-check step")
    if sentence := _found(text, MAINTENANCE_SENTENCES):
        return Reading(MAINTENANCE, reason=sentence)
    if sentence := _found(text, OVERLOADED_SENTENCES):
        return Reading(OVERLOADED, reason=sentence)
    if sentence := _found(text, NO_SLOT_SENTENCES + tuple(map(normalise, no_slot_sentences))):
        return Reading(NO_SLOT, reason=sentence)
    if sentence := _found(text, ERROR_SENTENCES):
        return Reading(ERROR, reason=sentence)
    if family == RDV_PREFECTURE:
        count, earliest = read_rdv_prefecture_slots(tree)
        if count:
            return Reading(SLOTS, reason="free slot inputs", slot_count=count, earliest=earliest)
    if family == LEGACY:
        return read_legacy_step(tree, titles)
    if sentence := _found(text, tuple(map(normalise, slot_sentences))):
        return Reading(SLOTS, reason=sentence, earliest=parse_date(text))
    return Reading(UNKNOWN, reason="no known message")


def read_legacy_step(tree: HTMLParser, titles: list[str]) -> Reading:
    """Which step of the legacy module a page is, and whether it already shows availability."""
    if any(_found(title, LEGACY_SLOT_HEADINGS) for title in titles):
        count, earliest = read_legacy_grid(tree)
        return Reading(
            SLOTS,
            reason="slot steps are shown only when slots exist",
            slot_count=count or None,
            earliest=earliest,
            step="slots",
        )
    if tree.css_first("input[name=planning]"):
        return Reading(UNKNOWN, reason="procedure choice", step="planning")
    if tree.css_first("input[name=condition]"):
        return Reading(UNKNOWN, reason="conditions to accept", step="conditions")
    return Reading(UNKNOWN, reason="no known message")


def decode(raw: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def classify_file(path: Path, family: str = LEGACY) -> dict:
    """One JSON-ready line for `guichet observe classify`: the file, its label, what was found.

    Images cannot be read from text: they are said to be unknown, with that reason, not guessed.
    Plain-text logs of other watchers are read for the same sentences, counting the lines that
    carry the last message found.
    """
    raw = Path(path).read_bytes()
    result = {"file": str(path)}
    if raw.startswith(IMAGE_MAGIC):
        return result | {"label": UNKNOWN, "reason": "image: not classifiable from text"}
    text = decode(raw)
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return result | {"label": UNKNOWN, "reason": "csv: data series, not a page"}
    if suffix in {".html", ".htm", ".xhtml"} or "<html" in text[:2000].lower():
        return result | classify_page(text, family).as_dict()
    return result | classify_text_log(text)


def classify_text_log(text: str) -> dict:
    lines = [normalise(line) for line in text.splitlines()]
    reading = classify_page(f"<html><body><pre>{_escape(text)}</pre></body></html>", TEXT_MATCH)
    data = reading.as_dict()
    if reading.reason:
        data["lines"] = sum(reading.reason in line for line in lines)
    return data


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
