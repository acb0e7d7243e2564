import json

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guichet.booking.views.follow import applicant_page, request_by_token

from .export import as_json
from .export import held_data as held_sections
from .retention import erasable_on_request, erase_on_request


@applicant_page
@require_GET
def held_data(request, token):
    """Everything held about the request, readable, with the same content as the download."""
    booking_request = request_by_token(request, token)
    return render(
        request,
        "privacy/held_data.html",
        {
            "title": _("Vos données personnelles"),
            "booking_request": booking_request,
            "sections": held_sections(booking_request),
        },
    )


@applicant_page
@require_GET
def held_data_json(request, token):
    booking_request = request_by_token(request, token)
    body = json.dumps(as_json(held_sections(booking_request)), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="mes-donnees-{booking_request.number}.json"'
    )
    return response


@applicant_page
@require_http_methods(["GET", "POST"])
def erase(request, token):
    """A confirmation step, then the erasure; refused while an appointment is pending."""
    booking_request = request_by_token(request, token)
    erasable = erasable_on_request(booking_request)
    if request.method == "POST" and erasable:
        erase_on_request(booking_request)
        return redirect("privacy:erased")
    return render(
        request,
        "privacy/erase.html",
        {
            "title": _("Effacer mes données personnelles"),
            "booking_request": booking_request,
            "erasable": erasable,
        },
    )


@require_GET
def erased(request):
    return render(request, "privacy/erased.html", {"title": _("Vos données sont effacées")})
