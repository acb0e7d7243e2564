"""Everything Guichet holds about one request, for the person it belongs to (RGPD art. 15).

The pending confirmation code is the one field left out: it proves access to the mailbox or
phone, which the holder of the link may not have.

One structure feeds both the JSON download and the readable page, so they never differ. It holds
the request's own fields, history, appointment, offers, messages, dispute, mandates, the documents
sent (their states; the files themselves are on the documents page) and the agents' journal lines
about it, and nothing about anyone else: a line that names another request (a dispute's contested
request, an agent's identity) keeps its fact and drops that name.
"""

import dataclasses
import datetime
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from guichet.backoffice.enums import JournalAction
from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import Channel, EventKind, OfferStatus, RequestStatus
from guichet.booking.models import Appointment, Dispute, Request
from guichet.documents.enums import DocumentState, RedoReason
from guichet.documents.models import Document
from guichet.notifications.services import rendered

from .retention import retention_date

# What a history or journal line may carry to the person: facts about their own request only.
# Ids are internal; `cancelled`, `restored` and `kept` name other requests, `user` an agent.
SHOWN_DETAIL = ("channel", "by", "reason", "note", "proof", "starts_at", "releases")


@dataclasses.dataclass
class Section:
    key: str
    title: str
    fields: list[tuple[str, str, object]] = dataclasses.field(default_factory=list)
    rows: list[dict] = dataclasses.field(default_factory=list)
    columns: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def plain(value):
    """JSON-ready: dates in ISO 8601, labels as text, the rest as is."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


def shown_detail(detail: dict) -> dict:
    return {key: detail[key] for key in SHOWN_DETAIL if key in detail}


def held_data(request: Request) -> list[Section]:
    request = Request.objects.select_related("prefecture", "service").get(pk=request.pk)
    identity = Section(
        "identity",
        _("Identité"),
        fields=[
            ("family_name", _("Nom de famille"), request.family_name),
            ("given_names", _("Prénoms"), request.given_names),
            ("birth_date", _("Date de naissance"), request.birth_date),
            ("nationality", _("Nationalité"), request.nationality),
            ("permit_number", _("Numéro étranger"), request.permit_number),
            ("passport_number", _("Numéro de passeport"), request.passport_number),
            ("permit_expires_on", _("Date d'expiration du titre"), request.permit_expires_on),
            # Hashes of the above: how one person holds one place in line (docs/decisions/0004).
            ("identity_key", _("Empreinte de l'identité"), request.identity_key),
            ("person_key", _("Empreinte du nom et de la date de naissance"), request.person_key),
        ],
    )
    contact = Section(
        "contact",
        _("Coordonnées et préférences"),
        fields=[
            ("email", _("Adresse électronique"), request.email),
            ("phone", _("Téléphone mobile"), request.phone),
            ("pending_email", _("Nouvelle adresse à confirmer"), request.pending_email),
            ("pending_phone", _("Nouveau téléphone à confirmer"), request.pending_phone),
            ("contact_verified_at", _("Coordonnées confirmées le"), request.contact_verified_at),
            ("accepts_offers", _("Accepte des dates plus proches"), request.accepts_offers),
            ("language", _("Langue des messages"), request.language),
        ],
    )
    kept_until = retention_date(request)
    demand = Section(
        "request",
        _("Demande"),
        fields=[
            ("number", _("Numéro"), request.number),
            ("prefecture", _("Préfecture"), str(request.prefecture)),
            ("service", _("Démarche"), request.service.name),
            ("channel", _("Canal"), Channel(request.channel).label),
            ("status", _("Statut"), RequestStatus(request.status).label),
            ("registered_at", _("Enregistrée le"), request.registered_at),
            ("deadline", _("Échéance"), request.deadline),
            ("sites", _("Sites acceptés"), ", ".join(s.name for s in request.sites.all())),
            ("retention_date", _("Données effacées le"), kept_until),
        ],
    )
    appointment = Appointment.objects.select_related("unit__site").filter(request=request).first()
    if appointment:
        demand.fields += [
            ("appointment_at", _("Rendez-vous le"), appointment.unit.starts_at),
            ("appointment_site", _("Lieu du rendez-vous"), appointment.unit.site.name),
        ]
    history = Section(
        "history",
        _("Historique de la demande"),
        columns=[("at", _("Date")), ("event", _("Événement")), ("detail", _("Précisions"))],
        rows=[
            {"at": e.at, "event": EventKind(e.kind).label, "detail": shown_detail(e.detail)}
            for e in request.events.all()
        ],
    )
    offers = Section(
        "offers",
        _("Dates plus proches proposées"),
        columns=[("made_at", _("Proposée le")), ("starts_at", _("Date")), ("status", _("Suite"))],
        rows=[
            {
                "made_at": o.made_at,
                "starts_at": o.unit.starts_at,
                "status": OfferStatus(o.status).label,
            }
            for o in request.offers.select_related("unit")
        ],
    )
    messages = Section(
        "messages",
        _("Messages envoyés"),
        columns=[
            ("created_at", _("Le")),
            ("channel", _("Canal")),
            ("to", _("Destinataire")),
            ("subject", _("Objet")),
            ("body", _("Texte")),
        ],
        rows=[
            {
                "created_at": m.created_at,
                "channel": m.channel,
                "to": m.to,
                "subject": m.subject,
                "body": m.body,
            }
            # A message queued by a batch is written when first sent (notifications): written
            # now, once, as it will be sent, so that the person reads what they will receive.
            for m in map(rendered, request.messages.order_by("created_at", "id"))
        ],
    )
    dispute = Dispute.objects.filter(request=request).first()
    disputes = Section(
        "dispute",
        _("Contestation « Ce n'est pas moi »"),
        columns=[("opened_at", _("Déposée le")), ("account", _("Récit")), ("status", _("Suite"))],
        rows=[
            {"opened_at": dispute.opened_at, "account": dispute.account, "status": dispute.status}
        ]
        if dispute
        else [],
    )
    mandates = Section(
        "mandates",
        _("Mandats donnés à une association"),
        columns=[
            ("organisation", _("Association")),
            ("person_name", _("Nom indiqué")),
            ("granted_at", _("Donné le")),
            ("ends_on", _("Prend fin le")),
        ],
        rows=[
            {
                "organisation": m.organisation.name,
                "person_name": m.person_name,
                "granted_at": m.granted_at,
                "ends_on": m.ends_on,
            }
            for m in request.mandates.select_related("organisation")
        ],
    )
    documents = Section(
        "documents",
        _("Documents envoyés avant le rendez-vous"),
        columns=[
            ("document", _("Document")),
            ("state", _("État")),
            ("sent_at", _("Envoyé le")),
            ("file_kept", _("Fichier conservé")),
            ("reason", _("Raison si à refaire")),
            ("note", _("Précision de l'agent")),
        ],
        rows=[
            {
                "document": d.requirement.name,
                "state": DocumentState(d.state).label,
                "sent_at": d.sent_at,
                "file_kept": bool(d.file),
                "reason": RedoReason(d.reason).label if d.reason else "",
                "note": d.note,
            }
            for d in Document.objects.filter(dossier__request=request).select_related("requirement")
        ],
    )
    journal = Section(
        "journal",
        _("Actions des agents sur la demande"),
        columns=[("at", _("Date")), ("action", _("Action")), ("detail", _("Précisions"))],
        rows=[
            {"at": j.at, "action": JournalAction(j.action).label, "detail": shown_detail(j.detail)}
            for j in JournalEntry.objects.filter(request=request).order_by("at", "id")
        ],
    )
    return [
        identity,
        contact,
        demand,
        history,
        offers,
        messages,
        disputes,
        mandates,
        documents,
        journal,
    ]


def as_json(sections: list[Section]) -> dict:
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for section in sections:
        if section.fields:
            data[section.key] = {key: plain(value) for key, _label, value in section.fields}
        else:
            data[section.key] = [{k: plain(v) for k, v in row.items()} for row in section.rows]
    return data
