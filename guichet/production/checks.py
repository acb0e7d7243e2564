"""Production refuses public or missing secrets; the demo and the tests need none.

These checks are not limited to `check --deploy`: every management command that runs checks
(migrate, db_worker, scheduler, runserver) refuses too, and guichet.wsgi runs them when a server
such as gunicorn loads the application, since gunicorn runs no checks of its own. They look at
DEBUG only, so `make run` (DEBUG=1) and the test suite (which never runs checks) need no secret.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

NEW_SECRET = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


@checks.register(checks.Tags.security)
def production_secrets(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """With DEBUG off, SECRET_KEY and the proof-of-work key must be real and distinct."""
    if settings.DEBUG:
        return []
    problems: list[checks.CheckMessage] = []
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        problems.append(
            checks.Critical(
                "SECRET_KEY is not set (or is the public demo key) while DEBUG is off: "
                "anyone could forge sessions and signed links.",
                hint=f"Set SECRET_KEY to a long random secret, e.g. from `{NEW_SECRET}`; "
                "on a development machine set DEBUG=1 instead.",
                id="guichet.E001",
            )
        )
    altcha_key = settings.GUICHET_ALTCHA_HMAC_KEY
    if not altcha_key or altcha_key == settings.DEMO_ALTCHA_HMAC_KEY:
        problems.append(
            checks.Critical(
                "GUICHET_ALTCHA_HMAC_KEY is not set (or is the public demo key) while DEBUG is "
                "off: anyone could sign proof-of-work challenges and skip the anti-robot check.",
                hint=f"Set GUICHET_ALTCHA_HMAC_KEY to its own long random secret, e.g. from "
                f"`{NEW_SECRET}` (not SECRET_KEY); on a development machine set DEBUG=1 instead.",
                id="guichet.E002",
            )
        )
    elif altcha_key == settings.SECRET_KEY:
        problems.append(
            checks.Critical(
                "GUICHET_ALTCHA_HMAC_KEY is the same as SECRET_KEY.",
                hint="Give the proof-of-work its own secret: a leak of one must not give away "
                "the other.",
                id="guichet.E003",
            )
        )
    return problems


@checks.register(checks.Tags.security, deploy=True)
def site_url_for_people(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Links in messages and receipts' QR codes are built from SITE_URL: it must be public."""
    if settings.DEBUG or settings.SITE_URL.startswith("https://"):
        return []
    return [
        checks.Warning(
            f"SITE_URL is {settings.SITE_URL!r}: links sent to people and receipts' QR codes "
            "will point there.",
            hint="Set SITE_URL to the public https:// address of this Guichet.",
            id="guichet.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def operator_named(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The legal pages name who runs the service: not the demo's placeholder in production."""
    if settings.DEBUG or settings.GUICHET_OPERATOR["name"] != settings.DEMO_OPERATOR_NAME:
        return []
    return [
        checks.Warning(
            "GUICHET_OPERATOR_NAME is not set: the mentions légales, the données personnelles "
            "page and the accessibility statement name a demonstration préfecture.",
            hint="Set GUICHET_OPERATOR_NAME, _ADDRESS, _EMAIL, GUICHET_PUBLICATION_DIRECTOR, "
            "GUICHET_DPO_EMAIL, GUICHET_HOST_NAME and GUICHET_HOST_ADDRESS (see the README).",
            id="guichet.W002",
        )
    ]


def refuse_unsafe_start() -> None:
    """Raise ImproperlyConfigured, with what to set, when production lacks its secrets."""
    problems = [message for message in production_secrets() if message.is_serious()]
    if problems:
        raise ImproperlyConfigured(
            "Guichet refuses to start:\n"
            + "\n".join(f"{m.id}: {m.msg}\n    HINT: {m.hint}" for m in problems)
        )
