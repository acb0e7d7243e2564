"""The robot's visit to one booking page: walk the steps as a person would, up to availability.

It accepts the conditions, chooses the procedure and asks for availability, and never goes further:
no booking, no personal data, and it stops on any captcha. It says who it is, sends one request at
a time per host with a minimum interval between them, and backs off on failures. The clock and the
sleep are injected so tests can run a simulated week in seconds. No Django import.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
from selectolax.lexbor import LexborHTMLParser

from .classify import ERROR, LEGACY, SLOTS, UNKNOWN, Reading, classify_page


def user_agent(site_url: str) -> str:
    """An honest name (ASCII, as HTTP headers must be), with where to read what the robot does."""
    return (
        f"GuichetObservatoire/1.0 (+{site_url}/observatoire/; public observation of prefecture "
        "appointment availability; a few visits a day; never books)"
    )


RETRY_STATUSES = frozenset({429, 502, 503, 504})
LEGACY_BASE_RE = re.compile(r"^(?P<base>.*/booking/create/\d+)(?:/(?P<step>\d+))?/?$")
LAST_ALLOWED_STEP = 4  # « Choix d'une plage horaire »: availability; step 5 picks a slot.
MAX_PAGES = 6


class StepRefused(Exception):
    """The walk would have gone past the availability step."""


def refuse_past_availability(url: str) -> None:
    """Raise StepRefused for a legacy module's step beyond availability."""
    match = LEGACY_BASE_RE.match(url)
    if match and match["step"] and int(match["step"]) > LAST_ALLOWED_STEP:
        raise StepRefused(url)


@dataclass
class ProbeTarget:
    url: str
    family: str = LEGACY
    procedure: str = ""
    planning: str = ""
    slot_sentences: tuple[str, ...] = ()
    no_slot_sentences: tuple[str, ...] = ()


@dataclass
class ProbeResult:
    reading: Reading
    url: str = ""
    status: int | None = None
    body: bytes = b""
    pages: list[tuple[str, str, int]] = field(default_factory=list)  # method, url, status


class HostPolicy:
    """One request at a time per host, at least `min_interval` seconds apart, with back-off."""

    def __init__(
        self,
        min_interval: float = 30.0,
        retries: int = 2,
        backoff: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.min_interval, self.retries, self.backoff = min_interval, retries, backoff
        self.clock, self.sleep = clock, sleep
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()

    def _lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def send(self, client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
        host = urlsplit(url).netloc
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            with self._lock(host):
                wait = self._last.get(host, float("-inf")) + self.min_interval - self.clock()
                if wait > 0:
                    self.sleep(wait)
                self._last[host] = self.clock()
                try:
                    response = client.request(method, url, **kwargs)
                except httpx.TransportError:
                    if attempt == self.retries:
                        raise
                    continue
            if response.status_code not in RETRY_STATUSES or attempt == self.retries:
                return response
        raise AssertionError("unreachable")


class Probe:
    def __init__(self, client: httpx.Client, policy: HostPolicy):
        self.client, self.policy = client, policy

    def check(self, target: ProbeTarget) -> ProbeResult:
        pages: list[tuple[str, str, int]] = []
        self.client.cookies.clear()  # each check is a new visitor
        try:
            if target.family == LEGACY:
                return self.walk_legacy(target, pages)
            response = self.fetch("GET", target.url, pages)
            return self.result(response, self.read(response, target), pages)
        except httpx.HTTPError as error:
            reason = f"network: {type(error).__name__}"
            return ProbeResult(Reading(ERROR, reason=reason), url=target.url, pages=pages)

    def fetch(self, method, url, pages, data=None) -> httpx.Response:
        refuse_past_availability(url)
        response = self.policy.send(self.client, method, url, data=data)
        # Redirects are followed by hand so that each one is a paced, checked request too.
        while response.is_redirect and len(pages) < MAX_PAGES * 2:
            pages.append((method, str(response.url), response.status_code))
            method, data = "GET", None
            url = urljoin(str(response.url), response.headers["location"])
            refuse_past_availability(url)
            response = self.policy.send(self.client, "GET", url)
        pages.append((method, str(response.url), response.status_code))
        return response

    @staticmethod
    def read(response: httpx.Response, target: ProbeTarget) -> Reading:
        return classify_page(
            response.text,
            target.family,
            status=response.status_code,
            slot_sentences=target.slot_sentences,
            no_slot_sentences=target.no_slot_sentences,
        )

    @staticmethod
    def result(response, reading, pages) -> ProbeResult:
        return ProbeResult(
            reading, str(response.url), response.status_code, response.content, pages
        )

    def walk_legacy(self, target: ProbeTarget, pages) -> ProbeResult:
        """Conditions, procedure, then availability; stop at the first page that is an outcome."""
        match = LEGACY_BASE_RE.match(target.url)
        url = f"{match['base']}/0" if match else target.url
        response = self.fetch("GET", url, pages)
        for _ in range(MAX_PAGES):
            reading = self.read(response, target)
            form = next_step_form(response.text, reading, target)
            if reading.label == SLOTS and reading.slot_count is None and form:
                # The description step: one more page shows the availability grid.
                grid = self.submit(response, form, pages)
                grid_reading = self.read(grid, target)
                if grid_reading.label == SLOTS:
                    return self.result(grid, grid_reading, pages)
                return self.result(response, reading, pages)
            if reading.label != UNKNOWN or form is None:
                return self.result(response, reading, pages)
            try:
                response = self.submit(response, form, pages)
            except StepRefused:
                return self.result(response, reading, pages)
        return self.result(response, Reading(UNKNOWN, reason="too many steps"), pages)

    def submit(self, response, form: tuple[str, dict], pages) -> httpx.Response:
        action, data = form
        return self.fetch("POST", urljoin(str(response.url), action), pages, data=data)


def next_step_form(html: str, reading: Reading, target: ProbeTarget) -> tuple[str, dict] | None:
    """The form a person would submit next, with only the fields the module asks for.

    Accept the conditions; choose the procedure (by its id, else by its label, else the only one);
    leave the description step. Nothing else is ever sent.
    """
    tree = LexborHTMLParser(html)
    form = tree.css_first("form#FormBookingCreate") or tree.css_first("form")
    if form is None:
        return None
    action = form.attributes.get("action") or ""
    if reading.step == "conditions":
        return action, {"condition": "on", "nextButton": "Effectuer une demande de rendez-vous"}
    if reading.step == "planning":
        choice = choose_planning(tree, target)
        return (action, {"planning": choice, "nextButton": "Etape suivante"}) if choice else None
    if reading.label == SLOTS and reading.step == "slots" and reading.slot_count is None:
        return action, {"nextButton": "Etape suivante"}
    return None


def choose_planning(tree: LexborHTMLParser, target: ProbeTarget) -> str | None:
    radios = tree.css("input[name=planning]")
    values = [radio.attributes.get("value") or "" for radio in radios]
    if target.planning in values:
        return target.planning
    wanted = target.procedure.strip().lower()
    for radio, value in zip(radios, values, strict=True):
        label = tree.css_first(f"label[for='{radio.attributes.get('id')}']")
        if wanted and label and wanted in label.text().lower():
            return value
    return values[0] if len(values) == 1 else None
