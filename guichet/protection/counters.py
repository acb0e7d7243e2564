"""Counters, locks and replay marks that hold: atomic, and never evicted before they expire.

Rate limits, the password and TOTP lockouts and the replay marks (proof-of-work solutions, TOTP
steps) all go through this module. Django's DatabaseCache did not do: its `incr` reads then writes
(simultaneous attempts all read the same count) and it culls entries past MAX_ENTRIES, locks
included. Two stores, one API:

- Redis when REDIS_URL is set (settings.GUICHET_COUNTERS_CACHE names a Django RedisCache alias of
  its own): INCR and SET NX are atomic, keys expire by their TTL; the Redis server must not evict
  keys early (`maxmemory-policy noeviction`, Redis's default).
- Otherwise the database: `Counter` rows changed by one `INSERT … ON CONFLICT DO UPDATE …
  RETURNING` statement (PostgreSQL, SQLite ≥ 3.35), each a single atomic step; expired rows are
  deleted by the due work (`purge_expired`).

Windows slide: a window is cut into SLOTS buckets (a rolling window). A hit counts in the bucket
of its moment; a count is the sum of the last SLOTS buckets, so a hit stops counting between
(SLOTS - 1)/SLOTS and the whole of the window after it: never more than the limit in any stretch
of one window, and no reset on the clock hour that lets a burst through twice.

Call these outside any transaction (the views do): a rolled-back transaction would roll back its
counts, and a row locked by an open transaction makes the others wait.
"""

import datetime
import hashlib
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection

from .models import Counter

SLOTS = 60


def _clock(now) -> float:
    return now.timestamp() if now is not None else time.time()


def _name(key: str) -> str:
    """Keys stay short (a database column, a cache key); long ones are hashed."""
    return key if len(key) <= 150 else hashlib.sha256(key.encode()).hexdigest()


def _store():
    """The Redis cache, or None for the database."""
    alias = settings.GUICHET_COUNTERS_CACHE
    return caches[alias] if alias else None


class _Window:
    """Where a counter's buckets are at a moment: their width, the current one, those counted."""

    def __init__(self, key: str, seconds: int, now):
        self.width = max(1, int(seconds) // SLOTS)
        self.slots = math.ceil(int(seconds) / self.width)
        self.now = _clock(now)
        self.current = int(self.now // self.width)
        self.name = f"{_name(key)}/{self.width}"

    def counted(self) -> range:
        # Next slot too: a simultaneous hit a moment later is seen, whichever reads first.
        return range(self.current - self.slots + 1, self.current + 2)

    def ends(self, slot: int) -> float:
        """When a hit of this slot stops counting."""
        return (slot + self.slots) * self.width

    def cache_key(self, slot: int) -> str:
        return f"{self.name}:{slot}"


def _slot_counts(window: _Window) -> dict[int, int]:
    store = _store()
    if store is not None:
        keys = {window.cache_key(slot): slot for slot in window.counted()}
        return {keys[key]: value for key, value in store.get_many(list(keys)).items()}
    span = window.counted()
    rows = Counter.objects.filter(
        key=window.name, slot__gte=span.start, slot__lt=span.stop
    ).values_list("slot", "count")
    return dict(rows)


def _upsert(on_conflict: str, params: list) -> tuple | None:
    """One atomic INSERT … ON CONFLICT (key, slot) DO UPDATE SET `on_conflict` RETURNING count;
    None when the update's WHERE left the row alone. `on_conflict` names columns as {count}…"""
    quote = connection.ops.quote_name
    names = {
        "table": quote(Counter._meta.db_table),
        **{column: quote(column) for column in ("key", "slot", "count", "expires_at")},
    }
    sql = (
        "INSERT INTO {table} ({key}, {slot}, {count}, {expires_at}) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT ({key}, {slot}) DO UPDATE SET " + on_conflict + " RETURNING {count}"
    ).format(**names)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _moment(timestamp: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)


def _sql_moment(timestamp: float):
    """A moment as the database column takes it in raw SQL (SQLite keeps naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(_moment(timestamp))


def hit(key: str, window: int, *, amount: int = 1, now=None) -> int:
    """Count `amount` for `key` now (-1 takes a hit back); return the count over the last
    `window` seconds, this hit included.

    The current bucket's count is the one the atomic increment returned, so simultaneous hits
    each get their own place in line (1, 2, 3…) instead of all reading the final total."""
    position = _Window(key, window, now)
    expires = position.ends(position.current) + position.width
    store = _store()
    if store is not None:
        name = position.cache_key(position.current)
        ttl = max(1, math.ceil(expires - position.now))
        for _attempt in range(3):
            store.add(name, 0, timeout=ttl)
            try:
                mine = store.incr(name, amount)
                break
            except ValueError:  # expired between add and incr: add it again
                continue
        else:
            raise RuntimeError(f"counter {name} kept expiring")
    else:
        upserted = _upsert(
            "{count} = {table}.{count} + excluded.{count}",
            [position.name, position.current, amount, _sql_moment(expires)],
        )
        assert upserted is not None  # an update without a condition always returns its row
        (mine,) = upserted
    others = _slot_counts(position)
    others.pop(position.current, None)
    return mine + sum(others.values())


def count(key: str, window: int, *, now=None) -> int:
    """The hits of `key` over the last `window` seconds."""
    return sum(_slot_counts(_Window(key, window, now)).values())


def wait(key: str, window: int, most: int, *, now=None) -> int:
    """Seconds until a new hit of `key` is within `most` again (0: it is now)."""
    position = _Window(key, window, now)
    by_slot = sorted(_slot_counts(position).items())
    left = sum(hits for _slot, hits in by_slot)
    if left < most:
        return 0
    for slot, hits in by_slot:
        left -= hits
        if left < most:
            return max(1, math.ceil(position.ends(slot) - position.now))
    return position.slots * position.width  # a limit of 0: a whole window, whatever happens


def clear(key: str, window: int, *, now=None) -> None:
    """Forget the hits of `key` (e.g. wrong codes, once the right one came)."""
    position = _Window(key, window, now)
    store = _store()
    if store is not None:
        store.delete_many([position.cache_key(slot) for slot in position.counted()])
    else:
        Counter.objects.filter(key=position.name).delete()


def add_once(key: str, ttl: int, *, now=None) -> bool:
    """Set a mark for `ttl` seconds; True for the one caller that set it, False while it is set."""
    store = _store()
    if store is not None:
        return store.add(f"{_name(key)}/mark", 1, timeout=max(1, int(ttl)))
    moment = _clock(now)
    row = _upsert(
        "{count} = excluded.{count}, {expires_at} = excluded.{expires_at} "
        "WHERE {table}.{expires_at} <= %s",
        [_name(key), 0, 1, _sql_moment(moment + ttl), _sql_moment(moment)],
    )
    return row is not None


def purge_expired(now=None) -> int:
    """Delete the database's expired rows (they no longer count); Redis expires keys itself."""
    if _store() is not None:
        return 0
    deleted, _per_model = Counter.objects.filter(expires_at__lte=_moment(_clock(now))).delete()
    return deleted


def clear_all() -> None:
    """Forget every counter and mark: for tests only (on Redis it empties the alias's database)."""
    store = _store()
    if store is not None:
        store.clear()
    Counter.objects.all().delete()
