import csv
import datetime
import itertools

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.protection.guard import client_ip

from .chain import sha256_bytes
from .charts import bucket_legend
from .dossier import build_dossier, render_exhibits, render_letter
from .dossier_pdf import PdfState, current_pdf, pdf_state, request_pdf
from .evidence import store_file
from .forms import DossierForm, PersonalTryForm
from .models import Bucket, Check, Dossier, PersonalTry
from .publication import chain_export, figures_json, published_figures

# Files a dossier may hold, and files one address may add in a day (any dossier): enough for a
# person's own pieces or an association's office, not for filling the disk.
MAX_FILES_PER_DOSSIER = 20
MAX_FILES_PER_SENDER_PER_DAY = 50


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
            "buckets": Bucket.labels,
            "legend": bucket_legend(),
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
    """Every check, with its bucket as a code and in La Cimade's words (empty: not placed)."""
    writer = csv.writer(Echo())
    header = [*CSV_COLUMNS, "bucket", "bucket_label", "rule"]
    header += ["department_code", "prefecture", "procedure", "record_hash"]
    rows = (
        [check.payload()[column] for column in CSV_COLUMNS]
        + [check.bucket, check.get_bucket_display(), check.rule]
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
    dossier = get_object_or_404(Dossier.objects.select_related("target"), token=token)
    form = PersonalTryForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.upload_data
        if data is not None:
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
        with transaction.atomic():
            # One upload at a time per dossier: two at once cannot both take the last place.
            Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier.pk).exists()
            refusal, status = upload_refusal(request, dossier) if data is not None else ("", 200)
            if not refusal:
                attempt = form.save(commit=False)
                attempt.dossier = dossier
                if data is not None:
                    attempt.file, attempt.file_sha256 = store_file(data, form.upload_suffix)
                    attempt.sent_from = sender_key(request)
                attempt.save()
        if not refusal:
            messages.success(request, _("Votre démarche est ajoutée au dossier."))
            return redirect("observatory:dossier", token=token)
        form.add_error("upload", refusal)
    contents = contents_of(dossier)
    response = render(
        request,
        "observatory/dossier_detail.html",
        {
            "title": _("Dossier de preuves"),
            "dossier": dossier,
            "contents": contents,
            "figures": contents.figures,
            "form": form,
            "pdf": pdf_state(dossier).value,
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(seconds_until_tomorrow())
    return response


def sender_key(request) -> str:
    """The sender's address, keyed and hashed: enough to count, useless to find anyone."""
    return salted_hmac(
        "guichet.observatory.sender", client_ip(request), algorithm="sha256"
    ).hexdigest()


def start_of_today() -> datetime.datetime:
    return datetime.datetime.combine(
        timezone.localdate(), datetime.time.min, timezone.get_current_timezone()
    )


def seconds_until_tomorrow() -> int:
    tomorrow = start_of_today() + datetime.timedelta(days=1)
    return max(1, int((tomorrow - timezone.now()).total_seconds()))


def upload_refusal(request, dossier: Dossier) -> tuple[str, int]:
    """Why this file may not be added now (and the status to answer), or ("", 200)."""
    if dossier.tries.exclude(file="").count() >= MAX_FILES_PER_DOSSIER:
        return (
            _(
                "Ce dossier contient déjà %(count)d fichiers, le maximum. Ajoutez cette "
                "tentative sans fichier, ou regroupez plusieurs captures dans un seul PDF."
            )
            % {"count": MAX_FILES_PER_DOSSIER},
            200,
        )
    sent_today = PersonalTry.objects.filter(
        sent_from=sender_key(request), added_at__gte=start_of_today()
    ).count()
    if sent_today >= MAX_FILES_PER_SENDER_PER_DAY:
        return (
            _(
                "%(count)d fichiers ont déjà été envoyés aujourd'hui depuis votre connexion, "
                "le maximum par jour. Réessayez demain, ou ajoutez cette tentative sans fichier."
            )
            % {"count": MAX_FILES_PER_SENDER_PER_DAY},
            429,
        )
    return "", 200


def contents_of(dossier: Dossier):
    return build_dossier(
        dossier.target, dossier.period_start, dossier.period_end, dossier.tries.all()
    )


@require_GET
def dossier_pdf(request, token):
    """The stored PDF, at once, if it shows the dossier as it is; else back to the dossier."""
    dossier = get_object_or_404(Dossier.objects.select_related("target"), token=token)
    path = current_pdf(dossier)
    if path is None:
        messages.info(request, _("Le PDF n'est pas encore prêt pour ce dossier tel qu'il est."))
        return redirect(dossier_url(dossier))
    response = HttpResponse(path.read_bytes(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="dossier-de-preuves.pdf"'
    return response


@require_POST
def dossier_pdf_prepare(request, token):
    """« Préparer le PDF »: the worker builds it; the page says when it is ready."""
    dossier = get_object_or_404(Dossier.objects.select_related("target"), token=token)
    if request_pdf(dossier) is PdfState.READY:
        messages.info(request, _("Le PDF de ce dossier est prêt."))
    return redirect(dossier_url(dossier))


def dossier_url(dossier: Dossier) -> str:
    return reverse("observatory:dossier", args=[dossier.token]) + "#pdf"


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
