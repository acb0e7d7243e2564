"""Who may see what in the back-office: one préfecture per agent, roles, a second factor.

Every back-office query goes through `prefectures_of(user)`, every view through `agent_required`.
"""

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache

from guichet.catalogue.models import Prefecture

from .enums import Role
from .models import Agent

# Set in the session once the agent typed a valid TOTP code after their password.
SECOND_FACTOR_SESSION_KEY = "backoffice_second_factor"


def agent_of(user) -> Agent | None:
    """The user's agent profile, read once per request: remembered on the user, as Django's
    permission cache is, since `agent_required` and every `prefectures_of` ask again. A session's
    user comes with it already (`backends.AgentBackend`)."""
    if not (user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, "_guichet_agent"):
        agents = Agent.objects.filter(user=user).select_related("prefecture")
        user._guichet_agent = agents.first()
    return user._guichet_agent


def remember_agent(user) -> None:
    """For `agent_of`: the profile of a user read with `select_related("agent__prefecture")`,
    None if they have none (the join said so: no query)."""
    user._guichet_agent = getattr(user, "agent", None)


# The other spaces whose accounts log in through these pages add here a function giving a
# user's home in them, or None: the associations' members (associations/apps.py). The
# back-office does not import the apps above it.
OTHER_HOMES: list[Callable[[Any], str | None]] = []


def home_of(user) -> str | None:
    """Where an account works once logged in: an agent in the back-office, a member of an
    organisation in the associations' space; None for any other account, refused at login.

    Both log in through the same password and TOTP pages, so both spaces share one lock-out.
    """
    if agent_of(user) is not None:
        return reverse("backoffice:agenda")
    if not user.is_authenticated:
        return None
    return next((home for other in OTHER_HOMES if (home := other(user))), None)


def prefectures_of(user) -> QuerySet[Prefecture]:
    """The préfectures this user may see: their own; all for an administrator; none otherwise."""
    agent = agent_of(user)
    if agent is None:
        return Prefecture.objects.none()
    if agent.role == Role.ADMINISTRATOR:
        return Prefecture.objects.all()
    if agent.prefecture_id is None:  # an agent not yet given a préfecture sees none
        return Prefecture.objects.none()
    return Prefecture.objects.filter(pk=agent.prefecture_id)


def own_prefecture(user) -> Prefecture | None:
    """The one préfecture `prefectures_of(user)` holds for an agent of one préfecture, read with
    the agent (no query): what most agents' pages filter by. None for an administrator (they see
    all) and for anyone who sees none."""
    agent = agent_of(user)
    if agent is None or agent.role == Role.ADMINISTRATOR:
        return None
    return agent.prefecture


def prefecture_or_403(user, prefecture_id) -> Prefecture:
    prefecture = prefectures_of(user).filter(pk=prefecture_id).first()
    if prefecture is None:
        raise PermissionDenied
    return prefecture


def missing_step(request, profile) -> HttpResponse | None:
    """The way into the agents' and the members' pages, which share one login: the login page for
    an anonymous visitor, 403 for an account without `profile` there, the TOTP step for a session
    that typed only its password; None once all three are passed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "backoffice:login")
    if profile is None:
        raise PermissionDenied
    if not request.session.get(SECOND_FACTOR_SESSION_KEY):
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('backoffice:second_factor')}?{query}")
    return None


def agent_required(view=None, *, role: str = Role.AGENT):
    """Login, an agent profile with at least `role`, and the second factor of this session.

    Anonymous visitors go to the login page; a password-only session goes to the TOTP step;
    anyone else is refused. Pages show identities: never cached.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            agent = agent_of(request.user)
            # Nothing about the page, not even whether the role suffices, before the code.
            if (step := missing_step(request, agent)) is not None:
                return step
            if not agent.has_role(role):
                raise PermissionDenied
            request.agent = agent
            return view(request, *args, **kwargs)

        return never_cache(wrapped)

    return decorate(view) if view is not None else decorate
