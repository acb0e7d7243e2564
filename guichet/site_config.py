"""The DSFR site configuration (notice banner, mourning band), for every page, without a query
per page.

django-dsfr's own context processor reads its DsfrConfig table at every render, twice when the
table is empty (Guichet's case unless an administrator writes a notice): two queries on every
page, the home page included, which otherwise needs no database at all. Here each process reads
it at most once every CONFIG_SECONDS per language and keeps it; a change saved in the admin shows
at once in the process that saved it and within CONFIG_SECONDS in the others.
"""

import threading
import time

from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from dsfr.models import DsfrConfig

CONFIG_SECONDS = 60

_lock = threading.Lock()
_kept: dict[str, tuple[float, DsfrConfig | None]] = {}


def current_config(language: str) -> DsfrConfig | None:
    """The configuration in `language`, else the first one, as django-dsfr chooses it."""
    now = time.monotonic()
    kept = _kept.get(language)
    if kept is not None and kept[0] > now:
        return kept[1]
    config = DsfrConfig.objects.filter(language=language).first() or DsfrConfig.objects.first()
    with _lock:
        _kept[language] = (now + CONFIG_SECONDS, config)
    return config


def forget(**kwargs) -> None:
    with _lock:
        _kept.clear()


post_save.connect(forget, sender=DsfrConfig, dispatch_uid="guichet.site_config.saved")
post_delete.connect(forget, sender=DsfrConfig, dispatch_uid="guichet.site_config.deleted")


def site_config(request) -> dict:
    """Replaces dsfr.context_processors.site_config in settings.TEMPLATES."""
    return {"SITE_CONFIG": current_config(get_language())}
