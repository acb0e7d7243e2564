"""Self-hosted ALTCHA proof-of-work: some computing per submission, each solution used once, by
the client it was given to, within minutes.

The browser must find n with sha256(salt + n) == challenge; the HMAC signature proves we issued the
challenge. The salt carries, signed with it: the expiry (GUICHET_ALTCHA_EXPIRES_MINUTES), the
préfecture it was priced for (`difficulty`), and `client`, an HMAC of the client's connection and
of a random cookie the challenge sets: a solution is accepted only from the same connection and
browser, so challenges cannot be solved in bulk elsewhere, ahead of time, and handed to a sender.
A replay mark (`counters.add_once`, kept until the expiry) refuses a second use.
"""

import base64
import binascii
import datetime
import hashlib
import hmac
import json
import math
import re
import secrets
from typing import Any

import altcha
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import counters, difficulty
from .addresses import client_ip, connection_key

# A random value per browser, set by the challenge views; only its HMAC leaves in the salt.
CLIENT_COOKIE = "guichet_pow"
CLIENT_COOKIE_FORMAT = re.compile(r"[A-Za-z0-9_-]{22,64}")


class ChallengeRefused(Exception):
    """The anti-robot check failed; `str(error)` is the French message for the person."""


def client_binding(request, cookie: str) -> str:
    """What ties a challenge to its client: its connection (an IPv6 /64, which a phone keeps
    while its address rotates) and its browser's cookie."""
    message = f"pow-client\n{connection_key(client_ip(request))}\n{cookie}".encode()
    key = settings.GUICHET_ALTCHA_HMAC_KEY.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def client_cookie(request) -> str:
    """The browser's cookie if it sent a well-formed one, else a new random value."""
    cookie = request.COOKIES.get(CLIENT_COOKIE, "")
    return cookie if CLIENT_COOKIE_FORMAT.fullmatch(cookie) else secrets.token_urlsafe(24)


def new_challenge(request, prefecture=None) -> tuple[dict, str]:
    """A fresh challenge for this client, as the JSON the ALTCHA widgets (ours included)
    expect, and the cookie value to set (`set_client_cookie`). Its difficulty follows the
    recent intake of the client's connection and of `prefecture` (a department code; without
    one, of all préfectures)."""
    cookie = client_cookie(request)
    code = difficulty.prefecture_code(prefecture)
    level = difficulty.level(client_ip(request), code)
    params = {"client": client_binding(request, cookie)}
    if code:
        params["prefecture"] = code
    expires = timezone.now() + datetime.timedelta(minutes=settings.GUICHET_ALTCHA_EXPIRES_MINUTES)
    challenge = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(
            hmac_key=settings.GUICHET_ALTCHA_HMAC_KEY,
            max_number=difficulty.max_number(level),
            expires=expires,
            params=params,
        )
    )
    return challenge.to_dict(), cookie


def set_client_cookie(response, request, cookie: str) -> None:
    """Only the browser's own requests send it back: not readable by scripts, not cross-site."""
    if request.COOKIES.get(CLIENT_COOKIE) != cookie:
        response.set_cookie(
            CLIENT_COOKIE, cookie, secure=request.is_secure(), httponly=True, samesite="Lax"
        )


def decode_payload(encoded: str) -> Any:
    try:
        payload = json.loads(base64.b64decode(encoded or "", validate=True))
    except (binascii.Error, ValueError) as error:
        raise ChallengeRefused(missing_message()) from error
    if not isinstance(payload, dict):
        raise ChallengeRefused(missing_message())
    return payload


def missing_message() -> str:
    return _(
        "La vérification anti-robots n'a pas été faite. Attendez le message « Vérifié » "
        "avant d'envoyer, ou rechargez la page."
    )


def expires_at(payload: Any) -> datetime.datetime:
    """When the challenge stops being accepted, as written (and signed) in its salt."""
    params = altcha.extract_params_v1(payload)
    try:
        timestamp = int(params["expires"][0])
    except (KeyError, IndexError, ValueError) as error:
        raise ChallengeRefused(missing_message()) from error
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)


def failed_message() -> str:
    return _(
        "La vérification anti-robots n'a pas abouti ou a expiré. Rechargez la page "
        "et envoyez à nouveau : rien n'a été enregistré."
    )


def param(params: dict, name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None


def accept_solution(encoded: str, request, prefecture: str | None = None) -> None:
    """Let a solved challenge through once, from the client it was given to, for the préfecture
    it was priced for; raise ChallengeRefused if wrong, expired, elsewhere or reused."""
    payload = decode_payload(encoded)
    valid, _error = altcha.verify_solution_v1(payload, settings.GUICHET_ALTCHA_HMAC_KEY)
    if not valid:
        raise ChallengeRefused(failed_message())
    params = altcha.extract_params_v1(payload)
    expected = client_binding(request, request.COOKIES.get(CLIENT_COOKIE, ""))
    if not hmac.compare_digest((param(params, "client") or "").encode(), expected.encode()):
        raise ChallengeRefused(
            _(
                "La vérification anti-robots a été faite sur une autre connexion ou un autre "
                "navigateur. Rechargez la page et envoyez à nouveau : rien n'a été enregistré."
            )
        )
    priced_for = param(params, "prefecture")
    if priced_for is not None and priced_for != difficulty.prefecture_code(prefecture):
        raise ChallengeRefused(failed_message())
    record_use(str(payload["signature"]), expires_at(payload))


def record_use(signature: str, until: datetime.datetime) -> None:
    """Setting the mark is the atomic check: of two submissions of one solution, one fails."""
    now = timezone.now()
    ttl = max(1, math.ceil((until - now).total_seconds()))
    if not counters.add_once(f"altcha:{signature}", ttl, now=now):
        raise ChallengeRefused(
            _(
                "Ce formulaire a déjà été envoyé. Pour envoyer une nouvelle demande, "
                "rechargez la page."
            )
        )
