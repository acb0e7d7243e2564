"""The four pages are plain templates; what differs between deployments (who runs the service,
who hosts it, whom to write to, the audit's date) comes from settings.GUICHET_OPERATOR, and the
retention periods from settings.GUICHET_RETENTION, so the pages never contradict the jobs."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guichet.privacy.retention import policy


def page(request, template: str, title: str, **context):
    return render(
        request,
        f"legal/{template}.html",
        {"title": title, "operator": settings.GUICHET_OPERATOR, **context},
    )


@require_GET
def legal_notice(request):
    return page(request, "legal_notice", _("Mentions légales"))


@require_GET
def personal_data(request):
    return page(request, "personal_data", _("Données personnelles"), retention=policy())


@require_GET
def accessibility(request):
    return page(request, "accessibility", _("Déclaration d'accessibilité"))


@require_GET
def sitemap(request):
    return page(request, "sitemap", _("Plan du site"))
