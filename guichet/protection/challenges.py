"""Self-hosted ALTCHA proof-of-work: a little computing per submission, each solution used once.

The browser must find n with sha256(salt + n) == challenge; the HMAC signature proves we issued the
challenge, the expiry in the salt bounds its life, and a replay mark (`counters.add_once`, kept
until that expiry) refuses a second use.
"""

import base64
import binascii
import datetime
import json
import math

import altcha
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import counters


class ChallengeRefused(Exception):
    """The anti-robot check failed; `str(error)` is the French message for the person."""


def new_challenge() -> dict:
    """A fresh challenge, as the JSON the ALTCHA widgets (ours included) expect."""
    expires = timezone.now() + datetime.timedelta(minutes=settings.GUICHET_ALTCHA_EXPIRES_MINUTES)
    challenge = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(
            hmac_key=settings.GUICHET_ALTCHA_HMAC_KEY,
            max_number=settings.GUICHET_ALTCHA_MAX_NUMBER,
            expires=expires,
        )
    )
    return challenge.to_dict()


def decode_payload(encoded: str) -> dict:
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


def expires_at(payload: dict) -> datetime.datetime:
    """When the challenge stops being accepted, as written (and signed) in its salt."""
    params = altcha.extract_params_v1(payload)
    try:
        timestamp = int(params["expires"][0])
    except (KeyError, IndexError, ValueError) as error:
        raise ChallengeRefused(missing_message()) from error
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)


def accept_solution(encoded: str) -> None:
    """Let a solved challenge through once; raise ChallengeRefused if wrong, expired or reused."""
    payload = decode_payload(encoded)
    valid, _error = altcha.verify_solution_v1(payload, settings.GUICHET_ALTCHA_HMAC_KEY)
    if not valid:
        raise ChallengeRefused(
            _(
                "La vérification anti-robots n'a pas abouti ou a expiré. Rechargez la page "
                "et envoyez à nouveau : rien n'a été enregistré."
            )
        )
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
