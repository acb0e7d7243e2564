"""Startup checks: a mistyped proxy setting is refused at start, not at the first intake."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def proxy_settings(app_configs=None, **kwargs):
    from .addresses import trusted_networks

    errors = []
    try:
        trusted_networks()
    except ImproperlyConfigured as error:
        errors.append(checks.Error(str(error), id="protection.E001"))
    if settings.GUICHET_PROXY_HEADER.strip().lower() not in {"x-forwarded-for", "forwarded"}:
        errors.append(
            checks.Error(
                f"GUICHET_PROXY_HEADER is {settings.GUICHET_PROXY_HEADER!r}: it must be "
                "X-Forwarded-For or Forwarded (the header the trusted proxy sets).",
                id="protection.E002",
            )
        )
    return errors
