"""The préfecture's booking rules: register a request, date waiting requests, tell a rank.

Views, the API, the back-office and the simulator call these functions; none of them decides
anything about the queue on its own.
"""

import dataclasses
import datetime
import logging
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.allocation import FreeUnit, WaitingRequest, allocate
from guichet.allocation.engine import ENGINE_VERSION
from guichet.catalogue.models import Prefecture, Service, Site, Unit

from .enums import ACTIVE_STATUSES, Channel, EventKind, RequestStatus
from .identity import identity_key
from .models import AllocationBatch, Appointment, Request, RequestEvent

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class Applicant:
    """What a person tells about themselves when asking for an appointment."""

    family_name: str
    given_names: str
    birth_date: datetime.date
    nationality: str
    permit_number: str = ""
    email: str = ""
    phone: str = ""
    permit_expires_on: datetime.date | None = None


def effective_deadline(service: Service, registered_on: datetime.date, permit_expires_on):
    """The legal deadline where the service has one, else registration day plus its target wait."""
    if service.has_legal_deadline and permit_expires_on:
        return permit_expires_on
    return registered_on + datetime.timedelta(days=service.target_wait_days)


def record_event(request: Request, kind: str, at=None, **detail) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request, kind=kind, at=at or timezone.now(), detail=detail
    )


def active_request_of(key: str, group: str) -> Request | None:
    return Request.objects.filter(
        identity_key=key, service_group=group, status__in=ACTIVE_STATUSES
    ).first()


def register_request(
    *,
    service: Service,
    applicant: Applicant,
    sites: list[Site],
    channel: str = Channel.WEB,
) -> tuple[Request, bool]:
    """Register a request, or return the person's active one: one place in line per person.

    Returns (request, created). Inputs are assumed validated (forms and API schemas do it).
    """
    key = identity_key(applicant.family_name, applicant.given_names, applicant.birth_date)
    group = service.group
    existing = active_request_of(key, group)
    if existing:
        record_event(existing, EventKind.DUPLICATE_SUBMISSION, channel=channel)
        return existing, False

    prefecture = service.prefecture
    now = timezone.now()
    request = Request(
        prefecture=prefecture,
        service=service,
        channel=channel,
        identity_key=key,
        service_group=group,
        registered_at=now,
        deadline=effective_deadline(
            service, timezone.localdate(now, prefecture.tz), applicant.permit_expires_on
        ),
        **dataclasses.asdict(applicant),
    )
    try:
        with transaction.atomic():
            request.save()
            request.sites.set(sites)
            record_event(request, EventKind.REGISTERED, at=now, channel=channel)
    except IntegrityError:
        # Another submission for the same person won the race: theirs is the place in line.
        existing = active_request_of(key, group)
        if existing is None:
            raise
        record_event(existing, EventKind.DUPLICATE_SUBMISSION, channel=channel)
        return existing, False
    return request, True


def waiting_rank(request: Request) -> tuple[int, int]:
    """(requests surely served before this one, requests of equal deadline drawn by lot with it)."""
    waiting = Request.objects.filter(
        prefecture_id=request.prefecture_id,
        service_id=request.service_id,
        status=RequestStatus.WAITING,
    )
    ahead = waiting.filter(deadline__lt=request.deadline).count()
    tied = waiting.filter(deadline=request.deadline).exclude(pk=request.pk).count()
    return ahead, tied


def allocate_service(service: Service, *, seed: int | None = None, now=None) -> AllocationBatch:
    """Run one allocation batch for one service: date waiting requests on free units."""
    now = now or timezone.now()
    seed = secrets.randbits(62) if seed is None else seed
    prefecture = service.prefecture
    not_before = now + datetime.timedelta(days=prefecture.min_lead_days)

    waiting = list(
        Request.objects.filter(service=service, status=RequestStatus.WAITING)
        .prefetch_related("sites")
        .only("id", "deadline", "registered_at")
    )
    free = Unit.objects.filter(
        service=service, starts_at__gte=not_before, appointment__isnull=True
    ).values_list("id", "site_id", "starts_at")
    allocation = allocate(
        (
            WaitingRequest(
                key=request.id,
                deadline=request.deadline,
                registered_at=request.registered_at,
                sites=frozenset(site.id for site in request.sites.all()),
                not_before=not_before,
            )
            for request in waiting
        ),
        [FreeUnit(key=unit_id, site=site_id, start=starts) for unit_id, site_id, starts in free],
        seed=seed,
    )
    batch = AllocationBatch.objects.create(
        prefecture=prefecture,
        service=service,
        ran_at=now,
        seed=seed,
        engine_version=ENGINE_VERSION,
        waiting=len(waiting),
        free_units=len(free),
        dated=len(allocation.assignments),
    )
    Appointment.objects.bulk_create(
        Appointment(request_id=request_id, unit_id=unit_id, batch=batch, assigned_at=now)
        for request_id, unit_id in allocation.assignments.items()
    )
    Request.objects.filter(pk__in=allocation.assignments).update(status=RequestStatus.DATED)
    starts = {unit_id: start for unit_id, _site, start in free}
    RequestEvent.objects.bulk_create(
        RequestEvent(
            request_id=request_id,
            kind=EventKind.DATED,
            at=now,
            detail={"unit": unit_id, "starts_at": starts[unit_id].isoformat(), "batch": batch.pk},
        )
        for request_id, unit_id in allocation.assignments.items()
    )
    return batch


def allocate_prefecture(prefecture: Prefecture, *, seed: int | None = None, now=None):
    """Run a batch for every service of the préfecture, holding the préfecture's lock.

    The row lock serialises concurrent allocations of one préfecture on PostgreSQL; the unique
    unit of an appointment is the last guard on any database.
    """
    now = now or timezone.now()
    with transaction.atomic():
        Prefecture.objects.select_for_update().filter(pk=prefecture.pk).first()
        batches = [
            allocate_service(service, seed=seed, now=now) for service in prefecture.services.all()
        ]
        Prefecture.objects.filter(pk=prefecture.pk).update(last_allocation_at=now)
    logger.info(
        "allocation %s: %s dated", prefecture.department_code, sum(b.dated for b in batches)
    )
    return batches


def allocation_due(prefecture: Prefecture, now=None) -> bool:
    now = now or timezone.now()
    last = prefecture.last_allocation_at
    return last is None or now - last >= datetime.timedelta(
        minutes=prefecture.allocation_interval_minutes
    )
