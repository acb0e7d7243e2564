"""Who may use the associations' space: an active member, logged in with the second factor."""

import functools
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache

from guichet.backoffice.access import SECOND_FACTOR_SESSION_KEY

from .models import Membership


def membership_of(user) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.active().filter(user=user).select_related("organisation").first()


def member_home(user) -> str | None:
    """The associations' space, for an active member (back-office login's `home_of`)."""
    return reverse("associations:people") if membership_of(user) else None


def member_required(view):
    """The same login and TOTP step as agents; `request.organisation` is the member's.

    Pages show people's identities: never cached.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "backoffice:login")
        membership = membership_of(request.user)
        if membership is None:
            raise PermissionDenied
        if not request.session.get(SECOND_FACTOR_SESSION_KEY):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('backoffice:second_factor')}?{query}")
        request.organisation = membership.organisation
        return view(request, *args, **kwargs)

    return never_cache(wrapped)
