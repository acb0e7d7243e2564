"""The agents' journal: every action on a request or on capacity, for managers to read.

A line's `detail` keeps the facts as recorded (ids, keys, ISO dates); `describe` turns it into
the French an agent reads in the journal, with one function per action below.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from guichet.booking.enums import Channel
from guichet.catalogue.enums import Weekday
from guichet.catalogue.models import Service, Site
from guichet.dates import date_text

from .enums import JournalAction
from .models import JournalEntry


def _write(user, action: JournalAction, *, prefecture=None, request=None, **detail) -> JournalEntry:
    """One line; `prefecture` defaults to the request's. Only the constructors below call it,
    so each action's facts have one set of names, the ones its sentence reads back."""
    return JournalEntry.objects.create(
        at=timezone.now(),
        user=user,
        prefecture=prefecture or (request.prefecture if request is not None else None),
        action=action,
        request=request,
        detail=detail,
    )


# One constructor per action (Aidants Connect's Journal.log_*), in the order of JournalAction.


def log_signed_in(user, prefecture) -> JournalEntry:
    return _write(user, JournalAction.SIGNED_IN, prefecture=prefecture)


def log_attendance(agent, request, *, attended: bool, site: str) -> JournalEntry:
    action = JournalAction.ATTENDED if attended else JournalAction.NO_SHOW
    return _write(agent, action, request=request, site=site)


def log_registration(user, request, *, created: bool, channel: str) -> JournalEntry:
    """A request registered for a person, or the one they already had here."""
    action = JournalAction.REQUEST_REGISTERED if created else JournalAction.DUPLICATE_REGISTRATION
    return _write(user, action, request=request, channel=channel)


def log_registered_elsewhere(user, prefecture, *, channel: str) -> JournalEntry:
    """The person has a request in another préfecture: the agent was told only that."""
    return _write(
        user, JournalAction.DUPLICATE_REGISTRATION_ELSEWHERE, prefecture=prefecture, channel=channel
    )


def log_opening_added(user, prefecture, rule, *, applied: dict[str, int]) -> JournalEntry:
    """A weekly opening or an exceptional session, and what applying it did."""
    return _write(
        user,
        JournalAction.CAPACITY_RULE_ADDED,
        prefecture=prefecture,
        rule=rule.pk,
        site=rule.site_id,
        service=rule.service_id,
        weekday=rule.weekday,
        opens_at=rule.opens_at.isoformat(),
        closes_at=rule.closes_at.isoformat(),
        desks=rule.desks,
        slot_minutes=rule.slot_minutes,
        valid_from=rule.valid_from and rule.valid_from.isoformat(),
        valid_until=rule.valid_until and rule.valid_until.isoformat(),
        **applied,
    )


def log_closure_added(
    user, prefecture, closure, *, appointments_kept: int, applied: dict[str, int]
) -> JournalEntry:
    return _write(
        user,
        JournalAction.CAPACITY_CLOSURE_ADDED,
        prefecture=prefecture,
        site=closure.site_id,
        starts_on=closure.starts_on.isoformat(),
        ends_on=closure.ends_on.isoformat(),
        reason=closure.reason,
        appointments_kept=appointments_kept,
        **applied,
    )


def log_registry_import(user, batch) -> JournalEntry:
    return _write(
        user,
        JournalAction.REGISTRY_IMPORT,
        prefecture=batch.prefecture,
        file=batch.file_name,
        sha256=batch.sha256,
        created=batch.created,
        updated=batch.updated,
        unchanged=batch.unchanged,
        rejected=batch.rejected,
        invited=batch.invited,
    )


def log_permit_accepted(user, request) -> JournalEntry:
    return _write(user, JournalAction.PERMIT_CHECK_ACCEPTED, request=request)


def log_permit_rejected(user, request, *, reason: str) -> JournalEntry:
    return _write(user, JournalAction.PERMIT_CHECK_REJECTED, request=request, reason=reason)


def log_request_cancelled(user, request, *, reason: str) -> JournalEntry:
    return _write(user, JournalAction.REQUEST_CANCELLED, request=request, reason=reason)


def log_requests_merged(user, kept, cancelled) -> JournalEntry:
    return _write(
        user,
        JournalAction.REQUESTS_MERGED,
        request=kept,
        kept=kept.number,
        cancelled=cancelled.number,
    )


def log_dispute_upheld(user, prefecture, *, restored, cancelled, note: str) -> JournalEntry:
    return _write(
        user,
        JournalAction.DISPUTE_UPHELD,
        prefecture=prefecture,
        request=restored,
        restored=restored.number,
        cancelled=cancelled.number,
        note=note,
    )


def log_dispute_rejected(user, prefecture, request, *, kept: str, note: str) -> JournalEntry:
    """`request` disputed in vain the one numbered `kept`."""
    return _write(
        user,
        JournalAction.DISPUTE_REJECTED,
        prefecture=prefecture,
        request=request,
        kept=kept,
        note=note,
    )


def log_request_resumed(user, request, *, releases: int, note: str) -> JournalEntry:
    return _write(
        user, JournalAction.REQUEST_RESUMED, request=request, releases=releases, note=note
    )


def log_documents_checked(user, request, *, accepted: int, redo: int, missing: int) -> JournalEntry:
    return _write(
        user,
        JournalAction.DOCUMENTS_CHECKED,
        request=request,
        accepted=accepted,
        redo=redo,
        missing=missing,
    )


def log_document_received_by_post(user, request, *, document: str) -> JournalEntry:
    return _write(user, JournalAction.DOCUMENT_RECEIVED_BY_POST, request=request, document=document)


def log_document_list_changed(user, service, *, document: str) -> JournalEntry:
    return _write(
        user,
        JournalAction.DOCUMENT_LIST_CHANGED,
        prefecture=service.prefecture,
        service=service.pk,
        document=document,
    )


@dataclasses.dataclass
class Names:
    """Sites and motifs named by id in the lines being shown, read in one query each."""

    sites: dict[int, str]
    services: dict[int, str]

    @classmethod
    def of(cls, entries: list[JournalEntry]) -> "Names":
        def ids(key):
            return {e.detail[key] for e in entries if isinstance(e.detail.get(key), int)}

        return cls(
            sites=dict(Site.objects.filter(pk__in=ids("site")).values_list("pk", "name")),
            services=dict(Service.objects.filter(pk__in=ids("service")).values_list("pk", "name")),
        )

    def site(self, site_id) -> str:
        return self.sites.get(site_id, _("site supprimé"))

    def service(self, service_id) -> str:
        return self.services.get(service_id, _("motif supprimé"))


def describe(entries: Iterable[JournalEntry]) -> list[tuple[JournalEntry, str]]:
    """Each line with its detail as a sentence (empty when the action says it all)."""
    entries = list(entries)
    names = Names.of(entries)
    described = []
    for entry in entries:
        words = DESCRIPTIONS.get(entry.action, nothing)(entry.detail, names)
        described.append((entry, capfirst(" ; ".join(part for part in words if part))))
    return described


def day(value: str | None) -> str:
    return date_text(datetime.date.fromisoformat(value), "l j F Y") if value else ""


def hour(value: str) -> str:
    return datetime.time.fromisoformat(value).strftime("%H:%M")


def counts(detail: dict, labels: dict[str, str], always: tuple[str, ...] = ()) -> list[str]:
    """« label : n » for each count recorded, the ones not in `always` only when not zero."""
    return [
        f"{label} : {detail[key]}"
        for key, label in labels.items()
        if key in detail and (detail[key] or key in always)
    ]


def applied_counts(detail: dict, always: str) -> list[str]:
    """What applying a capacity change did (see planning.Applied)."""
    labels = {
        "units_opened": _("créneaux ouverts"),
        "units_withdrawn": _("créneaux retirés"),
        "dated": _("demandes datées"),
        "offers": _("propositions de date plus proche"),
    }
    return counts(detail, labels, always=(always,))


def nothing(detail: dict, names: Names) -> list[str]:
    return []


def attendance(detail: dict, names: Names) -> list[str]:
    return [_("site : %(site)s") % {"site": detail["site"]}] if detail.get("site") else []


def registration(detail: dict, names: Names) -> list[str]:
    channel = detail.get("channel")
    if channel not in Channel.values:
        return []
    return [_("canal : %(channel)s") % {"channel": str(Channel(channel).label).lower()}]


def opening_rule(detail: dict, names: Names) -> list[str]:
    times = {"opens": hour(detail["opens_at"]), "closes": hour(detail["closes_at"])}
    start, end = detail.get("valid_from"), detail.get("valid_until")
    if start and start == end:
        when = _("séance exceptionnelle le %(day)s de %(opens)s à %(closes)s") % {
            "day": day(start),
            **times,
        }
    else:
        when = _("chaque %(weekday)s de %(opens)s à %(closes)s") % {
            "weekday": Weekday(detail["weekday"]).label,
            **times,
        }
        if start:
            when += " " + _("à partir du %(day)s") % {"day": day(start)}
        if end:
            when += " " + _("jusqu'au %(day)s") % {"day": day(end)}
    return [
        _("site : %(site)s") % {"site": names.site(detail.get("site"))},
        _("motif : %(service)s") % {"service": names.service(detail.get("service"))},
        when,
        _("guichets : %(desks)s") % {"desks": detail["desks"]},
        _("créneaux de %(minutes)s min") % {"minutes": detail["slot_minutes"]},
        *applied_counts(detail, always="units_opened"),
    ]


def closure(detail: dict, names: Names) -> list[str]:
    start, end = detail["starts_on"], detail["ends_on"]
    if start == end:
        when = _("le %(day)s") % {"day": day(start)}
    else:
        when = _("du %(start)s au %(end)s") % {"start": day(start), "end": day(end)}
    site_id = detail.get("site")
    return [
        _("site : %(site)s") % {"site": names.site(site_id)}
        if site_id is not None
        else _("toute la préfecture"),
        when,
        _("motif : %(reason)s") % {"reason": detail["reason"]} if detail.get("reason") else "",
        *counts(detail, {"appointments_kept": _("rendez-vous maintenus")}),
        *applied_counts(detail, always="units_withdrawn"),
    ]


def registry_import(detail: dict, names: Names) -> list[str]:
    labels = {
        "created": _("titres ajoutés"),
        "updated": _("titres modifiés"),
        "unchanged": _("titres inchangés"),
        "rejected": _("lignes refusées"),
        "invited": _("convocations envoyées"),
    }
    return [
        _("fichier : %(file)s") % {"file": detail.get("file", "")},
        *counts(detail, labels, always=tuple(labels)),
    ]


def permit_rejected(detail: dict, names: Names) -> list[str]:
    return [_("motif du refus : %(reason)s") % {"reason": detail["reason"]}]


def agent_cancellation(detail: dict, names: Names) -> list[str]:
    return [_("motif : %(reason)s") % {"reason": detail.get("reason", "")}]


def merge(detail: dict, names: Names) -> list[str]:
    return [
        _("demande conservée : %(number)s") % {"number": detail.get("kept", "")},
        _("demande annulée : %(number)s") % {"number": detail.get("cancelled", "")},
    ]


def dispute_upheld(detail: dict, names: Names) -> list[str]:
    return [
        _("demande contestée annulée : %(number)s") % {"number": detail.get("cancelled", "")},
        _("demande entrée dans la file : %(number)s") % {"number": detail.get("restored", "")},
        _("note : %(note)s") % {"note": detail["note"]} if detail.get("note") else "",
    ]


def dispute_rejected(detail: dict, names: Names) -> list[str]:
    return [
        _("demande contestée maintenue : %(number)s") % {"number": detail.get("kept", "")},
        _("note : %(note)s") % {"note": detail["note"]} if detail.get("note") else "",
    ]


def resumed(detail: dict, names: Names) -> list[str]:
    return [
        _(
            "demande en pause remise dans la file d'attente, avec son heure d'enregistrement et "
            "son échéance"
        ),
        *counts(detail, {"releases": _("rendez-vous libérés faute de confirmation")}),
        _("documents vérifiés : %(note)s") % {"note": detail["note"]} if detail.get("note") else "",
    ]


def documents_checked(detail: dict, names: Names) -> list[str]:
    labels = {
        "accepted": _("acceptés"),
        "redo": _("à refaire"),
        "missing": _("manquants"),
    }
    return counts(detail, labels)


def document_received(detail: dict, names: Names) -> list[str]:
    return [_("document : %(name)s") % {"name": detail.get("document", "")}]


def document_list(detail: dict, names: Names) -> list[str]:
    return [
        _("motif : %(service)s") % {"service": names.service(detail.get("service"))},
        _("document : %(name)s") % {"name": detail.get("document", "")},
    ]


# Every action has its sentence (a test checks it): a new action without one would show nothing.
DESCRIPTIONS: dict[str, Callable[[dict, Names], list[str]]] = {
    JournalAction.SIGNED_IN: nothing,
    JournalAction.ATTENDED: attendance,
    JournalAction.NO_SHOW: attendance,
    JournalAction.REQUEST_REGISTERED: registration,
    JournalAction.DUPLICATE_REGISTRATION: registration,
    JournalAction.DUPLICATE_REGISTRATION_ELSEWHERE: registration,
    JournalAction.CAPACITY_RULE_ADDED: opening_rule,
    JournalAction.CAPACITY_CLOSURE_ADDED: closure,
    JournalAction.REGISTRY_IMPORT: registry_import,
    JournalAction.PERMIT_CHECK_ACCEPTED: nothing,
    JournalAction.PERMIT_CHECK_REJECTED: permit_rejected,
    JournalAction.REQUEST_CANCELLED: agent_cancellation,
    JournalAction.REQUESTS_MERGED: merge,
    JournalAction.DISPUTE_UPHELD: dispute_upheld,
    JournalAction.DISPUTE_REJECTED: dispute_rejected,
    JournalAction.REQUEST_RESUMED: resumed,
    JournalAction.DOCUMENTS_CHECKED: documents_checked,
    JournalAction.DOCUMENT_RECEIVED_BY_POST: document_received,
    JournalAction.DOCUMENT_LIST_CHANGED: document_list,
}
