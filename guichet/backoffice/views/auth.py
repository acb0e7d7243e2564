"""Logging in, for agents and members of organisations alike: password, then a TOTP code
(enrolled at the first login); each lands in their own space."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout as log_out
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import journal
from ..access import SECOND_FACTOR_SESSION_KEY, agent_of, home_of
from ..admin_site import is_national_administrator
from ..auth import CodeRefused, check_code, provisioning_qr_svg, second_factor_of, secret_in_groups
from ..forms.auth import CodeForm, LoginForm
from ..sessions import session_limits_text

# The spaces one logs in to: the agents' back-office and the associations' space.
SPACES = ("backoffice:agenda", "associations:people")


def spaces_of(user) -> list[str]:
    """The paths an account may be sent to after logging in, its home first: its own space, and
    the admin for national administrators; before the account is known, any of them."""
    if not user.is_authenticated:
        return [reverse(name) for name in SPACES] + [reverse("admin:index")]
    home = home_of(user)
    spaces = [home] if home else []
    if is_national_administrator(user):
        spaces.append(reverse("admin:index"))
    return spaces or [reverse(name) for name in SPACES]


def back_office_next(request) -> str:
    """Where to go once logged in: `next` if it is a page of the account's own space here (of
    any space before the account is known), else the home of that space."""
    homes = spaces_of(request.user)
    target = request.POST.get("next") or request.GET.get("next") or ""
    never = {reverse("backoffice:login"), reverse("backoffice:second_factor")}
    if (
        url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and any(target.startswith(space) for space in homes)
        and target.split("?")[0] not in never
    ):
        return target
    return homes[0]


class Login(LoginView):
    template_name = "backoffice/login.html"
    authentication_form = LoginForm
    extra_context = {"title": gettext_lazy("Connexion des agents et des associations")}

    def form_valid(self, form):
        super().form_valid(form)
        # A new login always asks for a new code, even if this browser had one before.
        self.request.session.pop(SECOND_FACTOR_SESSION_KEY, None)
        query = urlencode({"next": back_office_next(self.request)})
        return redirect(f"{reverse('backoffice:second_factor')}?{query}")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "next": back_office_next(self.request),
            "session_limits": session_limits_text(),
        }


@never_cache
def second_factor(request):
    """The TOTP step after the password; at the first login, enrolment of the app first."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "backoffice:login")
    if home_of(request.user) is None:
        raise PermissionDenied
    factor = second_factor_of(request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            check_code(request.user, form.cleaned_data["code"])
        except CodeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            request.session.cycle_key()
            request.session[SECOND_FACTOR_SESSION_KEY] = True
            agent = agent_of(request.user)
            journal.log_signed_in(request.user, agent and agent.prefecture)
            return redirect(back_office_next(request))
    context = {
        "title": _("Code de connexion"),
        "form": form,
        "next": back_office_next(request),
        "enrolling": factor.confirmed_at is None,
    }
    if context["enrolling"]:
        context.update(qr_svg=provisioning_qr_svg(factor), secret=secret_in_groups(factor.secret))
    return render(request, "backoffice/second_factor.html", context)


@require_POST
def logout(request):
    log_out(request)
    messages.info(request, _("Vous êtes déconnecté(e)."))
    return redirect("backoffice:login")
