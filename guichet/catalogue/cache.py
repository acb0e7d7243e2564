"""Catalogue rows read at every registration and every status page, kept a minute per process.

Each request registered looks up its motif, the motif's préfecture and the préfecture's sites;
each status page shows them. That one query cost as much Python as the rest of the intake.
These rows change a few times a year, by hand (docs/decisions/0016-catalogue-kept-a-minute.md).
Each process keeps the values it read for `KEPT_SECONDS` and builds fresh model instances from
them at each use, so nothing is shared between two requests. Saving or deleting a catalogue row
forgets everything kept in the process that saved it at once; other processes see the change
within `KEPT_SECONDS`.

Only what was found is kept, and callers refuse nothing on kept values alone: they ask again
with `fresh=True` first (`booking.validation.validate_intake`).
"""

import time
from collections.abc import Callable, Hashable
from typing import Any

from django.db import router

from .models import Prefecture, Service, Site

KEPT_SECONDS = 60.0

_kept: dict[Hashable, tuple[float, Any]] = {}


def kept(key: Hashable, read: Callable[[], Any], *, fresh: bool = False) -> Any:
    """What `read()` returned for `key` less than KEPT_SECONDS ago (unless `fresh`), else
    `read()` now, kept unless None."""
    now = time.monotonic()
    found = None if fresh else _kept.get(key)
    if found is not None and now - found[0] < KEPT_SECONDS:
        return found[1]
    value = read()
    if value is not None:
        _kept[key] = (now, value)
    return value


def forget(**_signal_arguments) -> None:
    """Drop everything kept: a catalogue row changed (a signal's receiver, and the tests')."""
    _kept.clear()


def kept_columns(model) -> tuple[str, ...]:
    """The columns people edit (and the key). What the code itself updates, such as a
    préfecture's last batch, is left out: read from the database if ever asked for."""
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if field.editable or field.primary_key
    )


SERVICE_COLUMNS = kept_columns(Service)
PREFECTURE_COLUMNS = kept_columns(Prefecture)
SITE_COLUMNS = kept_columns(Site)
_FIRST_SITE_COLUMN = len(SERVICE_COLUMNS) + len(PREFECTURE_COLUMNS)


def read_service(service_id: int) -> list[tuple] | None:
    """A motif's row joined to its préfecture's and to each of the préfecture's sites: one row
    per site (a single one, its site columns null, for a préfecture without any); None when
    there is no such motif."""
    rows = list(
        Service.objects.filter(pk=service_id)
        .order_by("prefecture__sites__id")
        .values_list(
            *SERVICE_COLUMNS,
            *(f"prefecture__{name}" for name in PREFECTURE_COLUMNS),
            *(f"prefecture__sites__{name}" for name in SITE_COLUMNS),
        )
    )
    return rows or None


def service_and_sites(service_id: int, *, fresh: bool = False) -> tuple[Service, list[Site]] | None:
    """The motif `service_id` with its préfecture (`service.prefecture`) and the préfecture's
    sites, in the sites' order; None when there is no such motif. Closed motifs included."""
    rows = kept(("service", service_id), lambda: read_service(service_id), fresh=fresh)
    if rows is None:
        return None
    db = router.db_for_read(Service)
    service = Service.from_db(db, SERVICE_COLUMNS, rows[0][: len(SERVICE_COLUMNS)])
    service.prefecture = Prefecture.from_db(
        db, PREFECTURE_COLUMNS, rows[0][len(SERVICE_COLUMNS) : _FIRST_SITE_COLUMN]
    )
    sites = []
    for row in rows:
        if row[_FIRST_SITE_COLUMN] is not None:  # the site's id
            site = Site.from_db(db, SITE_COLUMNS, row[_FIRST_SITE_COLUMN:])
            site.prefecture = service.prefecture
            sites.append(site)
    return service, sites
