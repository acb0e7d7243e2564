import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guichet.catalogue.models import Prefecture, Service

from . import opendata
from .disclosure import published, threshold
from .figures import Scope, queue_figures
from .models import Snapshot
from .presentation import comparison, scope_page

# Figures change once a day: proxies and browsers may keep the data files an hour. Not the
# pages: they may carry a message meant for one visitor, and a nonce of their own.
PUBLIC_CACHE = "public, max-age=3600"


def latest_figures(code: str, kind: str, scope: Scope) -> tuple[dict, object]:
    """The scope's latest daily snapshot, published; computed now when none was taken yet
    (a new préfecture before the first daily run)."""
    snapshot = Snapshot.objects.filter(department_code=code, service_kind=kind).first()
    if snapshot is None:
        return published(queue_figures(scope)), None
    return published(snapshot.figures), snapshot.taken_at


def cached(response):
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@require_GET
def national(request):
    prefectures = list(Prefecture.objects.all())
    rows = [
        (p.department_code, p.name, latest_figures(p.department_code, "", Scope(p.pk))[0])
        for p in prefectures
    ]
    figures, taken_at = latest_figures("", "", Scope())
    context = {
        "title": _("La file d'attente en clair"),
        "taken_at": taken_at,
        "national": scope_page(figures),
        "threshold": threshold(),
        **comparison(rows),
    }
    return render(request, "transparency/national.html", context)


@require_GET
def prefecture(request, code):
    prefecture = get_object_or_404(Prefecture, department_code=code)
    figures, taken_at = latest_figures(code, "", Scope(prefecture.pk))
    context = {
        "title": _("File d'attente : %(name)s") % {"name": prefecture.name},
        "prefecture": prefecture,
        "services": prefecture.services.all(),
        "taken_at": taken_at,
        "threshold": threshold(),
        **scope_page(figures),
    }
    return render(request, "transparency/scope.html", context)


@require_GET
def service(request, code, kind):
    service = get_object_or_404(
        Service.objects.select_related("prefecture"), prefecture__department_code=code, kind=kind
    )
    figures, taken_at = latest_figures(code, kind, Scope(service.prefecture_id, service.pk))
    context = {
        "title": _("File d'attente : %(service)s — %(name)s")
        % {"service": service.name, "name": service.prefecture.name},
        "prefecture": service.prefecture,
        "service": service,
        "taken_at": taken_at,
        "threshold": threshold(),
        **scope_page(figures),
    }
    return render(request, "transparency/scope.html", context)


@require_GET
def open_data(request):
    context = {
        "title": _("Données ouvertes de la file d'attente"),
        "threshold": threshold(),
        "columns": opendata.columns(),
        "licence": opendata.LICENCE,
        "days": Snapshot.objects.dates("day", "day").count(),
    }
    return render(request, "transparency/open_data.html", context)


def snapshots():
    return Snapshot.objects.order_by("day", "department_code", "service_kind").iterator()


@require_GET
def open_data_csv(request):
    response = HttpResponse(opendata.as_csv(snapshots()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="file-attente.csv"'
    return cached(response)


@require_GET
def open_data_json(request):
    schema_url = request.build_absolute_uri(reverse("transparency:open_data_schema"))
    return cached(
        JsonResponse(
            opendata.as_json(snapshots(), schema_url),
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
    )


@require_GET
def open_data_schema(request):
    body = json.dumps(opendata.table_schema(), ensure_ascii=False, indent=1)
    return cached(HttpResponse(body, content_type="application/json; charset=utf-8"))
