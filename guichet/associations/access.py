"""Who may use the associations' space: an active member, logged in with the second factor."""

import functools

from django.urls import reverse
from django.views.decorators.cache import never_cache

from guichet.backoffice.access import missing_step

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
        membership = membership_of(request.user)
        if (step := missing_step(request, membership)) is not None:
            return step
        request.organisation = membership.organisation
        return view(request, *args, **kwargs)

    return never_cache(wrapped)
