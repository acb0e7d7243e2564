"""`python -m bench production`: the production path beside the engine it calls, as ratios.

One préfecture (94, two sites, one service) is seeded with a backlog of waiting requests (10k and
100k; `GUICHET_BENCH_BACKLOGS` changes it), each with its sites and its first history row, and
with free units for about a fifth of them (the share a real Val-de-Marne batch dated). On that
instance, in one process and one run:

- `allocate`: `allocate_prefecture`, what `guichet allocate --prefecture 94` runs (row lock,
  reads, engine, writes), beside the time of the engine's own `allocate` call inside it;
- a cancellation from the person's page (the view, through Django's test client, after the
  confirmation page), for the latest dates, at the backlog left after that batch (~80k waiting
  at 100k): median and 95th percentile over 30; the freed unit goes to the next person within it;
- the offer cascade after 1,000 cancellations (appointments withdrawn without re-offering, as a
  closure does): `make_offers` until every freed unit is decided, beside the engine's own
  `choose_for_unit` calls;
- a capacity preview (one more Saturday morning session), beside its two engine runs.

Each line gives the wall time, the engine's time in it, their ratio, and the SQL statements run
(a COPY of bulk rows on PostgreSQL is not counted). Planner statistics are refreshed (ANALYZE)
after seeding and after the batch, as autovacuum would have by then.
The instance is run on PostgreSQL (a database of its own, created and dropped here) and on
SQLite (a temporary file), each in a child process. Writes bench/results/production_path.md.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import psycopg

from . import web

RESULTS = Path(__file__).parent / "results"
BACKLOGS = tuple(
    int(size) for size in os.environ.get("GUICHET_BENCH_BACKLOGS", "10000,100000").split(",")
)
DATABASE = f"guichet_bench_path_{os.getpid()}"
DATED_SHARE = 0.2  # free units for this share of the backlog
CANCELLED = 1_000  # appointments withdrawn before the cascade
CANCELLATIONS_TIMED = 30  # cancellations from the person's page
SEED = 1


class Stopwatch:
    """Time spent in one function while a block runs, and SQL statements run meanwhile."""

    def __init__(self):
        self.engine = 0.0
        self.queries = 0

    def timed(self, function: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.engine += time.perf_counter() - started

        return wrapper

    def count(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


@contextmanager
def measured(module, name: str):
    """Patch `module.name` (the engine function a service calls) to time it; count queries."""
    from django.db import connection

    watch = Stopwatch()
    original = getattr(module, name)
    setattr(module, name, watch.timed(original))
    started = time.perf_counter()
    try:
        with connection.execute_wrapper(watch.count):
            yield watch
    finally:
        watch.wall = time.perf_counter() - started
        setattr(module, name, original)


def seed(size: int, now: datetime.datetime):
    """The préfecture, its sites and service, `size` waiting requests (with their sites and first
    history row), and free units, in bulk (`guichet.bulk.insert_rows`)."""
    from guichet.booking.enums import Channel, EventKind, RequestStatus
    from guichet.booking.models import Request, RequestEvent
    from guichet.bulk import insert_rows
    from guichet.catalogue.enums import DeadlineKind, ServiceKind, SiteKind
    from guichet.catalogue.models import Prefecture, Service, Site, Unit

    prefecture = Prefecture.objects.create(department_code="94", name="Val-de-Marne")
    sites = [
        Site.objects.create(prefecture=prefecture, name=name, kind=SiteKind.PREFECTURE)
        for name in ("Créteil", "Nogent-sur-Marne")
    ]
    service = Service.objects.create(
        prefecture=prefecture,
        kind=ServiceKind.FIRST_PERMIT,
        name="Première demande",
        deadline_kind=DeadlineKind.NONE,
        target_wait_days=60,
        documents="Passeport\nJustificatif de domicile",
    )
    # Registered over the past year, one every few minutes: deadlines fall on ~365 dates, so
    # the lottery has ties of a few hundred requests to draw.
    step = datetime.timedelta(days=365) / size
    first = now - datetime.timedelta(days=365)
    fields = (
        "number",
        "access_token",
        "prefecture_id",
        "service_id",
        "channel",
        "status",
        "family_name",
        "given_names",
        "birth_date",
        "nationality",
        "passport_number",
        "identity_key",
        "person_key",
        "service_group",
        "email",
        "phone",
        "deadline",
        "registered_at",
        "contact_verified_at",
    )
    insert_rows(
        Request,
        fields,
        [
            (
                f"94-{i // 10_000:04d}-{i % 10_000:04d}",
                f"bench-{i}",
                prefecture.pk,
                service.pk,
                Channel.WEB.value,
                RequestStatus.WAITING.value,
                f"Personne{i}",
                "Awa",
                datetime.date(1990, 1, 1) + datetime.timedelta(days=i % 9000),
                "sénégalaise",
                f"PA{i:07d}",
                f"bench-identity-{i}",
                f"bench-person-{i}",
                service.group,
                f"personne{i}@example.org",
                "+33612345678" if i % 3 == 0 else "",
                (first + i * step).date() + datetime.timedelta(days=60),
                first + i * step,
                first + i * step,
            )
            for i in range(size)
        ],
    )
    ids = list(Request.objects.order_by("registered_at").values_list("id", flat=True))
    insert_rows(
        Request.sites.through,
        ("request_id", "site_id"),
        [
            (request_id, site.pk)
            for index, request_id in enumerate(ids)
            for site in (sites if index % 4 == 0 else sites[index % 2 : index % 2 + 1])
        ],
    )
    insert_rows(
        RequestEvent,
        ("request_id", "at", "kind", "detail"),
        [
            (request_id, first + index * step, EventKind.REGISTERED.value, {"channel": "web"})
            for index, request_id in enumerate(ids)
        ],
    )
    # Units: 20-minute slots from 9:00 on the next 60 working days after the lead time, both
    # sites, as many desks as a fifth of the backlog needs.
    tz = prefecture.tz
    days, day = [], (now + datetime.timedelta(days=prefecture.min_lead_days + 1)).date()
    while len(days) < 60:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    per_day_and_site = max(1, round(size * DATED_SHARE / len(days) / len(sites)))
    slots, desks = 9, -(-per_day_and_site // 9)
    slot = datetime.timedelta(minutes=20)
    Unit.objects.bulk_create(
        (
            Unit(
                site=site,
                service=service,
                starts_at=start,
                ends_at=start + slot,
                desk=desk,
            )
            for day in days
            for site in sites
            for n in range(slots)
            for start in [datetime.datetime.combine(day, datetime.time(9), tz) + n * slot]
            for desk in range(1, desks + 1)
        ),
        batch_size=5000,
    )
    return prefecture, sites, service


def analyze() -> None:
    """Fresh planner statistics, as autovacuum gives a database whose queue grew over weeks and
    whose batch ran minutes before people cancel; a bulk load leaves none."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def cancellations_from_the_page(prefecture, now) -> tuple[list[float], int]:
    """Wall times (s) of the cancellation view for dated requests with later dates, and the
    queries of the slowest."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from guichet.booking.enums import RequestStatus
    from guichet.booking.models import Request

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    dated = Request.objects.filter(prefecture=prefecture, status=RequestStatus.DATED).order_by(
        "-appointment__unit__starts_at"
    )[:CANCELLATIONS_TIMED]
    times, queries = [], 0
    for request in list(dated):
        page = reverse("booking:cancel", args=[request.access_token])
        client.get(page)  # the confirmation step, as a person sees it first
        watch = Stopwatch()
        with connection.execute_wrapper(watch.count):
            started = time.perf_counter()
            response = client.post(page)
            times.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
        queries = max(queries, watch.queries)
    return times, queries


def child(size: int) -> dict:
    """Everything measured on one backlog, in this process's database."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    import guichet.backoffice.planning as planning
    import guichet.booking.offers as offers
    import guichet.booking.services as services
    from guichet.booking.enums import RequestStatus
    from guichet.booking.models import Request
    from guichet.catalogue.models import OpeningRule

    settings.DEBUG = False  # no query log: the bench measures production's code path
    call_command("migrate", verbosity=0)
    now = timezone.now()
    started = time.perf_counter()
    prefecture, sites, service = seed(size, now)
    seeded = time.perf_counter() - started
    analyze()
    result = {"size": size, "seed_s": seeded}

    with measured(services, "allocate") as watch:
        batches = services.allocate_prefecture(prefecture, seed=SEED, now=now)
    result["allocate"] = vars(watch) | {"dated": sum(batch.dated for batch in batches)}
    result["waiting_after"] = Request.objects.filter(status=RequestStatus.WAITING).count()
    analyze()

    times, queries = cancellations_from_the_page(prefecture, timezone.now())
    result["cancel"] = {
        "median_s": statistics.median(times),
        "p95_s": percentile(times, 0.95),
        "queries": queries,
    }

    # A closure's worth of withdrawn appointments: the earliest dated, so their units are worth
    # offering to people dated later.
    later = now + datetime.timedelta(minutes=1)
    withdrawn = list(
        Request.objects.filter(prefecture=prefecture, status=RequestStatus.DATED).order_by(
            "appointment__unit__starts_at"
        )[:CANCELLED]
    )
    for request in withdrawn:
        services.cancel_request(request, by="prefecture", reoffer=False, now=later)
    decided = 0
    with measured(offers, "choose_for_unit") as watch:
        while made := offers.make_offers(later, limit_per_service=CANCELLED, prefecture=prefecture):
            decided += made
    result["cascade"] = vars(watch) | {"offers_and_dates": decided, "freed": len(withdrawn)}

    saturday = OpeningRule(
        site=sites[0],
        service=service,
        weekday=5,
        opens_at=datetime.time(9),
        closes_at=datetime.time(12),
        desks=4,
        slot_minutes=20,
    )
    with measured(planning, "allocate") as watch:
        preview = planning.preview(prefecture, saturday, now=later)
    result["preview"] = vars(watch) | {"units_added": preview.units_added}
    return result


def run_child(database_url: str, size: int, var_dir: str) -> dict:
    environment = dict(os.environ, DATABASE_URL=database_url, DEBUG="1", GUICHET_VAR_DIR=var_dir)
    environment["DJANGO_SETTINGS_MODULE"] = "guichet.settings"
    output = subprocess.run(
        [sys.executable, "-m", "bench.production_path", str(size)],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        cwd=web.PROJECT,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def ratio(part: dict) -> str:
    return f"{part['wall'] / part['engine']:.0f}×" if part["engine"] else "—"


def rows(database: str, result: dict) -> list[str]:
    size, allocate, cascade, preview, cancel = (
        f"{result['size']:,}",
        result["allocate"],
        result["cascade"],
        result["preview"],
        result["cancel"],
    )
    return [
        f"| {database} | {size} | allocate ({allocate['dated']:,} dated) "
        f"| {allocate['wall']:.2f} | {allocate['engine']:.3f} | {ratio(allocate)} "
        f"| {allocate['queries']} |",
        f"| {database} | {size} | offer cascade after {cascade['freed']:,} cancellations "
        f"({cascade['offers_and_dates']:,} offers or dates) | {cascade['wall']:.2f} "
        f"| {cascade['engine']:.3f} | {ratio(cascade)} | {cascade['queries']} |",
        f"| {database} | {size} | capacity preview (+{preview['units_added']} units) "
        f"| {preview['wall']:.2f} | {preview['engine']:.3f} | {ratio(preview)} "
        f"| {preview['queries']} |",
        f"| {database} | {size} | a cancellation from the person's page at "
        f"{result['waiting_after']:,} waiting (median / p95 of {CANCELLATIONS_TIMED}) "
        f"| {cancel['median_s'] * 1000:.0f} ms / {cancel['p95_s'] * 1000:.0f} ms | — | — "
        f"| {cancel['queries']} |",
        f"| {database} | {size} | seeding (bulk) | {result['seed_s']:.1f} | — | — | — |",
    ]


def main() -> None:
    admin_url = web.server_url()
    try:
        psycopg.connect(admin_url, connect_timeout=5).close()
        postgres = True
    except psycopg.OperationalError as error:
        print(f"PostgreSQL part skipped: no PostgreSQL at {admin_url} ({error})")
        postgres = False
    table = [
        "| database | waiting | step | wall (s) | engine (s) | wall / engine | SQL statements |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    load_before = os.getloadavg()[0]
    for size in BACKLOGS:
        runs = []
        if postgres:
            runs.append(("PostgreSQL", lambda: web.fresh_database(admin_url, DATABASE)))
        runs.append(("SQLite", None))
        for database, fresh in runs:
            with tempfile.TemporaryDirectory(prefix="guichet-bench-path-") as var:
                if fresh is None:
                    result = run_child(f"sqlite:///{var}/bench.sqlite3", size, var)
                else:
                    with fresh() as url:
                        result = run_child(url, size, var)
            for row in rows(database, result):
                print(row, flush=True)
                table.append(row)
    machine = (
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores "
        f"(load average {load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after)"
    )
    RESULTS.mkdir(exist_ok=True)
    text = "\n".join(table) + "\n"
    (RESULTS / "production_path.md").write_text(
        "# Production path benchmark\n\n"
        f"`python -m bench production` on {machine}. One préfecture, one service, two sites; "
        f"free units for {DATED_SHARE:.0%} of the backlog. Engine: the time of the engine "
        "functions the step calls (`allocate`, `choose_for_unit`), measured inside the step, "
        "so both figures come from the same instance in the same run. SQL statements: counted "
        "at the connection (a bulk insert is one; PostgreSQL's COPY of bulk rows is not seen). "
        "Planner statistics refreshed (ANALYZE) after seeding and after the batch.\n\n" + text
    )
    print("\n" + text)


if __name__ == "__main__":
    print(json.dumps(child(int(sys.argv[1]))))
