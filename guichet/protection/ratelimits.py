"""Sliding-window limits of final submissions, per connection and per contact (`counters`).

A person rarely sends more than a couple of requests; a script sends hundreds. The limits make the
script's work pointless without bothering the person, and say when to try again. A connection is
an IPv4 address or an IPv6 /64 (`addresses.connection_key`); a refused submission is not counted,
so the wait announced is the wait. A contact counts in its canonical form (`contacts`): the
variants of one mailbox or one number are one contact.
"""

import hashlib
import math

from django.conf import settings
from django.utils.translation import ngettext

from . import counters
from .addresses import connection_key
from .contacts import canonical_contact


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


def _key(scope: str, identity: str) -> str:
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return f"rate:{scope}:{digest}"


def count_submissions(hits: list[tuple[str, str, tuple[int, int]]]) -> int | None:
    """Count one submission against each (scope, identity, (most, seconds)); when any is over
    its limit take them all back and return the seconds to wait, else None."""
    counted = []
    over = False
    for scope, identity, (most, seconds) in hits:
        key = _key(scope, identity)
        counted.append((key, most, seconds))
        if counters.hit(key, seconds) > most:
            over = True
    if not over:
        return None
    for key, _most, seconds in counted:
        counters.hit(key, seconds, amount=-1)
    return max(1, *(counters.wait(key, seconds, most) for key, most, seconds in counted))


def count_submission(scope: str, identity: str, limit: tuple[int, int]) -> int | None:
    """Count one submission; return seconds to wait (and count nothing) if over the limit."""
    return count_submissions([(scope, identity, limit)])


def count_connection(scope: str, address: str, limit: tuple[int, int]) -> int | None:
    """count_submission for a connection: an IPv6 client counts for its whole /64."""
    return count_submission(scope, connection_key(address), limit)


def contact_hits(scope: str, contacts, limit: tuple[int, int]) -> list:
    """One hit per distinct contact, in canonical form, for `count_submissions`."""
    canonical = dict.fromkeys(canonical_contact(contact) for contact in contacts if contact)
    return [(scope, contact, limit) for contact in canonical]


def check_rate_limits(client_ip: str, contacts: list[str]) -> None:
    """Count a final submission; raise RateLimited if its connection or a contact sent too many."""
    hits = [("ip", connection_key(client_ip), settings.GUICHET_RATE_LIMIT_PER_IP)]
    hits += contact_hits("contact", contacts, settings.GUICHET_RATE_LIMIT_PER_CONTACT)
    wait = count_submissions(hits)
    if wait:
        raise RateLimited(wait)
