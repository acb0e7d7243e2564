"""Logs an operator can ship, with no secret link in them, and optional error tracking (Sentry).

In production (DEBUG off) every line on stderr is one JSON object: time, level, logger, message,
the request's method and path (never its query string) and the exception with its traceback.
Secret links are masked wherever they would appear: `/demande/<token>/…`, a dossier's
`/observatoire/dossier/<token>/…` and a receipt's `/verifier/<token>/`. Loaded by LOGGING while
settings are read, before apps: nothing here may import a model.
"""

import re

from pythonjsonlogger.json import JsonFormatter

# The intake steps live at /demande/<slug>/ beside the secret links /demande/<token>/…: these
# are shown, anything else there is masked (tests/project/test_logs.py checks the list against
# STEPS).
PUBLIC_DEMANDE_SEGMENTS = frozenset(
    {"defi", "prefecture", "motif", "identite", "contact", "echeance", "lieux", "recapitulatif"}
)
SEGMENT = r"[^/\s?#'\"]+"
DEMANDE = re.compile(rf"/demande/({SEGMENT})")
CONFIRMATION_CODE = re.compile(rf"(/demande/<token>/confirmer/){SEGMENT}")
OTHER_SECRETS = re.compile(rf"(/observatoire/dossier/|/verifier/){SEGMENT}")


def mask_secrets(text: str) -> str:
    """`text` with every secret link's token (and one-tap confirmation code) replaced."""
    text = DEMANDE.sub(
        lambda m: m.group(0) if m.group(1) in PUBLIC_DEMANDE_SEGMENTS else "/demande/<token>",
        text,
    )
    text = CONFIRMATION_CODE.sub(r"\1<code>", text)
    return OTHER_SECRETS.sub(r"\1<token>", text)


class JsonLines(JsonFormatter):
    """One JSON object per line; the request as method and masked path, nothing else of it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault(
            "rename_fields", {"levelname": "level", "name": "logger", "exc_info": "exception"}
        )
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        # Django puts the HttpRequest (and a socket for runserver) on its records: their repr
        # would carry the query string and the secret links.
        request = log_data.pop("request", None)
        log_data.pop("server_time", None)
        if hasattr(request, "method") and hasattr(request, "path"):
            log_data["method"] = request.method
            log_data["path"] = mask_secrets(request.path)

    def process_log_record(self, log_data):
        for key in ("message", "exception", "stack_info", "path"):
            if isinstance(log_data.get(key), str):
                log_data[key] = mask_secrets(log_data[key])
        return log_data


def masked_event(event, hint=None):
    """Sentry's before_send: the same masking over every string of the event, and no query."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("query_string", None)
        request.pop("cookies", None)
    return _mask_strings(event)


def _mask_strings(value):
    if isinstance(value, str):
        return mask_secrets(value)
    if isinstance(value, dict):
        return {key: _mask_strings(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_strings(item) for item in value]
    return value


def init_error_tracking(dsn: str, **options) -> None:
    """Send errors to Sentry (or a compatible service) at `dsn`; no personal data leaves."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        # Frames' local variables hold tokens, names and birth dates: never sent.
        include_local_variables=False,
        before_send=masked_event,
        **options,
    )
