"""How much work a challenge asks for: more when the intake is busy, so a robot pays more.

The level rises with the submissions accepted over the last hour (`counters`, read when the
challenge is made): from the client's connection, and for the préfecture the challenge is for.
Each doubling past the « busy » number adds a level, up to GUICHET_ALTCHA_TOP_LEVEL; each level
doubles `maxnumber`, the numbers the solver may have to try. A challenge that names no
préfecture is charged the level of all préfectures together, never lower than any one's.
docs/protection.md gives what each level costs a script and a browser.
"""

import math
import re

from django.conf import settings

from . import counters
from .addresses import connection_key

WINDOW = 60 * 60
EVERYWHERE = "*"
# Department codes: 94, 2A, 974.
PREFECTURE_CODE = re.compile(r"[0-9][0-9AB][0-9]?")


def prefecture_code(text) -> str | None:
    """A préfecture's department code as a challenge may carry it, or None."""
    code = str(text or "").strip().upper()
    return code if PREFECTURE_CODE.fullmatch(code) else None


def _connection_key(client_ip: str) -> str:
    return f"pow:connection:{connection_key(client_ip)}"


def _prefecture_key(code: str | None) -> str:
    return f"pow:prefecture:{code or EVERYWHERE}"


def level_for(count: int, busy: int) -> int:
    """0 below `busy` an hour, then one more each time the count doubles."""
    if busy <= 0 or count < busy:
        return 0
    return min(settings.GUICHET_ALTCHA_TOP_LEVEL, 1 + int(math.log2(count / busy)))


def level(client_ip: str, prefecture: str | None, *, now=None) -> int:
    """The level a new challenge gets for this client and préfecture (None: all of them)."""
    from_connection = counters.count(_connection_key(client_ip), WINDOW, now=now)
    for_prefecture = counters.count(_prefecture_key(prefecture), WINDOW, now=now)
    return max(
        level_for(from_connection, settings.GUICHET_ALTCHA_BUSY_CONNECTION),
        level_for(for_prefecture, settings.GUICHET_ALTCHA_BUSY_PREFECTURE),
    )


def max_number(level: int) -> int:
    return settings.GUICHET_ALTCHA_MAX_NUMBER * 2**level


def record_intake(client_ip: str, prefecture: str, *, now=None) -> None:
    """An accepted submission: it counts for its connection, its préfecture and all of them."""
    counters.hit(_connection_key(client_ip), WINDOW, now=now)
    if code := prefecture_code(prefecture):
        counters.hit(_prefecture_key(code), WINDOW, now=now)
    counters.hit(_prefecture_key(None), WINDOW, now=now)
