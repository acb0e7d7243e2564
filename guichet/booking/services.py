"""The préfecture's booking rules: register a request, date waiting requests, tell a rank.

Views, the API, the back-office and the simulator call these functions; none of them decides
anything about the queue on its own.
"""

import collections
import dataclasses
import datetime
import functools
import logging
import secrets
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from guichet.allocation import FreeUnit, WaitingRequest, allocate
from guichet.allocation.engine import ENGINE_VERSION
from guichet.bulk import insert_rows
from guichet.catalogue.models import Prefecture, Service, Site, Unit
from guichet.notifications.services import notify, queue_all, unrendered

from . import history
from .enums import QUEUED_STATUSES, Channel, OfferStatus, RequestStatus
from .identity import identity_key, person_key
from .models import AllocationBatch, Appointment, Request

# Requests an agent registered were checked by the agent, and the préfecture knows the people it
# invites; web and API ones confirm their contact.
AGENT_CHANNELS = (
    Channel.COUNTER,
    Channel.PHONE,
    Channel.POST,
    Channel.ASSOCIATION,
    Channel.INVITATION,
)
MAX_VERIFICATION_ATTEMPTS = 5

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class Applicant:
    """What a person tells about themselves when asking for an appointment."""

    family_name: str
    given_names: str
    birth_date: datetime.date
    nationality: str
    permit_number: str = ""
    passport_number: str = ""
    email: str = ""
    phone: str = ""
    permit_expires_on: datetime.date | None = None
    language: str = "fr"


def new_verification_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def effective_deadline(service: Service, registered_on: datetime.date, permit_expires_on):
    """The legal deadline where the service has one, else registration day plus its target wait."""
    if service.has_legal_deadline and permit_expires_on:
        return permit_expires_on
    return registered_on + datetime.timedelta(days=service.target_wait_days)


def queued_request_of(key: str, group: str) -> Request | None:
    """The request holding this identity's place in line for the group, if any."""
    return Request.objects.filter(
        identity_key=key, service_group=group, status__in=QUEUED_STATUSES
    ).first()


def identity_of(service: Service, applicant: Applicant) -> str:
    """Name, birth date and the document the service identifies people by: the permit where it
    asks for one (checked against the registry), else the passport or travel document."""
    document = applicant.permit_number if service.needs_permit_number else applicant.passport_number
    return identity_key(
        applicant.family_name, applicant.given_names, applicant.birth_date, document
    )


# Checks that send a request to an agent's review before it enters the queue, each True for a
# request to hold: the permit registry adds its own (registry/apps.py). Booking does not import
# the apps that check its requests.
REVIEW_CHECKS: list[Callable[[Request], bool]] = []


def appointment_of(request: Request) -> Appointment | None:
    """The request's appointment with its unit and site, also once the person came or missed it.

    Read from the request when it was loaded with it (the applicant's pages join it in): the
    status page is opened all day and pays for every query.
    """
    if Request.appointment.is_cached(request):
        return getattr(request, "appointment", None)
    return Appointment.objects.select_related("unit__site").filter(request=request).first()


def queue_status(request: Request) -> str:
    """Where a request goes once its contact is known: the queue, or an agent's review first
    when a check says so (its permit number is not in the préfecture's registry)."""
    held = any(check(request) for check in REVIEW_CHECKS)
    return RequestStatus.HELD if held else RequestStatus.WAITING


def hold_for_review(request: Request, at=None) -> None:
    """Tell the person why their request waits for an agent, and that it keeps its place."""
    history.record(request, history.Held(), at=at)
    notify(request, "request_held", event_key=f"held:{request.pk}", now=at)


def register_request(
    *,
    service: Service,
    applicant: Applicant,
    sites: list[Site],
    channel: str = Channel.WEB,
) -> tuple[Request, bool]:
    """Register a request: one place in line per identity and service group.

    Returns (request, created). Inputs are assumed validated (forms and API schemas do it).
    A web or API request is always registered, unverified, whoever already holds the identity's
    place: the answer to a submission never tells whether someone does. Whether it gets the place
    is decided once its contact is confirmed (`confirm_contact`). Agents, associations and
    invitations check papers or know the person: theirs enters the queue at once, or they are
    given the identity's request already in the queue (created is False).
    """
    key = identity_of(service, applicant)
    group = service.group
    verified = channel in AGENT_CHANNELS
    if verified and (existing := queued_request_of(key, group)):
        history.record(existing, history.DuplicateSubmission(channel=channel))
        return existing, False

    prefecture = service.prefecture
    now = timezone.now()
    request = Request(
        prefecture=prefecture,
        service=service,
        channel=channel,
        status=RequestStatus.UNVERIFIED,
        contact_verified_at=now if verified else None,
        verification_code="" if verified else new_verification_code(),
        identity_key=key,
        person_key=person_key(applicant.family_name, applicant.given_names, applicant.birth_date),
        service_group=group,
        registered_at=now,
        deadline=effective_deadline(
            service, timezone.localdate(now, prefecture.tz), applicant.permit_expires_on
        ),
        **dataclasses.asdict(applicant),
    )
    if verified:
        request.status = queue_status(request)
    try:
        # One transaction, one commit: the request, its sites, its history and its first
        # message are stored together, or none of them.
        with transaction.atomic():
            request.save()
            request.sites.add(*sites)  # a new request has none: no query for those to remove
            history.record(request, history.Registered(channel=channel), at=now)
            if request.status == RequestStatus.HELD:
                hold_for_review(request, at=now)
            elif not verified:
                send_verification(request, first=True)
            else:  # the hold message says it is registered
                notify_registered(request)
    except IntegrityError:
        # Another registration for the same identity won the race: theirs is the place in line.
        existing = queued_request_of(key, group)
        if existing is None:
            raise
        history.record(existing, history.DuplicateSubmission(channel=channel))
        return existing, False
    return request, True


def notify_registered(request: Request) -> None:
    """The préfecture's own invitation says why it registered the request; others confirm it.
    Only as the request is registered: no message of it can exist yet (`fresh`)."""
    template = (
        "renewal_invitation" if request.channel == Channel.INVITATION else "request_registered"
    )
    notify(request, template, event_key=f"registered:{request.pk}", fresh=True)


def awaits_contact_confirmation(request: Request) -> bool:
    """A web request not yet confirmed, or new contact details not yet confirmed."""
    return request.status == RequestStatus.UNVERIFIED or (
        request.is_active and bool(request.pending_email or request.pending_phone)
    )


def send_verification(
    request: Request, *, new_code: bool = False, first: bool = False, now=None
) -> None:
    """Send the confirmation code and a one-tap link to the contact to check.

    `new_code` issues a fresh code with fresh attempts (after too many wrong tries); `first`
    says none was sent before (a request being registered), which spares counting them.
    """
    if new_code:
        request.verification_code = new_verification_code()
        request.verification_attempts = 0
        request.save(update_fields=["verification_code", "verification_attempts"])
    pending = request.pending_email or request.pending_phone
    sent = 0 if first else request.messages.filter(template="verify_contact").count()
    confirm_path = reverse(
        "booking:confirm_link", args=[request.access_token, request.verification_code]
    )
    notify(
        request,
        "verify_contact",
        event_key=f"verify:{request.pk}:{sent}",
        context={"confirm_link": settings.SITE_URL + confirm_path},
        contacts=(request.pending_email, request.pending_phone) if pending else None,
        now=now,
        fresh=first,
    )


def confirm_contact(request: Request, code: str, now=None) -> bool:
    """Check the code sent to the person: it lets a web request enter allocation, and applies
    any new contact details they asked for.

    A web request whose identity already holds a place does not enter: it is closed as a
    duplicate, and the holder is told at their own contact (`duplicates`).
    """
    from . import duplicates

    now = now or timezone.now()
    with transaction.atomic():
        request = Request.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if (
            not awaits_contact_confirmation(request)
            or request.verification_attempts >= MAX_VERIFICATION_ATTEMPTS
        ):
            return False
        if not secrets.compare_digest(code.strip(), request.verification_code):
            Request.objects.filter(pk=request.pk).update(
                verification_attempts=request.verification_attempts + 1
            )
            return False
        changes = {"contact_verified_at": now, "verification_code": "", "verification_attempts": 0}
        if request.pending_email or request.pending_phone:
            changes.update(
                email=request.pending_email,
                phone=request.pending_phone,
                pending_email="",
                pending_phone="",
            )
            history.record(request, history.ContactChanged(), at=now)
        Request.objects.filter(pk=request.pk).update(**changes)
        for field, value in changes.items():
            setattr(request, field, value)
        if request.status == RequestStatus.UNVERIFIED:
            history.record(request, history.ContactConfirmed(), at=now)
            duplicates.enter_queue(request, now)
    return True


def change_contact(request: Request, *, email: str, phone: str, now=None) -> None:
    """New contact details take effect once a code sent to them is confirmed; the request keeps
    its place meanwhile and messages still go to the old contact."""
    request.pending_email, request.pending_phone = email, phone
    request.save(update_fields=["pending_email", "pending_phone"])
    send_verification(request, new_code=True, now=now)


def set_preferences(request: Request, *, accepts_offers: bool, language: str, now=None) -> None:
    """Whether to be offered earlier dates, and the language of messages."""
    Request.objects.filter(pk=request.pk).update(accepts_offers=accepts_offers, language=language)
    history.record(
        request,
        history.PreferencesChanged(accepts_offers=accepts_offers, language=language),
        at=now,
    )


def send_access_link(request: Request, now=None) -> None:
    """Send the secret link again, to the contact registered for the request and nowhere else."""
    sent = request.messages.filter(template="access_link").count()
    notify(request, "access_link", event_key=f"link:{request.pk}:{sent}", now=now)


def resend_access_link(number: str, contact: str, now=None) -> bool:
    """A person asks for their link with their number and contact: send it only on a match."""
    request = Request.objects.filter(number=number.strip().upper()).first()
    if request is None or contact.strip().casefold() not in {
        request.email.casefold(),
        request.phone,
    } - {""}:
        return False
    send_access_link(request, now=now)
    return True


def expire_unverified_requests(now=None) -> int:
    """Web requests never confirmed give their place back after a while, and say so."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(hours=settings.GUICHET_UNVERIFIED_EXPIRY_HOURS)
    expired = 0
    for request in Request.objects.filter(status=RequestStatus.UNVERIFIED, registered_at__lt=limit):
        updated = Request.objects.filter(pk=request.pk, status=RequestStatus.UNVERIFIED).update(
            status=RequestStatus.EXPIRED
        )
        if updated:
            history.record(request, history.Expired(), at=now)
            notify(request, "request_expired", event_key=f"expired:{request.pk}", now=now)
            expired += 1
    return expired


def cancel_request(
    request: Request,
    *,
    by: str = "applicant",
    reason: str = "",
    message: str = "request_cancelled",
    reoffer: bool = True,
    now=None,
) -> bool:
    """Cancel a request; its unit, if it had one, is freed at once and offered down the queue
    (unless `reoffer` is False: the caller offers it once it has changed the queue too).

    `reason`, when the préfecture cancels, is written in the history and given to `message`,
    the template that tells the person. False when it was no longer active.
    """
    from . import offers

    now = now or timezone.now()
    with transaction.atomic():
        request = Request.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if not request.is_active:
            return False
        freed = getattr(request, "appointment", None)
        unit = freed.unit if freed else None
        if freed:
            freed.delete()
        request.offers.filter(status=OfferStatus.PENDING).update(
            status=OfferStatus.WITHDRAWN, answered_at=now
        )
        Request.objects.filter(pk=request.pk).update(status=RequestStatus.CANCELLED)
        history.record(request, history.Cancelled(by=by, reason=reason or None), at=now)
        notify(
            request,
            message,
            event_key=f"cancelled:{request.pk}",
            context={"by": by, "reason": reason},
            now=now,
        )
    if unit is not None and reoffer:
        offers.offer_unit(unit, now=now)
    return True


def record_attendance(request: Request, *, attended: bool, by: str = "agent", now=None) -> None:
    """At the counter: the person came (identity checked) or did not."""
    now = now or timezone.now()
    status, event = (
        (RequestStatus.ATTENDED, history.Attended(by=by))
        if attended
        else (RequestStatus.NO_SHOW, history.NoShow(by=by))
    )
    with transaction.atomic():
        updated = Request.objects.filter(pk=request.pk, status=RequestStatus.DATED).update(
            status=status
        )
        if updated:
            history.record(request, event, at=now)


def waiting_rank(request: Request) -> tuple[int, int]:
    """(requests surely served before this one, requests of equal deadline drawn by lot with it)."""
    counts = Request.objects.filter(
        prefecture_id=request.prefecture_id,
        service_id=request.service_id,
        status=RequestStatus.WAITING,
        deadline__lte=request.deadline,
    ).aggregate(
        ahead=Count("pk", filter=Q(deadline__lt=request.deadline)),
        tied=Count("pk", filter=Q(deadline=request.deadline) & ~Q(pk=request.pk)),
    )
    return counts["ahead"], counts["tied"]


def hold_service(service_id: int) -> None:
    """Take the lock every decision about a service's units takes first (a batch, an offer):
    one decision at a time, so a unit read as free is not given or offered meanwhile.

    FOR NO KEY UPDATE excludes the other deciders, not the inserts that merely refer to the
    service (an intake, an offer). `of=self`: the service's default ordering joins its
    préfecture, whose row a préfecture's batch holds while it locks its services one by one;
    locking both here made an offer and a batch wait on each other (a deadlock).
    """
    Service.objects.select_for_update(no_key=True, of=("self",)).filter(pk=service_id).first()


def free_units(service: Service):
    """Units of the service held by nobody, not under offer, and not already given up as lost."""
    return Unit.objects.filter(
        service=service, appointment__isnull=True, loss__isnull=True
    ).exclude(offers__status=OfferStatus.PENDING)


def on_time_until(deadline: datetime.date, tz) -> datetime.datetime:
    """The last moment a unit may start and still be on time: the end of the deadline day,
    in the préfecture's time; the engine compares it with unit starts."""
    return datetime.datetime.combine(deadline, datetime.time.max, tzinfo=tz)


def waiting_requests(service: Service, now) -> list[WaitingRequest]:
    """The requests a batch reads for this service, as the engine sees them: two set-based
    reads (requests, then their sites), in registration order."""
    not_before = now + datetime.timedelta(days=service.prefecture.min_lead_days)
    tz = service.prefecture.tz
    waiting = Request.objects.filter(service=service, status=RequestStatus.WAITING)
    sites: dict[int, set] = collections.defaultdict(set)
    for request_id, site_id in Request.sites.through.objects.filter(
        request__in=waiting
    ).values_list("request_id", "site_id"):
        sites[request_id].add(site_id)
    on_time = functools.lru_cache(maxsize=None)(lambda deadline: on_time_until(deadline, tz))
    return [
        WaitingRequest(
            key=request_id,
            deadline=on_time(deadline),
            registered_at=registered_at,
            sites=frozenset(sites[request_id]),
            not_before=not_before,
        )
        for request_id, deadline, registered_at in waiting.values_list(
            "id", "deadline", "registered_at"
        )
    ]


def allocate_service(service: Service, *, seed: int | None = None, now=None) -> AllocationBatch:
    """Run one allocation batch for one service: date waiting requests on free units.

    A few set-based reads, the engine, then bulk writes: the appointments, the requests' status,
    their history and their messages, queued unrendered (the sender renders them).
    """
    now = now or timezone.now()
    seed = secrets.randbits(62) if seed is None else seed
    with transaction.atomic():
        # A unit read here as free cannot be offered to someone before this batch's
        # appointments are written, or it would end up both given and under offer.
        hold_service(service.pk)
        return _allocate_service(service, seed, now)


def _allocate_service(service: Service, seed: int, now) -> AllocationBatch:
    prefecture = service.prefecture
    not_before = now + datetime.timedelta(days=prefecture.min_lead_days)
    waiting = waiting_requests(service, now)
    free = list(
        free_units(service)
        .filter(starts_at__gte=not_before)
        .values_list("id", "site_id", "starts_at")
    )
    allocation = allocate(
        waiting,
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
    # The keys the engine was given: request and unit ids.
    assignments = cast(dict[int, int], allocation.assignments)
    if not assignments:
        return batch
    insert_rows(
        Appointment,
        ("request_id", "unit_id", "batch_id", "assigned_at"),
        [(request_id, unit_id, batch.pk, now) for request_id, unit_id in assignments.items()],
    )
    dated = Request.objects.filter(appointment__batch=batch)
    dated.update(status=RequestStatus.DATED)
    starts = {unit_id: start for unit_id, _site, start in free}
    history.record_many(
        (
            (request_id, history.Dated(unit=unit_id, starts_at=starts[unit_id], batch=batch.pk))
            for request_id, unit_id in assignments.items()
        ),
        now,
    )
    released = history.releases_of(dated)
    queue_all(
        [
            message
            for request_id, language, email, phone in dated.values_list(
                "id", "language", "email", "phone"
            )
            for message in dated_messages(
                request_id,
                assignments[request_id],
                language,
                (email, phone),
                released,
                now,
            )
        ]
    )
    return batch


def date_key(appointment: Appointment) -> str:
    """`request:unit`: the messages of one date are sent once. A request dated again on a unit it
    was released from (nobody else took it) is told, asked and released anew, so the key then
    counts those releases."""
    released = history.releases_of([appointment.request_id])
    return key_of_date(appointment.request_id, appointment.unit_id, released)


def key_of_date(request_id: int, unit_id: int, released: collections.Counter) -> str:
    key = f"{request_id}:{unit_id}"
    count = released[request_id, unit_id]
    return f"{key}:{count}" if count else key


def dated_messages(request_id, unit_id, language, contacts, released, now) -> list:
    """The « your appointment » messages of one date, with its .ics, queued unrendered."""
    return unrendered(
        request_id=request_id,
        language=language,
        contacts=contacts,
        template="appointment_given",
        event_key=f"dated:{key_of_date(request_id, unit_id, released)}",
        refs={"unit": (Unit, unit_id)},
        calendar="appointment",
        now=now,
    )


def notify_dated(appointment: Appointment, now) -> None:
    """Tell the person their date, with the .ics; once per date (`date_key`)."""
    request = appointment.request
    queue_all(
        dated_messages(
            request.pk,
            appointment.unit_id,
            request.language,
            (request.email, request.phone),
            history.releases_of([request.pk]),
            now,
        )
    )


def allocate_prefecture(prefecture: Prefecture, *, seed: int | None = None, now=None):
    """Run a batch for every service of the préfecture, holding the préfecture's lock.

    The row lock serialises concurrent allocations of one préfecture on PostgreSQL; the unique
    unit of an appointment is the last guard on any database.
    """
    now = now or timezone.now()
    with transaction.atomic():
        Prefecture.objects.select_for_update(no_key=True, of=("self",)).filter(
            pk=prefecture.pk
        ).first()
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
