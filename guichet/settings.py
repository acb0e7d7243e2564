"""Settings, read from the environment; without it they are production's (DEBUG off).

`make run` and the demo set DEBUG=1. In production (DEBUG off) SECRET_KEY and
GUICHET_ALTCHA_HMAC_KEY must be set: guichet.production's checks refuse to start without them.
The README's « Mettre en production » lists the rest.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("GUICHET_VAR_DIR", PROJECT_DIR / "var"))


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting; anything else stops the start: « ture » must not quietly read as no."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise ImproperlyConfigured(
            f"{name}={value!r} is neither yes nor no: use 1/0, true/false, yes/no or on/off."
        )
    return word in TRUE_WORDS


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless the environment turns it on: a forgotten variable must not serve debug pages.
DEBUG = env_bool("DEBUG", False)
# Public demo values: enough for `make run` and the tests, refused when DEBUG is off
# (guichet.production.checks), so production never signs anything with a published key.
DEMO_SECRET_KEY = "demo-only-secret-key-change-me-in-production"
DEMO_ALTCHA_HMAC_KEY = "demo-only-altcha-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEMO_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The admin behind the back-office's login, for national administrators only.
    "guichet.backoffice.admin_config.GuichetAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # runserver serves static files as production does
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "dsfr",
    "ninja",  # serves Swagger UI from our static files, not a CDN (/api/docs works offline)
    "widget_tweaks",
    "guichet.catalogue",
    "guichet.booking",
    "guichet.notifications",
    "guichet.backoffice",
    "guichet.associations",
    "guichet.registry",
    "guichet.protection",
    "guichet.demo",
    "guichet.observatory",
    "guichet.documents",
    "guichet.simulator",
    "guichet.transparency",
    "guichet.privacy",
    "guichet.legal",
    "guichet.duework",
    "guichet.production",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the application itself: no separate web server to configure.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the session or the database: NUL and lone surrogates answer 400.
    "guichet.bad_input.RefuseUnstorableCharacters",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The public side speaks the person's language: the language cookie (set by the switcher,
    # django.views.i18n.set_language), else the browser's Accept-Language; URLs carry no
    # language, so a link stays shareable. Agents' pages stay in French (guichet.languages).
    "django.middleware.locale.LocaleMiddleware",
    "guichet.languages.FrenchForAgents",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Logged-in sessions end after a working day or a pause (guichet.backoffice.sessions).
    "guichet.backoffice.sessions.SessionLimitsMiddleware",
    # Content-Security-Policy and Permissions-Policy headers, configured below.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
]

ROOT_URLCONF = "guichet.urls"
WSGI_APPLICATION = "guichet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # LANGUAGE_CODE and LANGUAGE_BIDI: <html lang dir> and the language switcher.
                "django.template.context_processors.i18n",
                # django-dsfr's site_config, without its two queries on every page.
                "guichet.site_config.site_config",
            ],
            # `{% load languages %}`: French words beside a translation (guichet.languages).
            "libraries": {"languages": "guichet.language_tags"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}",
        # Seconds a process keeps its connection between requests: 0 (a connection per request)
        # unless set; scripts/serve.sh sets 600 for gunicorn, whose workers each serve one
        # request at a time. A kept connection is checked before a request reuses it.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once: web, worker and scheduler share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts. Passwords as Django's ModelBackend checks them, a session's user read with their agent
# profile (guichet.backoffice.backends). Model permissions (asked only by the admin) follow the
# agent's role: national administrators hold them all (guichet.backoffice.admin_site);
# is_staff/is_superuser open nothing.
AUTHENTICATION_BACKENDS = [
    "guichet.backoffice.backends.AgentBackend",
    "guichet.backoffice.admin_site.AdministratorPermissions",
]
# Agents' and members' sessions end this long after login, and after this long without a request
# (guichet.backoffice.sessions); applicants never log in.
GUICHET_SESSION_MAX_HOURS = int(os.environ.get("GUICHET_SESSION_MAX_HOURS", "10"))
GUICHET_SESSION_IDLE_MINUTES = int(os.environ.get("GUICHET_SESSION_IDLE_MINUTES", "30"))

# What pages may load and run (django-csp): Guichet's own files only; an inline script only with
# the page's nonce (the error summary's focus); no inline style or handler; never framed.
# tests/project/test_content_security_policy_browser.py checks in Chromium that no page breaks.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Powerful browser features no page of Guichet uses (django-permissions-policy).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "guichet_cache",
    },
    # Receipts' QR codes, drawn once per request and shared by every process
    # (guichet.booking.receipts); a table of their own, so they never push the default cache's
    # entries out. `createcachetable` makes both tables.
    "receipt_qr": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "guichet_receipt_qr",
        "TIMEOUT": 180 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    },
}
# Rate limits, lockouts and replay marks (guichet.protection.counters): in Redis when REDIS_URL
# is set, in an alias of their own that nothing else fills (Redis itself must not evict:
# maxmemory-policy noeviction); otherwise in the database. Never in the default cache, which
# culls entries, locks included, and whose incr is not atomic.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES["counters"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "guichet-counters",
        "TIMEOUT": None,
    }
GUICHET_COUNTERS_CACHE = "counters" if REDIS_URL else None

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LANGUAGE_CODE = "fr"
# The public side and every message to a person, in nine languages, each named in itself (the
# switcher shows these names): French is the reference, and the authority's language on
# documents. docs/decisions/0014-languages.md says why these and how.
LANGUAGES = [
    ("fr", "Français"),
    ("en", "English"),
    ("ar", "العربية"),
    ("es", "Español"),
    ("pt", "Português"),
    ("zh-hans", "简体中文"),
    ("tr", "Türkçe"),
    ("ru", "Русский"),
    ("uk", "Українська"),
]
# The switcher's choice, remembered a year; a language is no secret, but the cookie follows the
# session's rules for HTTPS.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# Paths whose pages are for agents and association members: always in French.
GUICHET_FRENCH_ONLY_PATHS = ("/agent/", "/association/", "/admin/")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

LOGIN_URL = "backoffice:login"
# A refused form (stale page, blocked cookies) is explained in French, with a way forward.
CSRF_FAILURE_VIEW = "guichet.errors.csrf_failure"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Project-wide files (the language switcher's and right-to-left styles).
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files. Hashed, compressed copies (cached for a year) need
# `collectstatic` first, so only an explicit GUICHET_STATIC_MANIFEST=1 turns them on
# (scripts/serve.sh does); tests and `make run` serve the apps' files as they are.
GUICHET_STATIC_MANIFEST = env_bool("GUICHET_STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "guichet.production.storage.CompressedManifestStorage"
        if GUICHET_STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# HTTPS. Behind a reverse proxy that terminates TLS, SECURE_PROXY_SSL_HEADER names the header it
# sets to "https" (e.g. X-Forwarded-Proto); only then may Django trust it, and only then does the
# redirect to HTTPS default on (without it every request would look like HTTP: a redirect loop).
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https") if _proxy_header else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and bool(_proxy_header))
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Guichet <ne-pas-repondre@guichet.local>")

# Logs go to stderr. In production (DEBUG off) each line is one JSON object an operator can ship
# (time, level, logger, message, request method and path, exception with its traceback), secret
# links masked (guichet.logs); GUICHET_LOG_FORMAT=text or json chooses otherwise.
GUICHET_LOG_FORMAT = os.environ.get("GUICHET_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "guichet.logs.JsonLines"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": GUICHET_LOG_FORMAT,
        }
    },
    "loggers": {
        "guichet": {"handlers": ["console"], "level": "INFO"},
        # Server errors (500) in the server's log with DEBUG off too (Django's own console
        # handler speaks only under DEBUG).
        "django": {"handlers": ["console"], "level": "ERROR"},
        # Python's warnings, which Django routes through logging: one line each, like the rest.
        "py.warnings": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # The worker's failed tasks (e.g. a dossier PDF that could not be built), with traceback.
        "django_tasks": {"handlers": ["console"], "level": "WARNING"},
        "django_tasks_db": {"handlers": ["console"], "level": "WARNING"},
    },
}
if GUICHET_LOG_FORMAT == "json":
    import logging

    logging.captureWarnings(True)  # Python's warnings as JSON lines too, not loose text

# Optional error tracking: with SENTRY_DSN set, errors also go to Sentry (or a compatible
# service), without personal data and with secret links masked (guichet.logs).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from guichet.logs import init_error_tracking

    init_error_tracking(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production"))

# Guichet's own settings.
# Anti-abuse on public intake: a proof-of-work challenge and rate limits; tests may turn them off.
GUICHET_ALTCHA_ENABLED = env_bool("GUICHET_ALTCHA_ENABLED", True)
# Signs the proof-of-work challenges: its own secret, never SECRET_KEY (required in production).
GUICHET_ALTCHA_HMAC_KEY = os.environ.get("GUICHET_ALTCHA_HMAC_KEY") or DEMO_ALTCHA_HMAC_KEY
# Numbers a solver may have to try at the lowest level; each level doubles them, up to the top
# one (docs/protection.md: the cost of each level to a script, a computer and a phone). A level is
# added each time the accepted intakes of the last hour double past these numbers: from one
# connection, and for the préfecture (all of them together when the challenge names none).
GUICHET_ALTCHA_MAX_NUMBER = int(os.environ.get("GUICHET_ALTCHA_MAX_NUMBER", "500000"))
GUICHET_ALTCHA_TOP_LEVEL = 3
GUICHET_ALTCHA_BUSY_CONNECTION = 3
GUICHET_ALTCHA_BUSY_PREFECTURE = int(os.environ.get("GUICHET_ALTCHA_BUSY_PREFECTURE", "60"))
# A challenge is accepted this long, and only from the connection and browser it was given to.
GUICHET_ALTCHA_EXPIRES_MINUTES = 5
GUICHET_RATE_LIMITS_ENABLED = env_bool("GUICHET_RATE_LIMITS_ENABLED", True)
# (max submissions, window in seconds)
GUICHET_RATE_LIMIT_PER_IP = (20, 3600)
GUICHET_RATE_LIMIT_PER_CONTACT = (5, 3600)
# Messages to people: e-mail through EMAIL_BACKEND, SMS through this backend.
GUICHET_SMS_BACKEND = os.environ.get(
    "GUICHET_SMS_BACKEND", "guichet.notifications.sms.ConsoleBackend"
)
# A web request whose contact is not confirmed within this time expires.
GUICHET_UNVERIFIED_EXPIRY_HOURS = int(os.environ.get("GUICHET_UNVERIFIED_EXPIRY_HOURS", "48"))
# Lost-link requests from one connection, and for one contact: (at most, per seconds).
GUICHET_RATE_LIMIT_ACCESS_LINK = (5, 3600)
GUICHET_RATE_LIMIT_ACCESS_LINK_CONTACT = (5, 3600)
# Behind reverse proxies: the client's address is read from GUICHET_PROXY_HEADER
# (X-Forwarded-For, or Forwarded) through these proxies only (guichet.protection.addresses).
# Either a number of proxy hops ("1": one nginx in front) or a list of their addresses and
# networks ("127.0.0.1, 10.0.0.0/8"); empty: no proxy, the connecting address is the client's.
_trusted_proxies = os.environ.get("GUICHET_TRUSTED_PROXIES", "").strip()
GUICHET_TRUSTED_PROXIES = (
    int(_trusted_proxies) if _trusted_proxies.isdigit() else env_list("GUICHET_TRUSTED_PROXIES", "")
)
GUICHET_PROXY_HEADER = os.environ.get("GUICHET_PROXY_HEADER", "X-Forwarded-For").strip()
# The observatory: where evidence files go, and how politely the robot visits a host.
GUICHET_EVIDENCE_DIR = Path(os.environ.get("GUICHET_EVIDENCE_DIR", VAR_DIR / "evidence"))
GUICHET_OBSERVATORY_HOST_INTERVAL = float(os.environ.get("GUICHET_OBSERVATORY_HOST_INTERVAL", "30"))
GUICHET_OBSERVATORY_TIMEOUT = float(os.environ.get("GUICHET_OBSERVATORY_TIMEOUT", "30"))
GUICHET_OBSERVATORY_SCREENSHOTS = env_bool("GUICHET_OBSERVATORY_SCREENSHOTS", True)

# Who runs this Guichet, as the mentions légales, the données personnelles page and the
# accessibility statement name them (guichet.legal). Each deployment sets its own.
# `check --deploy` warns while the name is the demo's (guichet.production.checks).
DEMO_OPERATOR_NAME = "Préfecture de démonstration"
GUICHET_OPERATOR = {
    "name": os.environ.get("GUICHET_OPERATOR_NAME", DEMO_OPERATOR_NAME),
    "address": os.environ.get(
        "GUICHET_OPERATOR_ADDRESS", "1 place de la Préfecture, 00000 Démonstration"
    ),
    "email": os.environ.get("GUICHET_OPERATOR_EMAIL", "contact@guichet.local"),
    "phone": os.environ.get("GUICHET_OPERATOR_PHONE", ""),
    "publication_director": os.environ.get(
        "GUICHET_PUBLICATION_DIRECTOR", "Le préfet ou la préfète du département"
    ),
    "dpo_email": os.environ.get("GUICHET_DPO_EMAIL", "dpd@guichet.local"),
    "host_name": os.environ.get("GUICHET_HOST_NAME", "Hébergeur de démonstration"),
    "host_address": os.environ.get("GUICHET_HOST_ADDRESS", "Adresse de l'hébergeur"),
    # The accessibility statement: the date of its last check and how conformant the site is.
    "accessibility_checked_on": os.environ.get("GUICHET_ACCESSIBILITY_CHECKED_ON", "2026-11-27"),
}
# How long personal data is kept (guichet.privacy.retention; docs/privacy.md). Counted in days
# from the day a request was closed (cancelled, seen, absent, lapsed, closed as a duplicate; a
# web request expired without its contact confirmed has a shorter period), and from the day an
# observatory dossier was made.
GUICHET_RETENTION = {
    "closed_request_days": int(os.environ.get("GUICHET_RETENTION_CLOSED_REQUEST_DAYS", "365")),
    "unconfirmed_request_days": int(
        os.environ.get("GUICHET_RETENTION_UNCONFIRMED_REQUEST_DAYS", "30")
    ),
    "dossier_days": int(os.environ.get("GUICHET_RETENTION_DOSSIER_DAYS", "365")),
    # The documents a person sent before their visit: gone this many days after the
    # appointment (or after the request closed without one), whatever the request's own period.
    "document_days": int(os.environ.get("GUICHET_RETENTION_DOCUMENT_DAYS", "30")),
}
# Documents sent before a visit (guichet.documents): outside the static files, served only by
# views that check the secret link or the agent's préfecture (docs/decisions/0013).
GUICHET_DOCUMENTS_DIR = Path(os.environ.get("GUICHET_DOCUMENTS_DIR", VAR_DIR / "documents"))
# Published figures: a count below this (but above zero), and a wait computed over fewer people,
# is not published, so that no figure singles out a person (guichet.transparency.disclosure).
GUICHET_OPEN_DATA_MIN_COUNT = int(os.environ.get("GUICHET_OPEN_DATA_MIN_COUNT", "5"))
