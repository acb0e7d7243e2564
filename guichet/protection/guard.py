"""The checks a final submission passes before it may register anything, each one switchable."""

from django.conf import settings

from . import difficulty
from .addresses import client_ip
from .challenges import ChallengeRefused, accept_solution
from .ratelimits import RateLimited, check_rate_limits

__all__ = ["ChallengeRefused", "RateLimited", "client_ip", "guard_submission"]


def guard_submission(request, *, altcha_payload: str, contacts: list[str], prefecture: str) -> None:
    """Raise ChallengeRefused or RateLimited when the submission must not go through; else
    count it towards the difficulty of the next challenges (`difficulty`). `prefecture` is the
    department code the request is for: a challenge priced for another is refused."""
    if settings.GUICHET_ALTCHA_ENABLED:
        accept_solution(altcha_payload, request, prefecture)
    if settings.GUICHET_RATE_LIMITS_ENABLED:
        check_rate_limits(client_ip(request), contacts)
    if settings.GUICHET_ALTCHA_ENABLED:
        difficulty.record_intake(client_ip(request), prefecture)
