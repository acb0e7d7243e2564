"""A local stand-in for the préfectures' legacy `/booking/create/<form id>/<step>` module.

It reproduces the steps, headings and messages that public watchers recorded (see SOURCES.md) and
serves whatever availability it is told to, so that the robot can be tested and demonstrated without
ever touching a real préfecture. Standard library only; it listens on 127.0.0.1.
"""

from __future__ import annotations

import datetime
import html
import itertools
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

KINDS = ("slots", "no_slot", "overloaded", "captcha", "maintenance", "error", "forbidden")
NO_SLOT_MESSAGE = (
    "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. "
    "Veuillez recommencer ultérieurement."
)
PLANNINGS = {"7": "Guichet 1 - Titre de séjour", "8": "Guichet 2 - Naturalisation"}
PATH_RE = re.compile(r"^/booking/create/(?P<form>\d+)(?:/(?P<step>\d+))?/?$")


@dataclass(frozen=True)
class Availability:
    """What the module tells a session: a kind from KINDS; for slots, how many and from when."""

    kind: str = "no_slot"
    free: int = 0
    first_day: datetime.date | None = None


@dataclass
class Hit:
    at: float
    method: str
    path: str
    form: dict
    state: Availability


@dataclass
class FakePrefecture:
    """The WSGI app. `availability(now)` is asked once per new session (at its first request)."""

    availability: Callable[[float], Availability] = lambda now: Availability()
    clock: Callable[[], float] = time.monotonic
    hits: list[Hit] = field(default_factory=list)
    sessions: dict[str, Availability] = field(default_factory=dict)

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "/")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        cookie = re.search(r"eZSESSID=(\w+)", environ.get("HTTP_COOKIE", ""))
        session = cookie[1] if cookie and cookie[1] in self.sessions else secrets.token_hex(8)
        state = self.sessions.setdefault(session, self.availability(self.clock()))
        self.hits.append(Hit(self.clock(), method, path, form, state))
        status, headers, body = self.respond(method, path, form, state)
        headers.append(("Set-Cookie", f"eZSESSID={session}; Path=/; HttpOnly"))
        start_response(status, headers)
        return [body.encode()]

    def respond(self, method, path, form, state: Availability):
        match = PATH_RE.match(path)
        if not match:
            return "404 Not Found", [("Content-Type", "text/plain")], "Not found"
        if state.kind == "error":
            return "502 Bad Gateway", [("Content-Type", "text/html")], "<h1>502 Bad Gateway</h1>"
        if state.kind == "forbidden":
            body = "<html><body>Request forbidden by administrative rules.</body></html>"
            return "403 Forbidden", [("Content-Type", "text/html")], body
        if state.kind == "maintenance":
            return ok(page("Maintenance", "<p>Le site est en maintenance. Revenez plus tard.</p>"))
        base = f"/booking/create/{match['form']}"
        step = int(match["step"] or 0)
        if method == "POST":
            return self.advance(base, step, form, state)
        return ok(self.show(base, step, state))

    def advance(self, base, step, form, state):
        """Where a form's submit button leads, as in the real module."""
        if step == 0 and form.get("condition") == "on":
            return redirect(f"{base}/1")
        if step == 1 and form.get("planning") in PLANNINGS:
            return redirect(f"{base}/2")
        if step in (2, 3) and state.kind == "slots":
            return redirect(f"{base}/{step + 1}")
        return redirect(f"{base}/{step}")

    def show(self, base, step, state: Availability) -> str:
        if step == 0:
            captcha = (
                '<input type="text" name="eZHumanCAPTCHACode">' if state.kind == "captcha" else ""
            )
            return page(
                "Prise de rendez-vous",
                f'<form id="FormBookingCreate" method="post" action="{base}/0">'
                '<input type="checkbox" name="condition" id="condition">'
                '<label for="condition">Veuillez cocher la case pour accepter les conditions'
                f"</label>{captcha}"
                '<input type="submit" name="nextButton" '
                'value="Effectuer une demande de rendez-vous">'
                "</form>",
            )
        if step == 1 and state.kind == "overloaded":
            return (
                "<html><body><h1>Service surchargé</h1>Le service que vous avez demandé est "
                "actuellement surchargé et/ou il n'y plus de créneaux de rendez-vous disponibles "
                "pour le moment.<br>Veuillez réitérer votre demande ultérieurement.</body></html>"
            )
        if step == 1:
            radios = "".join(
                f'<p><input type="radio" name="planning" id="planning{key}" value="{key}">'
                f'<label for="planning{key}">{html.escape(label)}</label></p>'
                for key, label in PLANNINGS.items()
            )
            return page(
                "Choix de la nature du rendez-vous",
                f'<form id="FormBookingCreate" method="post" action="{base}/1">{radios}'
                '<input type="submit" name="nextButton" value="Etape suivante"></form>',
            )
        if step == 2 and state.kind != "slots":
            return page(
                "Vérification de disponibilité",
                f'<form id="FormBookingCreate" method="post" action="{base}/2">{NO_SLOT_MESSAGE}'
                '<input type="submit" name="finishButton" value="Terminer"></form>',
            )
        if step in (2, 3):
            return page(
                "Description de la nature du rendez-vous",
                f'<form id="FormBookingCreate" method="post" action="{base}/3">'
                "<p>Vous devez vous munir des pièces listées ci-dessous.</p>"
                '<input type="submit" name="nextButton" value="Etape suivante"></form>',
            )
        if step == 4:
            return page("Choix d'une plage horaire", grid(state))
        if step == 6:
            return page("Contrôle de sécurité", '<input type="text" name="eZHumanCAPTCHACode">')
        return page("Choix d'une plage horaire", f'<a href="{base}/6">09:00</a>')


def grid(state: Availability) -> str:
    """A week of rows, one per day, four times a day: the first `free` cells are « libre »."""
    first = state.first_day or datetime.date(2030, 1, 7)
    times = ("09:00", "09:20", "09:40", "10:00")
    free = itertools.chain(itertools.repeat("libre", state.free), itertools.repeat("complet"))
    rows = "".join(
        f"<tr><th>{first + datetime.timedelta(days=day):%d/%m/%Y}</th>"
        + "".join(f"<td>{next(free)}</td>" for _ in times)
        + "</tr>"
        for day in range(5)
    )
    header = "<tr><th>Jour</th>" + "".join(f"<th>{t}</th>" for t in times) + "</tr>"
    return (
        '<form id="FormBookingCreate" method="post">'
        '<input type="submit" name="nextButton" value="Première plage horaire libre">'
        f'<table class="planning">{header}{rows}</table></form>'
    )


def page(heading: str, content: str) -> str:
    steps = "".join(
        f'<li><img src="/etape_{n}.png" alt="{alt}"></li>'
        for n, alt in (
            (1, "Prise de rendez-vous"),
            (4, "Choix d'une plage"),
            (6, "Contrôle de sécurité"),
        )
    )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Préfecture (simulée)'
        f'</title></head><body><ul id="Progress_Booking">{steps}</ul>'
        f'<div id="inner_Booking"><h2>{html.escape(heading)}</h2>{content}</div></body></html>'
    )


def ok(body: str):
    return "200 OK", [("Content-Type", "text/html; charset=utf-8")], body


def redirect(location: str):
    return "302 Found", [("Location", location), ("Content-Type", "text/plain")], ""


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def make_fake_server(app: FakePrefecture, port: int = 0) -> WSGIServer:
    return make_server("127.0.0.1", port, app, handler_class=QuietHandler)


@contextmanager
def running(app: FakePrefecture) -> Iterator[str]:
    """Serve `app` on a free local port in a thread; yield its base URL."""
    server = make_fake_server(app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def cycling(now: float, period: float = 3600.0) -> Availability:
    """The demo's availability: each kind in turn, one per `period` seconds."""
    kind = KINDS[int(now // period) % len(KINDS)]
    free = 3 if kind == "slots" else 0
    return Availability(kind, free, datetime.date.today() + datetime.timedelta(days=30))
