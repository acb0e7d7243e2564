"""A request's history: one class per kind of event, naming the facts it keeps.

`RequestEvent.detail` is JSON. Written through these classes only, a fact has one name
everywhere (a typo is a type error, not a silent new key), and the queries that read a fact
back (`released_from`, `releases_of`) name it here too. Aidants Connect's `Journal.log_*`
constructors are the model.

    history.record(request, history.Dated(unit=unit.pk, starts_at=unit.starts_at), at=now)
"""

import collections
import dataclasses
import datetime
from collections.abc import Iterable
from typing import ClassVar

from django.db.models import Q
from django.utils import timezone

from guichet.bulk import insert_rows

from .enums import Channel, EventKind
from .models import Request, RequestEvent


@dataclasses.dataclass(frozen=True)
class Event:
    kind: ClassVar[EventKind]

    def detail(self) -> dict[str, object]:
        """The facts as stored: dates in ISO 8601, facts left at None not written."""
        return {
            name: value.isoformat() if isinstance(value, datetime.datetime) else value
            for name, value in vars(self).items()
            if value is not None
        }


def record(request: Request, event: Event, at: datetime.datetime | None = None) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request, kind=event.kind, at=at or timezone.now(), detail=event.detail()
    )


def record_many(events: Iterable[tuple[int, Event]], at: datetime.datetime) -> None:
    """(request id, event) pairs in one bulk insert: a batch dates thousands at once."""
    insert_rows(
        RequestEvent,
        ("request_id", "at", "kind", "detail"),
        [(request_id, at, event.kind.value, event.detail()) for request_id, event in events],
    )


# Entering the queue, and its gates.


@dataclasses.dataclass(frozen=True)
class Registered(Event):
    kind = EventKind.REGISTERED
    channel: Channel | str


@dataclasses.dataclass(frozen=True)
class DuplicateSubmission(Event):
    """Someone submitted this request's identity again (the holder is told)."""

    kind = EventKind.DUPLICATE_SUBMISSION
    channel: Channel | str


@dataclasses.dataclass(frozen=True)
class DuplicateClosed(Event):
    kind = EventKind.DUPLICATE_CLOSED


@dataclasses.dataclass(frozen=True)
class ContactConfirmed(Event):
    kind = EventKind.CONTACT_CONFIRMED


@dataclasses.dataclass(frozen=True)
class ContactChanged(Event):
    kind = EventKind.CONTACT_CHANGED


@dataclasses.dataclass(frozen=True)
class PreferencesChanged(Event):
    kind = EventKind.PREFERENCES_CHANGED
    accepts_offers: bool
    language: str


@dataclasses.dataclass(frozen=True)
class Expired(Event):
    """Never confirmed in time."""

    kind = EventKind.EXPIRED


@dataclasses.dataclass(frozen=True)
class Held(Event):
    """Waits for an agent's check before it enters the queue."""

    kind = EventKind.HELD


@dataclasses.dataclass(frozen=True)
class PermitChecked(Event):
    kind = EventKind.PERMIT_CHECKED
    by: str


# « Ce n'est pas moi »: disputes and merges.


@dataclasses.dataclass(frozen=True)
class DisputeOpened(Event):
    kind = EventKind.DISPUTE_OPENED
    proof: str


@dataclasses.dataclass(frozen=True)
class DisputeUpheld(Event):
    kind = EventKind.DISPUTE_UPHELD


@dataclasses.dataclass(frozen=True)
class DisputeRejected(Event):
    kind = EventKind.DISPUTE_REJECTED


@dataclasses.dataclass(frozen=True)
class Merged(Event):
    """This request kept the place; `cancelled` is the other one's number."""

    kind = EventKind.MERGED
    cancelled: str


# Dates, offers and moves.


@dataclasses.dataclass(frozen=True)
class Dated(Event):
    """A first date: by a batch (`batch`), or a freed unit given to someone waiting."""

    kind = EventKind.DATED
    unit: int
    starts_at: datetime.datetime
    batch: int | None = None


@dataclasses.dataclass(frozen=True)
class OfferMade(Event):
    kind = EventKind.OFFER_MADE
    offer: int
    unit: int
    starts_at: datetime.datetime
    expires_at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class MovedEarlier(Event):
    kind = EventKind.MOVED_EARLIER
    offer: int
    unit: int
    starts_at: datetime.datetime
    previous_unit: int
    previous_starts_at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class OfferDeclined(Event):
    kind = EventKind.OFFER_DECLINED
    offer: int
    unit: int


@dataclasses.dataclass(frozen=True)
class OfferExpired(Event):
    kind = EventKind.OFFER_EXPIRED
    offer: int
    unit: int


# Before the day: reconfirmation, release, pause.


@dataclasses.dataclass(frozen=True)
class ReconfirmationAsked(Event):
    kind = EventKind.RECONFIRMATION_ASKED
    unit: int


@dataclasses.dataclass(frozen=True)
class Reconfirmed(Event):
    kind = EventKind.RECONFIRMED


@dataclasses.dataclass(frozen=True)
class Released(Event):
    """The date was freed for want of a reconfirmation; the request is paused."""

    kind = EventKind.RELEASED
    unit: int


@dataclasses.dataclass(frozen=True)
class StillNeeded(Event):
    """The person put their paused request back in the queue themselves."""

    kind = EventKind.STILL_NEEDED


@dataclasses.dataclass(frozen=True)
class ResumedByPrefecture(Event):
    kind = EventKind.RESUMED_BY_PREFECTURE


@dataclasses.dataclass(frozen=True)
class Lapsed(Event):
    kind = EventKind.LAPSED


# The end.


@dataclasses.dataclass(frozen=True)
class Cancelled(Event):
    """`by` the applicant or the préfecture; `reason`, when the préfecture gives one."""

    kind = EventKind.CANCELLED
    by: str
    reason: str | None = None


@dataclasses.dataclass(frozen=True)
class Attended(Event):
    kind = EventKind.ATTENDED
    by: str


@dataclasses.dataclass(frozen=True)
class NoShow(Event):
    kind = EventKind.NO_SHOW
    by: str


# Reading facts back.

RELEASED_UNIT = "detail__unit"  # the unit of a `Released` event, in a query


def released_from(unit_id: int) -> Q:
    """Events that released their request from this unit."""
    return Q(kind=EventKind.RELEASED, **{RELEASED_UNIT: unit_id})


def releases_of(requests) -> collections.Counter[tuple[int, int]]:
    """(request, unit) -> how many times the request was released from that unit."""
    return collections.Counter(
        RequestEvent.objects.filter(request__in=requests, kind=EventKind.RELEASED).values_list(
            "request_id", RELEASED_UNIT
        )
    )
