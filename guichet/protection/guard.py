"""The checks a final submission passes before it may register anything, each one switchable."""

from django.conf import settings

from .challenges import ChallengeRefused, accept_solution
from .ratelimits import RateLimited, check_rate_limits

__all__ = ["ChallengeRefused", "RateLimited", "client_ip", "guard_submission"]


def client_ip(request) -> str:
    """The connecting address; behind a reverse proxy, the proxy must set REMOTE_ADDR for us."""
    return request.META.get("REMOTE_ADDR", "")


def guard_submission(request, *, altcha_payload: str, contacts: list[str]) -> None:
    """Raise ChallengeRefused or RateLimited when the submission must not go through."""
    if settings.GUICHET_ALTCHA_ENABLED:
        accept_solution(altcha_payload)
    if settings.GUICHET_RATE_LIMITS_ENABLED:
        check_rate_limits(client_ip(request), contacts)
