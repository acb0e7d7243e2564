"""Sessions of people who log in (agents, members of organisations, administrators) end after a
working day and after a pause; applicants never log in and keep their own session untouched.

A back-office left open on a counter's computer must not stay open overnight, nor for the next
person at the desk after a long pause. The limits are checked on the server at every request;
the session cookie itself expires soon after the working day.
"""

import datetime
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Seconds since the epoch (JSON-serialisable), set at login and on requests.
STARTED_KEY = "guichet_session_started_at"
SEEN_KEY = "guichet_session_seen_at"
# The last request's time is written at most once a minute: one session write a minute, not one
# per request, and the idle limit is still kept to the minute.
SEEN_RESOLUTION_SECONDS = 60


def working_day() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.GUICHET_SESSION_MAX_HOURS)


def idle_limit() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.GUICHET_SESSION_IDLE_MINUTES)


def start_session_clock(sender, request, user, **kwargs):
    """At login (user_logged_in): the day starts now, and the cookie does not outlive it by more
    than the idle limit (Django's default is two weeks)."""
    now = time.time()
    request.session[STARTED_KEY] = now
    request.session[SEEN_KEY] = now
    request.session.set_expiry(working_day() + idle_limit())


def why_ended(session, now: float) -> str | None:
    """The French sentence saying why this session is over, or None while it may go on."""
    started = session.get(STARTED_KEY)
    seen = session.get(SEEN_KEY)
    if started is not None and now - started > working_day().total_seconds():
        hours = settings.GUICHET_SESSION_MAX_HOURS
        return ngettext(
            "Votre session a pris fin %(hours)d heure après votre connexion. "
            "Reconnectez-vous pour continuer.",
            "Votre session a pris fin %(hours)d heures après votre connexion. "
            "Reconnectez-vous pour continuer.",
            hours,
        ) % {"hours": hours}
    if seen is not None and now - seen > idle_limit().total_seconds():
        minutes = settings.GUICHET_SESSION_IDLE_MINUTES
        return ngettext(
            "Votre session a pris fin après %(minutes)d minute sans activité. "
            "Reconnectez-vous pour continuer.",
            "Votre session a pris fin après %(minutes)d minutes sans activité. "
            "Reconnectez-vous pour continuer.",
            minutes,
        ) % {"minutes": minutes}
    return None


class SessionLimitsMiddleware:
    """Logs out a logged-in session past its working day or idle limit, with a message that
    the login page (where the back-office sends anonymous visitors) shows. After
    AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            reason = why_ended(session, now)
            if reason is not None:
                logout(request)
                messages.warning(request, reason)
            else:
                # A session from before these limits starts its day now.
                session.setdefault(STARTED_KEY, now)
                if now - session.get(SEEN_KEY, 0) >= SEEN_RESOLUTION_SECONDS:
                    session[SEEN_KEY] = now
        return self.get_response(request)


def session_limits_text() -> str:
    """For the login page: the limits, said before they bite."""
    return _(
        "Pour protéger les données des personnes, la session se ferme après %(minutes)d minutes "
        "sans activité et %(hours)d heures après la connexion."
    ) % {
        "minutes": settings.GUICHET_SESSION_IDLE_MINUTES,
        "hours": settings.GUICHET_SESSION_MAX_HOURS,
    }
