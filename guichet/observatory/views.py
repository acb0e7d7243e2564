import csv
import itertools
from pathlib import Path

from django.contrib import messages
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .chain import sha256_bytes
from .dossier import build_dossier, render_dossier_pdf, render_exhibits, render_letter
from .evidence import store_file
from .forms import DossierForm, PersonalTryForm
from .models import Check, Dossier
from .publication import chain_export, figures_json, published_figures


@require_GET
def index(request):
    by_target, by_department = published_figures()
    return render(
        request,
        "observatory/index.html",
        {
            "title": _("Observatoire des rendez-vous en préfecture"),
            "by_target": by_target,
            "by_department": by_department,
            "dossier_form": DossierForm(),
        },
    )


@require_GET
def export_json(request):
    by_target, by_department = published_figures()
    data = {
        "targets": figures_json(by_target),
        "departments": figures_json(by_department),
        "chain": list(chain_export()),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


class Echo:
    def write(self, value):
        return value


CSV_COLUMNS = ["sequence", "target", "checked_at", "outcome", "slot_count", "earliest"]


@require_GET
def export_csv(request):
    writer = csv.writer(Echo())
    header = [*CSV_COLUMNS, "department_code", "prefecture", "procedure", "record_hash"]
    rows = (
        [check.payload()[column] for column in CSV_COLUMNS]
        + [check.target.department_code, check.target.prefecture, check.target.procedure]
        + [check.record_hash]
        for check in Check.objects.select_related("target").order_by("sequence").iterator()
    )
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in itertools.chain([header], rows)), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="observatoire.csv"'
    return response


def dossier_create(request):
    form = DossierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dossier = form.save()
        return redirect("observatory:dossier", token=dossier.token)
    return render(
        request,
        "observatory/dossier_create.html",
        {"title": _("Constituer un dossier de preuves"), "form": form},
    )


def dossier_detail(request, token):
    dossier = get_object_or_404(Dossier, token=token)
    form = PersonalTryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        attempt = form.save(commit=False)
        attempt.dossier = dossier
        if upload := form.cleaned_data.get("upload"):
            data = upload.read()
            already = dossier.tries.filter(file_sha256=sha256_bytes(data)).first()
            if already:
                # Sent twice (a second click, a reload): the piece is in the dossier once.
                messages.info(
                    request,
                    _(
                        "Ce fichier est déjà dans le dossier (tentative du %(day)s) : "
                        "il n'a pas été ajouté une seconde fois."
                    )
                    % {"day": date_format(already.tried_on, "d/m/Y")},
                )
                return redirect("observatory:dossier", token=token)
            attempt.file, attempt.file_sha256 = store_file(data, upload_suffix(upload.name))
        attempt.save()
        messages.success(request, _("Votre démarche est ajoutée au dossier."))
        return redirect("observatory:dossier", token=token)
    contents = contents_of(dossier)
    return render(
        request,
        "observatory/dossier_detail.html",
        {
            "title": _("Dossier de preuves"),
            "dossier": dossier,
            "contents": contents,
            "figures": contents.figures,
            "form": form,
        },
    )


def upload_suffix(name: str) -> str:
    """The uploaded file's extension, kept so the stored file opens with the right program."""
    suffix = Path(name).suffix.lower().lstrip(".")
    return suffix if suffix.isascii() and suffix.isalnum() and len(suffix) <= 8 else "bin"


def contents_of(dossier: Dossier):
    return build_dossier(
        dossier.target, dossier.period_start, dossier.period_end, dossier.tries.all()
    )


@require_GET
def dossier_pdf(request, token):
    dossier = get_object_or_404(Dossier, token=token)
    response = HttpResponse(
        render_dossier_pdf(contents_of(dossier)), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="dossier-de-preuves.pdf"'
    return response


DRAFTS = {
    "letter": (render_letter, "lettre-au-prefet.txt"),
    "exhibits": (render_exhibits, "bordereau-des-pieces.txt"),
}


@require_GET
def dossier_draft(request, token, draft):
    dossier = get_object_or_404(Dossier, token=token)
    render_draft, filename = DRAFTS[draft]
    response = HttpResponse(
        render_draft(contents_of(dossier)), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
