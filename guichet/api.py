"""The public JSON API (OpenAPI at /api/docs). Each domain app adds its router here."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from guichet.booking.api import router as booking_router

api = NinjaAPI(
    title="Guichet",
    version="1",
    description="Demandes de rendez-vous au service des étrangers des préfectures.",
    urls_namespace="api",
)
api.add_router("/", booking_router)


def schema_error_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("Ce champ est obligatoire.")
    return _("Type de valeur incorrect.")


@api.exception_handler(ValidationError)
def payload_not_understood(request, error: ValidationError):
    """Malformed payloads get the same French error shape as every other refusal."""
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "payload")]
        errors.setdefault(location[0] if location else "body", []).append(
            schema_error_message(item)
        )
    return api.create_response(
        request,
        {"detail": _("La requête n'a pas la forme attendue."), "errors": errors},
        status=422,
    )


@api.exception_handler(HttpError)
def refused_by_the_framework(request, error: HttpError):
    """Django Ninja's own refusals (today: a body that is not JSON), in the same French shape."""
    detail = (
        _("Le corps de la requête n'est pas un JSON valide.")
        if error.status_code == 400
        else _("La requête a été refusée.")
    )
    return api.create_response(request, {"detail": detail, "errors": {}}, status=error.status_code)
