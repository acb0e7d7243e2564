"""Sending documents before the visit, and checking them: the rules, in agents' words.

A person (or the association under a live mandate, or an agent for what came by post) sends one
file per document of the list; agents of the préfecture check each one — accepted, missing or to
redo with a reason — nearest appointment first, aiming at `REVIEW_DAYS_BEFORE` days before it;
the person is told at once what to add or redo and by when.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.backoffice import journal
from guichet.booking.enums import ACTIVE_STATUSES, RequestStatus
from guichet.booking.models import Request
from guichet.booking.services import appointment_of
from guichet.catalogue import cache

from . import storage
from .enums import COMPLETE_STATES, Decision, DocumentState, EventKind, RedoReason, Sender
from .models import Document, DocumentEvent, Dossier, Requirement

# Agents aim at checking a dossier at least this many days before its appointment.
REVIEW_DAYS_BEFORE = 7
# And ask the person to add or redo a document at least this many days before it, so that a
# second check is still possible.
ANSWER_DAYS_BEFORE = 3
# Files one dossier may receive in a day, whoever sends them: enough to redo a whole list.
MAX_FILES_PER_DAY = 30


class SendingRefused(Exception):
    """Why a file may not be added now, in plain French."""


def change_list(requirement: Requirement, *, manager) -> Requirement:
    """A manager adds or changes a document of a service's list: saved, and journaled."""
    with transaction.atomic():
        requirement.save()
        publish_list(requirement.service)
        journal.log_document_list_changed(manager, requirement.service, document=requirement.name)
    return requirement


def publish_list(service) -> None:
    """The service's « pièces à apporter », which the receipt, its calendar entry and the intake
    API show, written from the list the documents are checked against: one list, never two."""
    lines = [
        f"{requirement.name} ({requirement.condition})"
        if requirement.condition
        else requirement.name
        for requirement in requirements_of(service)
    ]
    service.documents = "\n".join(lines)
    service.save(update_fields=["documents"])


def requirements_of(service) -> list[Requirement]:
    return list(Requirement.objects.filter(service=service, active=True))


def dossier_of(request: Request) -> Dossier:
    """The request's dossier, with one document per requirement its service asks for now."""
    dossier, _created = Dossier.objects.get_or_create(request=request)
    have = set(dossier.documents.values_list("requirement_id", flat=True))
    missing = [r for r in requirements_of(request.service) if r.pk not in have]
    if missing:
        Document.objects.bulk_create(
            [Document(dossier=dossier, requirement=r) for r in missing], ignore_conflicts=True
        )
    return dossier


def checklist(dossier: Dossier) -> list[Document]:
    """The documents of the list in force, in its order."""
    return list(
        dossier.documents.filter(requirement__active=True)
        .select_related("requirement", "dossier__request")
        .order_by("requirement__position", "requirement_id")
    )


def is_complete(states: list[str]) -> bool:
    """Every document of a list accepted, or declared not concerned (a condition not met)."""
    return bool(states) and all(state in COMPLETE_STATES for state in states)


def may_send(request: Request) -> bool:
    """Documents are sent while the request is still going somewhere, before its visit."""
    return request.status in ACTIVE_STATUSES


def appointment_day(request: Request) -> datetime.date | None:
    if request.status != RequestStatus.DATED or (appointment := appointment_of(request)) is None:
        return None
    return timezone.localdate(appointment.unit.starts_at, request.prefecture.tz)


def review_target(request: Request) -> datetime.date | None:
    """The day agents aim to have checked this dossier by."""
    day = appointment_day(request)
    return day - datetime.timedelta(days=REVIEW_DAYS_BEFORE) if day else None


def answer_by(request: Request, today: datetime.date) -> datetime.date | None:
    """By when the person should add or redo a document: a few days before the appointment,
    or the day before it when that is already past; None without a date."""
    day = appointment_day(request)
    if day is None:
        return None
    wanted = day - datetime.timedelta(days=ANSWER_DAYS_BEFORE)
    return wanted if wanted > today else max(today, day - datetime.timedelta(days=1))


def dossier_progress(request: Request, states: list[str]) -> dict:
    """Where a dossier stands, said alike on the status page and on the dossier's own pages:
    complete or not, how many documents are accepted out of how many, whether the person may
    still send, and by when."""
    today = timezone.localdate(timezone=request.prefecture.tz)
    return {
        "complete": is_complete(states),
        "accepted": sum(state == "accepted" for state in states),
        "total": len(states),
        "may_send": may_send(request),
        "answer_by": answer_by(request, today),
    }


def sent_today(dossier: Dossier, now) -> int:
    start = timezone.localtime(now, dossier.request.prefecture.tz).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    files = dossier.events.filter(kind__in=[EventKind.SENT, EventKind.RECEIVED_BY_POST])
    return files.filter(at__gte=start).count()


def send_document(
    document: Document, data: bytes, suffix: str, *, sender: str, user=None, now=None
) -> Document:
    """Keep `data` (already checked and cleaned, `guichet.uploads`) as this document's file,
    replacing the one sent before; it waits for an agent's check again.

    Refused (`SendingRefused`, nothing stored) once the request is closed or the dossier had its
    day's files."""
    now = now or timezone.now()
    relative = storage.store(data, suffix)
    try:
        return _keep(document, relative, len(data), suffix, sender=sender, user=user, now=now)
    except BaseException:
        # A change that did not hold leaves no file behind.
        storage.remove([relative])
        raise


def _keep(original: Document, relative: str, size: int, suffix: str, *, sender, user, now):
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("request__prefecture")
            .get(pk=original.dossier_id)
        )
        if not may_send(dossier.request):
            raise SendingRefused(
                _("Cette demande est close : il n'est plus possible d'envoyer des documents.")
            )
        if sent_today(dossier, now) >= MAX_FILES_PER_DAY:
            raise SendingRefused(
                _(
                    "%(n)d fichiers ont déjà été envoyés aujourd'hui pour ce dossier : "
                    "réessayez demain, ou apportez le document le jour du rendez-vous."
                )
                % {"n": MAX_FILES_PER_DAY}
            )
        document = (
            Document.objects.select_for_update(of=("self",))
            .select_related("requirement")
            .get(pk=original.pk)
        )
        previous = document.file
        document.file, document.file_kind, document.file_bytes = relative, suffix, size
        document.state = DocumentState.SENT
        document.sent_at, document.sent_by = now, sender
        document.reviewed_at, document.reviewed_by = None, None
        document.reason, document.note = "", ""
        document.save()
        document.dossier = dossier
        if dossier.bring_on_the_day:
            Dossier.objects.filter(pk=dossier.pk).update(bring_on_the_day=False)
        if sender == Sender.POST:
            DocumentEvent.received_by_post(document, user=user, replaced=bool(previous), at=now)
            journal.log_document_received_by_post(
                user, dossier.request, document=document.requirement.name
            )
        else:
            DocumentEvent.sent(document, sender=sender, user=user, replaced=bool(previous), at=now)
        # The file replaced goes once the change holds.
        transaction.on_commit(lambda: storage.remove([previous]))
    return document


def declare_not_concerned(document: Document, *, user=None, now=None) -> bool:
    """« Ne me concerne pas », for a document asked only under a condition; False otherwise."""
    if not document.requirement.condition or not may_send(document.dossier.request):
        return False
    with transaction.atomic():
        changed = (
            Document.objects.filter(pk=document.pk)
            .exclude(state=DocumentState.ACCEPTED)
            .update(state=DocumentState.NOT_CONCERNED)
        )
        if changed:
            DocumentEvent.not_concerned(document, user=user, at=now)
    return bool(changed)


def bring_everything_on_the_day(dossier: Dossier, *, user=None, now=None) -> None:
    with transaction.atomic():
        if Dossier.objects.filter(pk=dossier.pk, bring_on_the_day=False).update(
            bring_on_the_day=True
        ):
            DocumentEvent.bring_on_the_day(dossier, user=user, at=now)


@dataclasses.dataclass(frozen=True)
class Check:
    """An agent's decision on one document: the reason and note only for « à refaire »
    (a note may also say what is missing)."""

    document: Document
    decision: str
    reason: str = ""
    note: str = ""


def record_checks(dossier: Dossier, checks: list[Check], *, agent, now=None) -> list[Document]:
    """Apply an agent's decisions, journal them (one line for the whole check), and tell the
    person at once what to add or redo and by when (one message). Returns the documents
    changed."""
    from .notifications import tell_checked

    now = now or timezone.now()
    changed = []
    with transaction.atomic():
        Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier.pk).exists()
        for check in checks:
            document = Document.objects.select_for_update(of=("self",)).get(
                pk=check.document.pk, dossier=dossier
            )
            reason = check.reason if check.decision == Decision.REDO else ""
            if check.decision == Decision.REDO and not reason:
                reason = RedoReason.OTHER
            if (document.state, document.reason, document.note) == (
                check.decision,
                reason,
                check.note,
            ):
                continue
            document.state, document.reason, document.note = check.decision, reason, check.note
            document.reviewed_at, document.reviewed_by = now, agent
            document.save()
            document.requirement = check.document.requirement
            document.dossier = dossier
            DocumentEvent.reviewed(document, user=agent, at=now)
            changed.append(document)
        if changed:
            journal.log_documents_checked(
                agent,
                dossier.request,
                accepted=sum(d.state == Decision.ACCEPTED for d in changed),
                redo=sum(d.state == Decision.REDO for d in changed),
                missing=sum(d.state == Decision.MISSING for d in changed),
            )
            Dossier.objects.filter(pk=dossier.pk).update(reviews=F("reviews") + 1)
            dossier.refresh_from_db(fields=["reviews"])
            tell_checked(dossier, checklist(dossier), now=now)
    return changed


def review_queue(prefectures, now=None):
    """Dossiers with documents waiting for a check, of requests dated in these préfectures,
    nearest appointment first; each annotated with `starts_at` and `waiting` (documents to
    check)."""
    now = now or timezone.now()
    return (
        Dossier.objects.filter(
            request__prefecture__in=prefectures,
            request__status=RequestStatus.DATED,
            request__appointment__unit__starts_at__gte=now,
        )
        .annotate(
            waiting=Count("documents", filter=Q(documents__state=DocumentState.SENT)),
            starts_at=Min("request__appointment__unit__starts_at"),
        )
        .filter(waiting__gt=0)
        .select_related("request__service", "request__prefecture")
        .order_by("starts_at", "pk")
    )


@dataclasses.dataclass(frozen=True)
class Summary:
    """A dossier in one line, for the agenda and the check-in screen."""

    complete: bool
    to_check: int
    bring_on_the_day: bool

    @property
    def label(self) -> str:
        if self.complete:
            return _("Dossier complet")
        if self.to_check:
            return _("Documents à vérifier : %(n)d") % {"n": self.to_check}
        if self.bring_on_the_day:
            return _("Documents apportés le jour même")
        return _("Dossier incomplet")


def summaries(request_ids) -> dict[int, Summary]:
    """Each request's dossier summary, in one query (the day's agenda has a hundred rows)."""
    states: dict[int, list[str]] = {}
    bring: dict[int, bool] = {}
    rows = Document.objects.filter(
        dossier__request_id__in=list(request_ids), requirement__active=True
    ).values_list("dossier__request_id", "state", "dossier__bring_on_the_day")
    for request_id, state, brings in rows:
        states.setdefault(request_id, []).append(state)
        bring[request_id] = brings
    return {
        request_id: Summary(
            complete=is_complete(found),
            to_check=sum(s == DocumentState.SENT for s in found),
            bring_on_the_day=bring[request_id],
        )
        for request_id, found in states.items()
    }


@dataclasses.dataclass(frozen=True)
class Line:
    """One document of the list as the status page shows it."""

    name: str
    state: str
    reason: str
    note: str

    @property
    def state_label(self) -> str:
        return str(DocumentState(self.state).label)

    @property
    def reason_label(self) -> str:
        return str(RedoReason(self.reason).label) if self.reason else ""


def asked_documents(service_id: int) -> list[tuple[int, str]]:
    """The documents a motif asks for, in order, as (requirement id, name): part of the
    catalogue every status page reads, kept a minute by the process (`catalogue.cache`)."""

    def read():
        asked = Requirement.objects.filter(service_id=service_id, active=True)
        return list(asked.order_by("position", "pk").values_list("pk", "name"))

    return cache.kept(("documents asked", service_id), read)


def status_lines(request: Request) -> tuple[list[Line], bool]:
    """The list the request's service asks for, each with where the person's document stands,
    and whether they chose to bring everything on the day, for the status page (opened all
    day): the request's dossier comes with the request (`select_related`), the list is kept by
    the process, and the dossier's documents, if any, take one query."""
    try:
        dossier = request.document_dossier
    except Dossier.DoesNotExist:
        dossier = None
    asked = asked_documents(request.service_id)
    mine = {}
    if dossier is not None:
        rows = Document.objects.filter(dossier=dossier).order_by()
        mine = {
            row[0]: row[1:] for row in rows.values_list("requirement_id", "state", "reason", "note")
        }
    lines = [
        Line(name, *mine.get(requirement_id, (DocumentState.EXPECTED, "", "")))
        for requirement_id, name in asked
    ]
    return lines, dossier.bring_on_the_day if dossier is not None else False
