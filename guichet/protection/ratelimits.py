"""Fixed-window counters of final submissions, per connection and per contact, in Django's cache.

A person rarely sends more than a couple of requests; a script sends hundreds. The limits make the
script's work pointless without bothering the person, and say when to try again.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext


class RateLimited(Exception):
    """Too many submissions: `retry_after` seconds until the window ends; str() is for people."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            ngettext(
                "Trop de demandes ont été envoyées depuis cette connexion ou avec ces "
                "coordonnées. Rien n'a été enregistré. Réessayez dans %(n)d minute, ou "
                "adressez-vous au guichet ou par téléphone à la préfecture.",
                "Trop de demandes ont été envoyées depuis cette connexion ou avec ces "
                "coordonnées. Rien n'a été enregistré. Réessayez dans %(n)d minutes, ou "
                "adressez-vous au guichet ou par téléphone à la préfecture.",
                minutes,
            )
            % {"n": minutes}
        )


def count_submission(scope: str, identity: str, limit: tuple[int, int]) -> int | None:
    """Count one submission in the current window; return seconds to wait if over the limit."""
    most, seconds = limit
    now = time.time()
    window = int(now // seconds)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    key = f"guichet:rate:{scope}:{digest}:{window}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr: a new window began
        cache.set(key, 1, timeout=seconds)
        count = 1
    if count > most:
        return max(1, math.ceil((window + 1) * seconds - now))
    return None


def check_rate_limits(client_ip: str, contacts: list[str]) -> None:
    """Count a final submission; raise RateLimited if its connection or a contact sent too many."""
    waits = [count_submission("ip", client_ip, settings.GUICHET_RATE_LIMIT_PER_IP)]
    waits += [
        count_submission("contact", contact, settings.GUICHET_RATE_LIMIT_PER_CONTACT)
        for contact in contacts
    ]
    if any(waits):
        raise RateLimited(max(wait for wait in waits if wait))
