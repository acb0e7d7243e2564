"""The Django admin, behind the back-office's own login (password, then TOTP), for national
administrators only (docs/decisions/0002-admin-behind-the-back-office-login.md).

Managers of a préfecture work in the back-office, whose every query is scoped to their
préfecture; the admin sees every préfecture, so only an agent of role administrator who typed
their code in this session opens it. Django's `is_staff` and `is_superuser` flags open nothing.
"""

import functools
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .access import SECOND_FACTOR_SESSION_KEY, agent_of
from .enums import Role


def is_national_administrator(user) -> bool:
    """An active account with an agent profile of role administrator (cached on the user: the
    admin asks for every model and button of a page)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_guichet_administrator", None)
    if cached is None:
        agent = agent_of(user)
        cached = agent is not None and agent.has_role(Role.ADMINISTRATOR)
        user._guichet_administrator = cached
    return cached


def second_factor_done(request) -> bool:
    return bool(request.session.get(SECOND_FACTOR_SESSION_KEY))


class GuichetAdminSite(admin.AdminSite):
    site_header = _("Guichet — administration nationale")
    site_title = _("Administration de Guichet")
    index_title = _("Administration")

    def has_permission(self, request):
        return (
            request.user.is_active
            and is_national_administrator(request.user)
            and second_factor_done(request)
        )

    def admin_view(self, view, cacheable=False):
        """Straight to the back-office's login step still missing; anyone logged in who is not
        an administrator is refused outright (403)."""
        checked = super().admin_view(view, cacheable)

        @functools.wraps(checked)
        def through_back_office_login(request, *args, **kwargs):
            missing = self.missing_step(request, request.get_full_path())
            return missing if missing is not None else checked(request, *args, **kwargs)

        return through_back_office_login

    def missing_step(self, request, next_url: str):
        """The redirection to the login step not done yet, None when all are; 403 for others."""
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, "backoffice:login")
        if not is_national_administrator(request.user):
            raise PermissionDenied
        if not second_factor_done(request):
            query = urlencode({"next": next_url})
            return redirect(f"{reverse('backoffice:second_factor')}?{query}")
        return None

    def login(self, request, extra_context=None):
        """The admin has no login of its own: the back-office's password and code pages."""
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get("next", "")
        if not next_url.startswith(index):
            next_url = index
        return self.missing_step(request, next_url) or redirect(next_url)

    def logout(self, request, extra_context=None):
        from .views.auth import logout

        return logout(request)


class AdministratorPermissions(BaseBackend):
    """Every model permission for national administrators, none for anyone else: the admin,
    the only place that asks, is itself closed to all but administrators with their code.

    Rights follow the agent's role, so changing a role in the admin changes them at once."""

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and is_national_administrator(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and is_national_administrator(user_obj)
