"""Agent accounts and their second factor: TOTP codes, enrolment, replay and guessing limits.

A code is accepted once (its time step is marked used) and a user may try at most
`WRONG_CODES_ALLOWED` wrong codes per `WRONG_CODES_WINDOW`: six digits cannot be guessed by trying.
Passwords likewise: `WRONG_PASSWORDS_PER_ACCOUNT` per account and `WRONG_PASSWORDS_PER_ADDRESS`
per connection in `WRONG_PASSWORDS_WINDOW`. Each attempt is counted before it is checked
(`guichet.protection.counters`, atomic and never evicted), so simultaneous attempts cannot all
slip under the limit, and a lock holds however full a cache gets.
"""

import datetime
import hashlib
import math

import pyotp
import segno
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.protection import counters
from guichet.protection.addresses import connection_key

from .enums import Role
from .models import Agent, SecondFactor

ISSUER = "Guichet"
WRONG_CODES_ALLOWED = 5
WRONG_CODES_WINDOW = datetime.timedelta(minutes=15)
WRONG_PASSWORDS_PER_ACCOUNT = 10
WRONG_PASSWORDS_PER_ADDRESS = 30
WRONG_PASSWORDS_WINDOW = datetime.timedelta(minutes=15)
# Codes of the previous and next 30-second step are accepted too: a phone's clock drifts.
VALID_WINDOW = 1


class CodeRefused(Exception):
    """The code was not accepted; str() says why, for the agent."""


def second_factor_of(user) -> SecondFactor:
    """The user's TOTP secret, drawn at their first visit; unconfirmed until a first good code."""
    factor, _ = SecondFactor.objects.get_or_create(
        user=user, defaults={"secret": pyotp.random_base32()}
    )
    return factor


def provisioning_uri(factor: SecondFactor) -> str:
    """What the authenticator app reads from the QR code: « Guichet (username) »."""
    return pyotp.TOTP(factor.secret).provisioning_uri(
        name=factor.user.get_username(), issuer_name=ISSUER
    )


def provisioning_qr_svg(factor: SecondFactor) -> str:
    """The provisioning URI as an inline SVG QR code."""
    return segno.make(provisioning_uri(factor), error="m").svg_inline(scale=4, omitsize=True)


def secret_in_groups(secret: str) -> str:
    """« ABCD EFGH … »: easier to type by hand into an app than 32 letters in a row."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _failures_key(user) -> str:
    return f"totp-failures:{user.pk}"


def _step_key(user, step: int) -> str:
    return f"totp-step:{user.pk}:{step}"


def matching_step(secret: str, code: str, now: datetime.datetime) -> int | None:
    """The time step whose code was typed, within the accepted drift; None if none matches."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if pyotp.utils.strings_equal(code, totp.generate_otp(step)):
            return step
    return None


def _take_code_attempt(user, now) -> bool:
    """Count an attempt before checking it; False when the wrong codes are used up (a locked
    account's attempts are not counted: they would only make the lock last longer)."""
    window = int(WRONG_CODES_WINDOW.total_seconds())
    key = _failures_key(user)
    if counters.count(key, window, now=now) >= WRONG_CODES_ALLOWED:
        return False
    return counters.hit(key, window, now=now) <= WRONG_CODES_ALLOWED


def check_code(user, typed: str, now: datetime.datetime | None = None) -> SecondFactor:
    """Accept a TOTP code once, confirming an enrolment; raise CodeRefused otherwise."""
    now = now or timezone.now()
    if not _take_code_attempt(user, now):
        raise CodeRefused(
            _(
                "Trop de codes erronés : la connexion est bloquée pendant %(minutes)d minutes. "
                "Attendez, ou demandez de l'aide à votre chef de bureau."
            )
            % {"minutes": WRONG_CODES_WINDOW.total_seconds() // 60}
        )
    factor = second_factor_of(user)
    code = "".join(typed.split())
    step = matching_step(factor.secret, code, now) if code.isdigit() else None
    if step is None:
        raise CodeRefused(
            _("Ce code n'est pas valide. Saisissez le code à 6 chiffres affiché par l'application.")
        )
    # A step is accepted while it is within the drift: two minutes at most.
    step_ttl = (2 * VALID_WINDOW + 2) * 30
    # Atomic: of two submissions of one code, only the one that sets the mark passes.
    if not counters.add_once(_step_key(user, step), step_ttl, now=now):
        raise CodeRefused(
            _("Ce code a déjà servi. Attendez le code suivant de l'application, puis saisissez-le.")
        )
    # Older codes still within the drift are spent too: a code seen once cannot follow it.
    for older in range(step - 2 * VALID_WINDOW, step):
        counters.add_once(_step_key(user, older), step_ttl, now=now)
    counters.clear(_failures_key(user), int(WRONG_CODES_WINDOW.total_seconds()), now=now)
    if factor.confirmed_at is None:
        factor.confirmed_at = now
        factor.save(update_fields=["confirmed_at"])
    return factor


class TooManyPasswords(Exception):
    """Too many wrong passwords for the account or from the connection; str() is for people."""

    def __init__(self, wait: int):
        minutes = max(1, math.ceil(wait / 60))
        super().__init__(
            ngettext(
                "Trop de tentatives de connexion avec ce compte ou depuis cette connexion : "
                "la connexion est bloquée. Réessayez dans %(n)d minute, ou demandez de l'aide à "
                "votre chef de bureau.",
                "Trop de tentatives de connexion avec ce compte ou depuis cette connexion : "
                "la connexion est bloquée. Réessayez dans %(n)d minutes, ou demandez de l'aide à "
                "votre chef de bureau.",
                minutes,
            )
            % {"n": minutes}
        )


def _password_limits(username: str, address: str) -> list[tuple[str, int]]:
    account = hashlib.sha256(username.casefold().encode()).hexdigest()[:32]
    place = hashlib.sha256(connection_key(address).encode()).hexdigest()[:32]
    return [
        (f"password-account:{account}", WRONG_PASSWORDS_PER_ACCOUNT),
        (f"password-address:{place}", WRONG_PASSWORDS_PER_ADDRESS),
    ]


def take_password_attempt(username: str, address: str, now=None):
    """Count a password attempt for the account and the connection before it is checked; raise
    TooManyPasswords when either has used up its wrong passwords. Returns what takes the attempt
    back, to call when the password was right: only wrong ones count."""
    now = now or timezone.now()
    window = int(WRONG_PASSWORDS_WINDOW.total_seconds())
    limits = _password_limits(username, address)

    def refuse():
        raise TooManyPasswords(
            max(counters.wait(key, window, most, now=now) for key, most in limits)
        )

    if any(counters.count(key, window, now=now) >= most for key, most in limits):
        refuse()
    counts = [counters.hit(key, window, now=now) for key, _most in limits]

    def take_back():
        for key, _most in limits:
            counters.hit(key, window, amount=-1, now=now)

    if any(count > most for count, (_key, most) in zip(counts, limits, strict=True)):
        take_back()
        refuse()
    return take_back


def create_agent(
    username: str, *, prefecture, role: str = Role.AGENT, password: str | None = None, secret=None
) -> tuple[Agent, SecondFactor]:
    """An agent account and its TOTP secret, to be confirmed at the first login."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=username, password=password)
        agent = Agent.objects.create(user=user, prefecture=prefecture, role=role)
        factor = SecondFactor.objects.create(user=user, secret=secret or pyotp.random_base32())
    return agent, factor
