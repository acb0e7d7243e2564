"""Catalogue rows that every registration reads, kept a minute in each process.

Each request registered looks up its motif, the motif's préfecture and the préfecture's sites:
that one query cost as much Python as the rest of the intake. These rows change a few times a
year, by hand (docs/decisions/0016-catalogue-kept-a-minute.md). Each process keeps the values it
read for `KEPT_SECONDS`; callers build fresh model instances from them at each use, so nothing
is shared between two requests. Saving or deleting a catalogue row forgets everything kept in
the process that saved it at once; other processes see the change within `KEPT_SECONDS`.

Only what was found is kept: a motif that did not exist is asked again every time, and callers
refuse nothing on kept values alone (`booking.validation.validate_intake` asks the database
again before refusing).
"""

import time
from collections.abc import Callable, Hashable
from typing import Any

KEPT_SECONDS = 60.0

_kept: dict[Hashable, tuple[float, Any]] = {}


def kept(key: Hashable, read: Callable[[], Any]) -> Any:
    """What `read()` returned for `key` less than KEPT_SECONDS ago, else `read()` now (kept
    unless None)."""
    now = time.monotonic()
    found = _kept.get(key)
    if found is not None and now - found[0] < KEPT_SECONDS:
        return found[1]
    value = read()
    if value is not None:
        _kept[key] = (now, value)
    return value


def forget(**_signal_arguments) -> None:
    """Drop everything kept: a catalogue row changed (a signal's receiver, and the tests')."""
    _kept.clear()
