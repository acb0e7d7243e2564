"""What a préfecture booking page says: slots, no slot, overloaded, captcha, maintenance, error.

Pure functions of the page text (selectolax), with no Django import, so that anyone can re-read a
stored piece of evidence and get the same reading. Messages come from the real pages and from public
watchers' code (see shared/fixtures/real-world/SOURCES.md). A page is read by its sentences and by
its structure: whatever the wording, a page that lets a person pick a time or a day offers slots
(`read_choices`), and an empty calendar offers none. Screenshots are read from the text OCR found
in them (`ocr.py`); only `classify_file` touches files and tesseract. The labelled corpus that
these rules must read without a mistake is in `corpus/` (see its README).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from .ocr import OcrError, image_text

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
# Any attribute naming a captcha: « captcha » covers the State's CaptchEtat and most widgets.
CAPTCHA_FIELDS = ("captcha", "g-recaptcha", "h-captcha", "frc-captcha")
MAINTENANCE_SENTENCES = (
    "en maintenance",
    "operation de maintenance",
    "site est momentanement indisponible",
    "service est momentanement indisponible",
)
OVERLOADED_SENTENCES = ("service surcharge", "actuellement surcharge", "forte affluence")
NO_SLOT_SENTENCES = (
    "il n'existe plus de plage horaire libre",
    "aucun creneau disponible",
    "aucun rendez-vous n'est possible",
    "aucun creneau correspondant a votre recherche",
    "aucune disponibilite",
    "aucune date disponible",
    "aucun rendez-vous disponible",
    "aucune plage horaire disponible",
    "pas de creneau disponible",
    "plus de creneau disponible",
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
# « 23 janv. 2020 », as the eAppointment module's summary prints the chosen day (accents removed).
FRENCH_MONTHS = "janv fevr mars avr mai juin juil aout sept oct nov dec".split()
FRENCH_DATE_RE = re.compile(
    rf"\b(\d{{1,2}})(?:er)? ({'|'.join(FRENCH_MONTHS)})[a-z]*\.? (\d{{4}})\b"
)
MONTH_YEAR_RE = re.compile(rf"\b({'|'.join(FRENCH_MONTHS)})[a-z]*\.? (\d{{4}})\b")
WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()

# The Val-de-Marne « eAppointment » module (screenshots of 2020), in normalised text.
EAPPOINTMENT_DATE_STEP = "veuillez selectionner la date puis l'heure souhaitee"
EAPPOINTMENT_TIME_CHOICE = "choix d'une heure"
EAPPOINTMENT_DETAILS_STEP = (
    "informations personnelles",
    "veuillez completer les informations suivantes afin de vous identifier",
)
# Each free time is a radio button labelled « A 09:45 »; OCR reads the button as « O » or « © ».
TIME_RE = re.compile(r"a ?([01]?\d|2[0-3])[:h.]([0-5]\d)\b")
# The calendar's week header, then its day numbers. Only bookable days are printed dark enough to
# be read (see ocr.FAINT); the calendar ends with its « Fermer » button.
WEEK_HEADER_RE = re.compile(r"\bl m m j v s d\b")
DAY_NUMBER_RE = re.compile(r"\b(?:[1-9]|[12]\d|3[01])\b")
# A text that is only one short code of letters and digits: a captcha image cut out of its page.
CAPTCHA_CODE_RE = re.compile(r"[a-z0-9]{3,8}")
NOT_PAGES = {".csv": "csv: data series, not a page", ".md": "markdown: notes, not a page"}
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")


@dataclass
class Reading:
    """The outcome of one page: a label, the rule that decided it, and what else the page showed.

    `dates` are the distinct days the page offered (sorted); `earliest` is the first of them, or
    the only day a page names when it lists none (a chosen day, a summary).
    """

    label: str
    reason: str = ""
    slot_count: int | None = None
    earliest: datetime.date | None = None
    step: str = ""
    extra: dict = field(default_factory=dict)
    rule: str = ""
    dates: tuple[datetime.date, ...] = ()

    def __post_init__(self):
        self.dates = tuple(sorted(set(self.dates)))
        if self.dates and (self.earliest is None or self.dates[0] < self.earliest):
            self.earliest = self.dates[0]

    def as_dict(self) -> dict:
        data = {
            key: value for key, value in asdict(self).items() if value not in (None, "", {}, ())
        }
        if self.earliest:
            data["earliest"] = self.earliest.isoformat()
        if self.dates:
            data["dates"] = [day.isoformat() for day in self.dates]
        return data

    @property
    def is_offer(self) -> bool:
        return self.label in OFFER_LABELS


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return re.sub(r"\s+", " ", text)


def parse_date(text: str) -> datetime.date | None:
    """The first date written 23/01/2020 or 2020-01-23, else written « 23 janv. 2020 »."""
    try:
        if match := DATE_RE.search(text):
            if match.group(1):
                return datetime.date(int(match[3]), int(match[2]), int(match[1]))
            return datetime.date(int(match[4]), int(match[5]), int(match[6]))
        if match := FRENCH_DATE_RE.search(normalise(text)):
            month = FRENCH_MONTHS.index(match[2]) + 1
            return datetime.date(int(match[3]), month, int(match[1]))
    except ValueError:
        return None
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
    """The text a person sees: scripts, styles, templates and hidden elements are removed."""
    body = tree.body or tree.root
    for node in body.css(HIDDEN) if body else []:
        node.decompose()
    return normalise(body.text(separator=" ") if body else "")


def read_legacy_grid(tree: HTMLParser) -> tuple[int, list[datetime.date]]:
    """Count the « libre » cells of the weekly grid and list the days that have one.

    A free cell takes its date from its own text, else from its row's first cell, else from its
    column header, as the grid is laid out either way.
    """
    count, days = 0, []
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
                if day:
                    days.append(day)
    return count, days


def read_rdv_prefecture_slots(tree: HTMLParser) -> tuple[int, list[datetime.date]]:
    """The national platform lists each free slot as an input whose id starts with `trhId_`."""
    slots = tree.css("input[id^='trhId_']")
    days = []
    for slot in slots:
        label = tree.css_first(f"label[for='{slot.attributes.get('id')}']")
        text = " ".join(
            filter(None, [slot.attributes.get("value"), label.text() if label else None])
        )
        day = parse_date(text or "") or date_near(slot)
        if day:
            days.append(day)
    return len(slots), days


def classify_page(
    html: str,
    family: str = LEGACY,
    status: int | None = None,
    slot_sentences: tuple[str, ...] = (),
    no_slot_sentences: tuple[str, ...] = (),
) -> Reading:
    """Read one page. `status` is the HTTP status when known; sentences serve the text family.

    The order is the order of trust: an HTTP error, a captcha, a message the system prints, the
    family's own markup, then what the page lets a person choose, then configured sentences.
    """
    tree = HTMLParser(html)
    titles = headings(tree)
    captcha = has_captcha(tree) or any(_found(title, LEGACY_CAPTCHA_HEADINGS) for title in titles)
    text = page_text(tree)
    if status is not None and status >= 400:
        return Reading(ERROR, reason=f"HTTP {status}", extra={"status": status}, rule="http")
    if captcha:
        return Reading(CAPTCHA, reason="captcha field or security-check step", rule="captcha")
    if reading := read_messages(text, no_slot_sentences):
        return reading
    if family == RDV_PREFECTURE:
        count, days = read_rdv_prefecture_slots(tree)
        if count:
            reason = "free slot inputs"
            return Reading(
                SLOTS, reason, slot_count=count, dates=tuple(days), rule="national:trhId"
            )
    if family == LEGACY and any(_found(title, LEGACY_SLOT_HEADINGS) for title in titles):
        return read_legacy_slots(tree)
    if reading := read_choices(tree):
        return reading
    if family == LEGACY:
        return read_legacy_step(tree)
    if sentence := _found(text, tuple(map(normalise, slot_sentences))):
        return Reading(SLOTS, reason=sentence, earliest=parse_date(text), rule="sentence:slots")
    return Reading(UNKNOWN, reason="no known message", rule="none")


def read_messages(text: str, no_slot_sentences: tuple[str, ...] = ()) -> Reading | None:
    """The messages every booking system prints: maintenance, overloaded, no slot, server error."""
    if sentence := _found(text, MAINTENANCE_SENTENCES):
        return Reading(MAINTENANCE, reason=sentence, rule="message:maintenance")
    if sentence := _found(text, OVERLOADED_SENTENCES):
        return Reading(OVERLOADED, reason=sentence, rule="message:overloaded")
    if sentence := _found(text, NO_SLOT_SENTENCES + tuple(map(normalise, no_slot_sentences))):
        return Reading(NO_SLOT, reason=sentence, rule="message:no_slot")
    if sentence := _found(text, ERROR_SENTENCES):
        return Reading(ERROR, reason=sentence, rule="message:error")
    return None


def read_legacy_slots(tree: HTMLParser) -> Reading:
    """The legacy module's description and grid steps are shown only when slots exist."""
    count, days = read_legacy_grid(tree)
    return Reading(
        SLOTS,
        reason="slot steps are shown only when slots exist",
        slot_count=count or None,
        dates=tuple(days),
        step="slots",
        rule="legacy:slot step",
    )


def read_legacy_step(tree: HTMLParser) -> Reading:
    """Which intermediate step of the legacy module a page is: not an outcome yet."""
    if tree.css_first("input[name=planning]"):
        return Reading(UNKNOWN, reason="procedure choice", step="planning", rule="legacy:step")
    if tree.css_first("input[name=condition]"):
        return Reading(
            UNKNOWN, reason="conditions to accept", step="conditions", rule="legacy:step"
        )
    return Reading(UNKNOWN, reason="no known message", rule="none")


# --- Reading by structure: what the page lets a person choose ---------------------------------

# Elements a person does not see: their text and their controls say nothing about the page.
HIDDEN = (
    "script, style, template, noscript, [hidden], .fr-hidden, "
    "[style*='display:none'], [style*='display: none']"
)
# A time as booking pages write it: « 09h15 », « 9:15 », « 14 h 30 », « 14h », « 10 heures ».
TIME = r"(?:[01]?\d|2[0-3]) ?(?:h(?:eures?)? ?(?:[0-5]\d)?|[:.][0-5]\d)"
# A choice is a time when its label is one (« à 14 h 30 »), or a range (« 09:00 - 09:15 »), after
# the day it belongs to if any (« lundi 12 janvier 2027 à 9h15 »), before a note in brackets at
# most (« 9h15 (2 places) »). « Guichet 2 - de 9h à 12h » and « 14h30 : conférence » are not.
TIME_LABEL_RE = re.compile(
    rf"^(?:(?P<day>.*?\d{{4}})(?:,| -)? )?(?:a |de |le )?{TIME}(?: ?(?:-|a) ?{TIME})?(?: ?\(.*\))?$"
)
# A calendar's day: its number alone, or with words (« 12 disponible »), never « 9:00 - 12:00 ».
DAY_NUMBER_CELL_RE = re.compile(r"^([1-9]|[12]\d|3[01])(?: [^\d:]*)?$")
CHOICES = (
    "input[type=radio], option, button, a, input[type=button], input[type=submit], [role=option], "
    "[role=radio]"
)
UNAVAILABLE = ("disabled", "unavailable", "indisponible", "unselectable", "complet", "taken")
WEEK_LETTERS = "lmmjvsd"


def read_choices(tree: HTMLParser) -> Reading | None:
    """Slots when the page lets a person choose a time or a day; none when every one is shut.

    Radio buttons, options, buttons and links whose label is a time or a day, and calendars whose
    days can be clicked. A calendar whose days are all shut is an empty calendar: no slot.
    """
    times, shut_choices, days = [], 0, []
    for node in tree.css(CHOICES):
        label = choice_label(tree, node)
        match = TIME_LABEL_RE.match(label)
        day = None if match else date_only(label)
        if not match and not day:
            continue
        if not is_open(node):
            shut_choices += 1
            continue
        if match:
            times.append(node)
            day = parse_date(match["day"] or "") or parse_date(node.attributes.get("value") or "")
            day = day or date_near(node)
        if day:
            days.append(day)
    calendar_days, shut_days = read_calendars(tree)
    days += [day for day in calendar_days if day]
    if times:
        reason = f"{len(times)} times to choose"
        return Reading(
            SLOTS, reason, slot_count=len(times), dates=tuple(days), rule="structure:times"
        )
    if days or calendar_days:
        count = len(set(days)) or len(calendar_days)
        reason = f"{count} days to choose"
        return Reading(
            SLOTS, reason, dates=tuple(days), rule="structure:days", extra={"days": count}
        )
    if shut_days or shut_choices:
        reason = "every day or time shown is shut"
        return Reading(NO_SLOT, reason, rule="structure:empty calendar")
    return None


def choice_label(tree: HTMLParser, node) -> str:
    """What a person reads for a choice: its label, text, or accessible name, normalised."""
    attributes = node.attributes
    if node.tag == "input" and attributes.get("type") == "radio":
        label = (
            tree.css_first(f"label[for='{attributes.get('id')}']") if attributes.get("id") else None
        )
        label = label or next((a for a in ancestors(node) if a.tag == "label"), None)
        text = label.text(separator=" ") if label else attributes.get("value") or ""
    elif node.tag == "input":
        text = attributes.get("value") or ""
    elif node.tag == "option" and not (attributes.get("value") or "").strip():
        return ""  # « Choisissez un horaire »: a placeholder, not a choice
    else:
        text = node.text(separator=" ")
    text = attributes.get("aria-label") or text or attributes.get("title") or ""
    return normalise(text).strip(" .:-")


def date_only(label: str) -> datetime.date | None:
    """The day a label names when it names nothing else (« Lundi 12 janvier 2027 », 12/01/2027)."""
    words = label.replace(",", " ").split()
    if words and words[0] in WEEKDAYS:
        words = words[1:]
    rest = " ".join(words)
    day = parse_date(rest)
    match = DATE_RE.fullmatch(rest) or FRENCH_DATE_RE.fullmatch(rest)
    return day if match else None


def ancestors(node):
    node = node.parent
    while node is not None and node.tag not in ("body", "html", "-document"):
        yield node
        node = node.parent


def is_open(node) -> bool:
    """Not disabled, by attribute or by class, itself or in a disabled group."""
    for item in (node, *ancestors(node)):
        attributes = item.attributes
        if "disabled" in attributes and item.tag in (
            "input",
            "button",
            "option",
            "fieldset",
            "select",
            "optgroup",
        ):
            return False
        if attributes.get("aria-disabled") == "true":
            return False
        if item is node or item.tag in ("td", "li"):
            classes = (attributes.get("class") or "").lower()
            if any(word in classes for word in UNAVAILABLE):
                return False
    return True


def date_near(node) -> datetime.date | None:
    """The day a choice belongs to: its own date attributes, else its group's legend or heading."""
    for item in (node, *ancestors(node)):
        attributes = item.attributes
        for key in ("data-date", "datetime", "aria-label", "label", "title", "href", "value"):
            if day := parse_date(attributes.get(key) or ""):
                return day
        if item.tag == "fieldset" and (legend := item.css_first("legend")):
            if day := parse_date(legend.text()):
                return day
        for sibling in previous_elements(item, 3):
            if sibling.tag in ("h2", "h3", "h4", "h5", "h6", "p", "legend", "time", "strong"):
                if day := parse_date(sibling.text()):
                    return day
    return None


def previous_elements(node, limit: int):
    """Up to `limit` elements just before `node`, nearest first (text between them skipped)."""
    sibling, found = node.prev, 0
    while sibling is not None and found < limit:
        if not sibling.tag.startswith("-"):
            found += 1
            yield sibling
        sibling = sibling.prev


def read_calendars(tree: HTMLParser) -> tuple[list[datetime.date | None], int]:
    """The open days of every calendar on the page (their date when it can be read), and how
    many days the calendars show shut. A calendar is a table or grid headed by the week's days."""
    open_days, shut = [], 0
    for table in tree.css("table, [role=grid]"):
        header = [
            normalise(cell.text()).strip(" .") for cell in table.css("th, [role=columnheader]")
        ]
        letters = "".join(word[:1] for word in header if word)
        if WEEK_LETTERS[:5] not in letters:
            continue
        month = month_of(table)
        for cell in table.css("td, [role=gridcell]"):
            text = normalise(cell.text()).strip()
            number = DAY_NUMBER_CELL_RE.match(text)
            if not number:
                continue
            clickable = [
                item
                for item in (cell, *cell.css("a, button"))
                if item.tag in ("a", "button")
                or item.attributes.get("role") == "button"
                or "data-date" in item.attributes
            ]
            if clickable and all(is_open(item) for item in clickable):
                open_days.append(date_near(clickable[-1]) or day_in(month, int(number[1])))
            else:
                shut += 1
    return open_days, shut


def month_of(table) -> tuple[int, int] | None:
    """The month a calendar shows, from its caption or the text just before it."""
    places = [table.css_first("caption"), *previous_elements(table, 2), table.parent]
    for place in places:
        if place is not None and (match := MONTH_YEAR_RE.search(normalise(place.text()))):
            return int(match[2]), FRENCH_MONTHS.index(match[1]) + 1
    return None


def day_in(month: tuple[int, int] | None, number: int) -> datetime.date | None:
    try:
        return datetime.date(month[0], month[1], number) if month else None
    except ValueError:
        return None


def classify_screenshot_text(ocr_text: str) -> Reading:
    """Read a screenshot from the text OCR found in it.

    The common messages and the legacy module's steps come first; then the eAppointment module's
    steps, each of which shows availability only once a bookable day exists; a lone short code is a
    captcha image cut out of its page, which says nothing about availability by itself.
    """
    text = normalise(ocr_text).strip()
    if not text:
        return Reading(UNKNOWN, reason="no text read in the image", rule="ocr:empty")
    if reading := read_messages(text):
        return reading
    if sentence := _found(text, LEGACY_CAPTCHA_HEADINGS):
        return Reading(CAPTCHA, reason=sentence, rule="legacy:captcha step")
    if sentence := _found(text, LEGACY_SLOT_HEADINGS):
        reason = f"{sentence}: shown only when slots exist"
        return Reading(SLOTS, reason=reason, step="slots", rule="legacy:slot step")
    if reading := read_eappointment_step(text):
        return reading
    if CAPTCHA_CODE_RE.fullmatch(text):
        return Reading(
            CAPTCHA, reason="only a short code: a captcha image", rule="ocr:captcha code"
        )
    return Reading(UNKNOWN, reason="no known message", rule="none")


EAPP = "eappointment:step"


def read_eappointment_step(text: str) -> Reading | None:
    """Which step of the eAppointment module a screenshot shows, and the availability it proves.

    The personal-details step is reached only after choosing a time; the time choice lists the free
    times of the chosen day; the date field is filled by clicking a bookable day of the calendar;
    the open calendar prints bookable days dark and the others faint.
    """
    if _found(text, EAPPOINTMENT_DETAILS_STEP):
        return Reading(
            SLOTS,
            reason="personal-details step: reached only after choosing a time",
            earliest=parse_date(text),
            step="details",
            rule=EAPP,
        )
    if EAPPOINTMENT_DATE_STEP not in text:
        return None
    day = parse_date(text)
    if EAPPOINTMENT_TIME_CHOICE in text:
        choices = text.split(EAPPOINTMENT_TIME_CHOICE, 1)[1]
        times = {(int(hour), int(minute)) for hour, minute in TIME_RE.findall(choices)}
        if times:
            reason = "free times of the chosen day"
            return Reading(
                SLOTS, reason, slot_count=len(times), earliest=day, step="times", rule=EAPP
            )
    headers = list(WEEK_HEADER_RE.finditer(text))
    if headers:
        calendar = text[headers[-1].end() :].split("fermer", 1)[0]
        days = len(DAY_NUMBER_RE.findall(calendar))
        if days:
            reason = "bookable days in the calendar"
            return Reading(SLOTS, reason, step="calendar", extra={"bookable_days": days}, rule=EAPP)
        return Reading(
            UNKNOWN, "calendar without a readable bookable day", step="calendar", rule=EAPP
        )
    if day:
        reason = "a day chosen in the calendar, which offers only bookable days"
        return Reading(SLOTS, reason, earliest=day, step="date", rule=EAPP)
    return Reading(UNKNOWN, "date step, nothing chosen or shown", step="date", rule=EAPP)


def decode(raw: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def classify_file(path: Path, family: str = LEGACY, read_image=image_text) -> dict:
    """One JSON-ready line for `guichet observe classify`: the file, its label, what was found.

    Images are read through OCR (`read_image`, tesseract by default); without tesseract they are
    said to be unknown, with that reason, not guessed. Plain-text logs of other watchers are read
    for the same sentences, counting the lines that carry the last message found.
    """
    raw = Path(path).read_bytes()
    result = {"file": str(path)}
    if raw.startswith(IMAGE_MAGIC):
        return result | classify_image(raw, read_image)
    text = decode(raw)
    suffix = Path(path).suffix.lower()
    if suffix in NOT_PAGES:
        return result | {"label": UNKNOWN, "reason": NOT_PAGES[suffix]}
    if suffix in {".html", ".htm", ".xhtml"} or "<html" in text[:2000].lower():
        return result | classify_page(text, family).as_dict()
    return result | classify_text_log(text)


def classify_image(raw: bytes, read_image=image_text) -> dict:
    try:
        text = read_image(raw)
    except OcrError as error:
        return {"label": UNKNOWN, "reason": f"image: OCR failed ({error})"}
    if text is None:
        reason = "image: tesseract with French data (tesseract-ocr-fra) is not installed"
        return {"label": UNKNOWN, "reason": reason}
    return {"source": "ocr"} | classify_screenshot_text(text).as_dict()


def classify_text_log(text: str) -> dict:
    lines = [normalise(line) for line in text.splitlines()]
    reading = classify_page(f"<html><body><pre>{_escape(text)}</pre></body></html>", TEXT_MATCH)
    data = reading.as_dict()
    if reading.reason:
        data["lines"] = sum(reading.reason in line for line in lines)
    return data


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
