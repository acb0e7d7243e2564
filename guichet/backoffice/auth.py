"""Agent accounts and their second factor: TOTP codes, enrolment, replay and guessing limits.

A code is accepted once (its time step is remembered in the cache) and a user may type at most
`WRONG_CODES_ALLOWED` wrong codes per `WRONG_CODES_WINDOW`: six digits cannot be guessed by trying.
"""

import datetime

import pyotp
import segno
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import Role
from .models import Agent, SecondFactor

ISSUER = "Guichet"
WRONG_CODES_ALLOWED = 5
WRONG_CODES_WINDOW = datetime.timedelta(minutes=15)
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
    return f"guichet:backoffice:totp-failures:{user.pk}"


def _last_step_key(user) -> str:
    return f"guichet:backoffice:totp-last-step:{user.pk}"


def matching_step(secret: str, code: str, now: datetime.datetime) -> int | None:
    """The time step whose code was typed, within the accepted drift; None if none matches."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if pyotp.utils.strings_equal(code, totp.generate_otp(step)):
            return step
    return None


def count_wrong_code(user) -> None:
    window = int(WRONG_CODES_WINDOW.total_seconds())
    key = _failures_key(user)
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # the entry expired between add and incr: a new window began
        cache.set(key, 1, timeout=window)


def check_code(user, typed: str, now: datetime.datetime | None = None) -> SecondFactor:
    """Accept a TOTP code once, confirming an enrolment; raise CodeRefused otherwise."""
    now = now or timezone.now()
    if cache.get(_failures_key(user), 0) >= WRONG_CODES_ALLOWED:
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
        count_wrong_code(user)
        raise CodeRefused(
            _("Ce code n'est pas valide. Saisissez le code à 6 chiffres affiché par l'application.")
        )
    # Atomic: of two submissions of one code, only the one that adds the step passes.
    step_timeout = (2 * VALID_WINDOW + 2) * 30
    if not cache.add(f"{_last_step_key(user)}:{step}", True, timeout=step_timeout) or (
        cache.get(_last_step_key(user), -1) >= step
    ):
        raise CodeRefused(
            _("Ce code a déjà servi. Attendez le code suivant de l'application, puis saisissez-le.")
        )
    cache.set(_last_step_key(user), step, timeout=step_timeout)
    cache.delete(_failures_key(user))
    if factor.confirmed_at is None:
        factor.confirmed_at = now
        factor.save(update_fields=["confirmed_at"])
    return factor


def create_agent(
    username: str, *, prefecture, role: str = Role.AGENT, password: str | None = None, secret=None
) -> tuple[Agent, SecondFactor]:
    """An agent account and its TOTP secret, to be confirmed at the first login."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=username, password=password)
        agent = Agent.objects.create(user=user, prefecture=prefecture, role=role)
        factor = SecondFactor.objects.create(user=user, secret=secret or pyotp.random_base32())
    return agent, factor
