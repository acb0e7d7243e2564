"""Seed the demo: build each préfecture, open its capacity, register demand, run one allocation.

Every request goes through `register_request` and every date through `allocate_prefecture`: the
demo shows the rules at work and never writes around them. A préfecture that already exists is
left alone, so seeding again creates nothing.
"""

import dataclasses
import datetime
import random

from django.db import transaction
from django.utils import timezone

from guichet.associations.demo_members import ensure_demo_member
from guichet.backoffice.demo_agents import ensure_demo_agents
from guichet.booking.enums import RequestStatus
from guichet.booking.identity import identity_key
from guichet.booking.models import Request
from guichet.booking.services import (
    Applicant,
    allocate_prefecture,
    confirm_contact,
    register_request,
)
from guichet.catalogue.capacity import open_capacity
from guichet.catalogue.enums import DeadlineKind, ServiceKind
from guichet.catalogue.models import Closure, OpeningRule, Prefecture, Service, Site
from guichet.notifications.enums import MessageStatus
from guichet.notifications.models import Message

from .catalogue import PREFECTURES, SERVICES, PrefectureSpec
from .documents import add_document_lists
from .people import channel_of, synthetic_person

# Share of each service in the demand (sums to 100).
DEMAND_SHARE: dict[str, int] = {
    ServiceKind.FIRST_PERMIT: 28,
    ServiceKind.RENEWAL: 30,
    ServiceKind.RESIDENT_CARD_RENEWAL: 8,
    ServiceKind.NATURALISATION: 10,
    ServiceKind.PERMIT_PICKUP: 10,
    ServiceKind.RECEIPT_PICKUP: 5,
    ServiceKind.TRAVEL_DOCUMENT: 3,
    ServiceKind.REGULARISATION: 6,
}
# Days from today to the document's expiry: renewals are filed 120 to 60 days ahead (CESEDA
# R431-5); a récépissé is renewed a few weeks before it runs out.
EXPIRY_WINDOW: dict[str, tuple[int, int]] = {
    DeadlineKind.PERMIT_EXPIRY: (60, 120),
    DeadlineKind.RECEIPT_EXPIRY: (10, 45),
}


@dataclasses.dataclass
class Outcome:
    """What seeding did for one préfecture; `created` is False when it was already there."""

    department_code: str
    name: str
    created: bool
    units: int = 0
    registered: int = 0
    dated: int = 0
    waiting: int = 0


def monday_in(weeks: int, today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=weeks)


def build_prefecture(spec: PrefectureSpec) -> Prefecture:
    """The préfecture with its sites, services, opening rules and closures; no units yet."""
    prefecture = Prefecture.objects.create(department_code=spec.department_code, name=spec.name)
    today = timezone.localdate(timezone=prefecture.tz)
    services = {
        kind: Service.objects.create(
            prefecture=prefecture,
            kind=kind,
            name=service.name,
            description=service.description,
            duration_minutes=service.duration_minutes,
            documents="\n".join(service.documents),
            deadline_kind=service.deadline_kind,
            target_wait_days=service.target_wait_days,
            needs_permit_number=service.needs_permit_number,
        )
        for kind, service in SERVICES.items()
    }
    add_document_lists(services)
    sites = {}
    for site_spec in spec.sites:
        site = Site.objects.create(
            prefecture=prefecture,
            name=site_spec.name,
            kind=site_spec.kind,
            address=site_spec.address,
        )
        sites[site.name] = site
        OpeningRule.objects.bulk_create(
            OpeningRule(
                site=site,
                service=services[opening.service],
                weekday=weekday,
                opens_at=opening.opens_at,
                closes_at=opening.closes_at,
                desks=opening.desks,
                slot_minutes=opening.slot_minutes,
            )
            for opening in site_spec.openings
            for weekday in opening.weekdays
        )
    for closure in spec.closures:
        starts_on = monday_in(closure.weeks_ahead, today)
        Closure.objects.create(
            prefecture=prefecture,
            site=sites[closure.site] if closure.site else None,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=closure.days - 1),
            reason=closure.reason,
        )
    return prefecture


def sites_offering(prefecture: Prefecture) -> dict[Service, list[Site]]:
    """Each service of the préfecture and the sites whose opening rules receive it."""
    offered: dict[Service, list[Site]] = {}
    for rule in OpeningRule.objects.filter(site__prefecture=prefecture).select_related(
        "site", "service"
    ):
        sites = offered.setdefault(rule.service, [])
        if rule.site not in sites:
            sites.append(rule.site)
    return offered


def synthetic_applicant(
    service: Service, rng: random.Random, today: datetime.date, taken: set[str]
) -> Applicant:
    """A person not yet in `taken`, with the permit number and expiry their service asks for."""
    while True:
        person = synthetic_person(rng, today)
        key = identity_key(person.family_name, person.given_names, person.birth_date)
        if key not in taken:
            taken.add(key)
            break
    expiry_window = EXPIRY_WINDOW.get(service.deadline_kind)
    return Applicant(
        family_name=person.family_name,
        given_names=person.given_names,
        birth_date=person.birth_date,
        nationality=person.nationality,
        email=person.email,
        phone=person.phone,
        permit_number=f"{rng.randrange(10**10):010d}" if service.needs_permit_number else "",
        # Drawn from the person, not from `rng`: the demo's other draws stay what they were.
        passport_number="" if service.needs_permit_number else f"P{int(key[:12], 16) % 10**8:08d}",
        permit_expires_on=today + datetime.timedelta(days=rng.randint(*expiry_window))
        if expiry_window
        else None,
    )


def accepted_sites(sites: list[Site], rng: random.Random) -> list[Site]:
    """Most people accept one site, some two, a few any site that offers the service."""
    count = rng.choices((1, 2, len(sites)), weights=(60, 30, 10))[0]
    return rng.sample(sites, min(count, len(sites)))


def services_in_demand(services: list[Service], count: int, rng: random.Random) -> list[Service]:
    """`count` services in DEMAND_SHARE proportions (largest remainders), in a shuffled order."""
    total = sum(DEMAND_SHARE[service.kind] for service in services)
    exact = {service: count * DEMAND_SHARE[service.kind] / total for service in services}
    counts = {service: int(share) for service, share in exact.items()}
    missing = count - sum(counts.values())
    for service in sorted(services, key=lambda service: counts[service] - exact[service])[:missing]:
        counts[service] += 1
    demand = [service for service, n in counts.items() for _ in range(n)]
    rng.shuffle(demand)
    return demand


def register_demand(prefecture: Prefecture, count: int, rng: random.Random) -> int:
    """Register `count` requests spread over the services by DEMAND_SHARE; returns how many."""
    today = timezone.localdate(timezone=prefecture.tz)
    offered = sites_offering(prefecture)
    taken: set[str] = set()
    registered = 0
    for service in services_in_demand(list(offered), count, rng):
        request, created = register_request(
            service=service,
            applicant=synthetic_applicant(service, rng, today, taken),
            sites=accepted_sites(offered[service], rng),
            channel=channel_of(rng),
        )
        if request.status == RequestStatus.UNVERIFIED:
            # The person types the code they were sent, as they would on the web.
            confirm_contact(request, request.verification_code)
        registered += created
    return registered


def seed_prefecture(spec: PrefectureSpec, *, requests: int, weeks: int | None, seed: int):
    """Build, open, fill and allocate one préfecture in one transaction: all of it or nothing."""
    if Prefecture.objects.filter(department_code=spec.department_code).exists():
        return Outcome(spec.department_code, spec.name, created=False)
    rng = random.Random(f"{seed}:{spec.department_code}")
    with transaction.atomic():
        prefecture = build_prefecture(spec)
        units = open_capacity(prefecture, weeks)
        registered = register_demand(prefecture, requests, rng)
        allocate_prefecture(prefecture, seed=rng.getrandbits(62))
        # The seeded history is not news to anyone: only what happens from now on is sent.
        Message.objects.filter(request__prefecture=prefecture, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SKIPPED
        )
    requests_by_status = Request.objects.filter(prefecture=prefecture)
    return Outcome(
        spec.department_code,
        spec.name,
        created=True,
        units=units,
        registered=registered,
        dated=requests_by_status.filter(status=RequestStatus.DATED).count(),
        waiting=requests_by_status.filter(status=RequestStatus.WAITING).count(),
    )


def seed_demo(*, requests_per_prefecture: int = 1500, weeks: int | None = None, seed: int = 1):
    """Seed every demo préfecture that does not exist yet; returns one Outcome per préfecture."""
    outcomes = [
        seed_prefecture(spec, requests=requests_per_prefecture, weeks=weeks, seed=seed)
        for spec in PREFECTURES
    ]
    ensure_demo_agents([spec.department_code for spec in PREFECTURES])
    ensure_demo_member()
    return outcomes
