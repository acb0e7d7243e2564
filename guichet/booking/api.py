"""Public intake as JSON: the same rules as the web pages."""

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from guichet.catalogue.models import Prefecture
from guichet.protection.challenges import new_challenge, set_client_cookie
from guichet.protection.guard import ChallengeRefused, RateLimited, guard_submission

from . import validation
from .enums import Channel
from .services import register_request

router = Router(tags=["demandes"])


class PrefectureOut(Schema):
    code: str = Field(description="Code du département, par exemple « 94 » ou « 974 ».")
    name: str = Field(description="Nom de la préfecture.")
    time_zone: str = Field(description="Fuseau horaire des dates de cette préfecture (IANA).")


class SiteOut(Schema):
    id: int = Field(description="Identifiant à donner dans `sites` pour accepter ce lieu.")
    name: str
    kind: str = Field(description="prefecture, sous_prefecture, annex ou university.")
    address: str


class ServiceOut(Schema):
    id: int = Field(description="Identifiant du motif, à donner dans `service`.")
    kind: str = Field(description="Type de motif, par exemple first_permit ou renewal.")
    name: str
    duration_minutes: int = Field(description="Durée du rendez-vous.")
    documents: list[str] = Field(description="Pièces à apporter au rendez-vous.")
    needs_permit_number: bool = Field(
        description=(
            "Si vrai, `permit_number` (numéro étranger, 10 chiffres) est obligatoire ; sinon, "
            "`passport_number`."
        )
    )
    deadline_kind: str = Field(
        description=(
            "none, permit_expiry ou receipt_expiry. Sauf none, `permit_expires_on` est "
            "obligatoire : c'est l'échéance légale qui donne la priorité de la demande."
        )
    )
    sites: list[SiteOut] = Field(description="Lieux où la préfecture reçoit.")


class RequestIn(Schema):
    prefecture: str = Field(description="Code du département de la préfecture.")
    service: int = Field(description="Identifiant du motif (voir /prefectures/{code}/services).")
    family_name: str = Field("", description="Nom de famille, 100 caractères au plus.")
    given_names: str = Field("", description="Prénoms, 150 caractères au plus.")
    birth_date: str = Field("", description="Date de naissance, AAAA-MM-JJ.")
    nationality: str = Field("", description="Nationalité, 100 caractères au plus.")
    permit_number: str = Field(
        "", description="Numéro étranger, 10 chiffres, quand le motif le demande."
    )
    passport_number: str = Field(
        "",
        description=(
            "Numéro du passeport ou du document de voyage, obligatoire quand le motif ne demande "
            "pas de numéro étranger : lettres et chiffres (5 à 20), espaces et tirets ignorés. "
            "Avec le nom et la date de naissance, il fait l'identité qui tient une place."
        ),
    )
    email: str = Field("", description="Adresse électronique. Au moins e-mail ou téléphone.")
    phone: str = Field(
        "", description="Portable français (06, 07, +33, ou outre-mer +262/+590/+594/+596/+269)."
    )
    permit_expires_on: str = Field(
        "", description="Fin de validité du titre ou du récépissé, AAAA-MM-JJ, si le motif en a."
    )
    sites: list[int] = Field(default_factory=list, description="Lieux acceptés, au moins un.")
    altcha: str = Field(
        "",
        description=(
            "Preuve de travail ALTCHA : JSON en base64 {algorithm, challenge, number, salt, "
            "signature} pour un défi obtenu par GET /defi. Chaque défi ne sert qu'une fois, "
            "dans les 5 minutes, depuis la même connexion et avec le cookie que /defi a posé."
        ),
    )


class RequestOut(Schema):
    number: str = Field(description="Numéro de la demande, à rappeler à la préfecture.")
    status: str
    registered_at: datetime.datetime = Field(description="Heure d'enregistrement : la preuve.")
    receipt_url: str = Field(description="Attestation d'enregistrement (lien secret).")
    status_url: str = Field(
        description=(
            "Suivi de la demande (lien secret) : la saisie du code envoyé aux coordonnées, puis "
            "la place dans la file."
        )
    )


class ErrorOut(Schema):
    detail: str = Field(description="Ce qui ne va pas, en français.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages par champ, en français."
    )


class ChallengeOut(Schema):
    algorithm: str
    challenge: str
    maxNumber: int  # noqa: N815 - the name ALTCHA solvers expect
    salt: str
    signature: str


@router.get("/prefectures", response=list[PrefectureOut], summary="Préfectures")
def list_prefectures(request):
    return [
        {"code": p.department_code, "name": p.name, "time_zone": p.time_zone}
        for p in Prefecture.objects.all()
    ]


@router.get(
    "/prefectures/{code}/services",
    response={200: list[ServiceOut], 404: ErrorOut},
    summary="Motifs ouverts aux demandes d'une préfecture",
)
def list_services(request, code: str):
    try:
        prefecture = validation.find_prefecture(code)
    except ValidationError as error:
        return Status(404, {"detail": error.messages[0], "errors": {"prefecture": error.messages}})
    sites = list(prefecture.sites.all())
    return [
        {
            "id": service.pk,
            "kind": service.kind,
            "name": service.name,
            "duration_minutes": service.duration_minutes,
            "documents": service.document_list,
            "needs_permit_number": service.needs_permit_number,
            "deadline_kind": service.deadline_kind,
            "sites": sites,
        }
        for service in prefecture.services.filter(active=True)
    ]


@router.get("/defi", response=ChallengeOut, summary="Nouveau défi anti-robots (ALTCHA)")
def challenge(request, response: HttpResponse, prefecture: str = ""):
    """Trouver n tel que sha256(salt + n) = challenge, puis l'envoyer dans `altcha`.

    `prefecture` : code du département de la demande à venir ; sans lui, le défi est au niveau
    de toutes les préfectures ensemble, souvent plus difficile. La difficulté (`maxNumber`)
    augmente avec le nombre récent de demandes. Renvoyer le cookie posé ici avec la demande.
    """
    response["Cache-Control"] = "no-store"
    challenge, cookie = new_challenge(request, prefecture)
    set_client_cookie(response, request, cookie)
    return challenge


@router.post(
    "/demandes",
    response={
        201: RequestOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Enregistrer une demande de rendez-vous",
)
def create_request(request, payload: RequestIn, response: HttpResponse):
    """Enregistre la demande et renvoie son numéro ; une personne n'a qu'une place par file.

    201 : demande enregistrée, en attente de la confirmation des coordonnées (un code y est
    envoyé). La réponse est la même, qu'une demande existe déjà ou non pour cette identité
    (nom, prénoms, date de naissance, numéro de document) : c'est à la confirmation que la
    demande entre dans la file, ou, si l'identité y a déjà sa place, qu'elle est close comme
    doublon ; sa page de suivi le dit alors, et la personne de la demande existante est
    prévenue à ses propres coordonnées.
    422 : informations à corriger (`errors` par champ). 404 : préfecture ou motif inconnu.
    403 : défi anti-robots absent, faux, expiré ou déjà utilisé. 429 : trop de demandes,
    réessayer après `Retry-After` secondes. Rien n'est enregistré en cas d'erreur.
    """
    try:
        intake = validation.validate_intake(payload.model_dump())
    except validation.IntakeInvalid as invalid:
        detail = (
            _("Préfecture ou motif inconnu.")
            if invalid.unknown
            else _("Certaines informations sont à corriger.")
        )
        return Status(404 if invalid.unknown else 422, {"detail": detail, "errors": invalid.errors})
    try:
        guard_submission(
            request,
            altcha_payload=payload.altcha,
            contacts=intake.contacts,
            prefecture=intake.service.prefecture.department_code,
        )
    except ChallengeRefused as refusal:
        return Status(403, {"detail": str(refusal), "errors": {"altcha": [str(refusal)]}})
    except RateLimited as limited:
        response["Retry-After"] = str(limited.retry_after)
        return Status(429, {"detail": str(limited), "errors": {}})
    registered, _created = register_request(
        service=intake.service, applicant=intake.applicant, sites=intake.sites, channel=Channel.API
    )
    token = registered.access_token

    def secret(name):
        return request.build_absolute_uri(reverse(name, args=[token]))

    return Status(
        201,
        {
            "number": registered.number,
            "status": registered.status,
            "registered_at": registered.registered_at,
            "receipt_url": secret("booking:receipt"),
            "status_url": secret("booking:status"),
        },
    )
