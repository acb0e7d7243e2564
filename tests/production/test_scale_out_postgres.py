"""Scale-out: two web servers and two workers on one PostgreSQL database, under concurrent work.

Production runs several gunicorn servers behind a load balancer that may send each request of one
person to a different server, and several workers beside them. Here two gunicorn servers (as
scripts/serve.sh starts them: DEBUG off, production secrets, persistent connections, each on its
own loopback port), two `guichet db_worker` and two `guichet scheduler` share a fresh database
(`guichet_scaleout_test`, a small demo seed). Threads then file requests through the JSON API on
both ports, some people twice at the same instant on both servers; confirm contacts and cancel
appointments through the secret-link pages (each form read from one server and posted to the
other); `guichet allocate` batches run in parallel with all of it, and the workers run their due
work (allocation batches, offers of freed units) meanwhile. Afterwards the database must say:
no unit held twice or offered twice, no identity holding two places in line, every request
acknowledged with 201 stored, and no request answered with a 5xx.

The proof of work and the rate limits are off for these servers (GUICHET_ALTCHA_ENABLED=0,
GUICHET_RATE_LIMITS_ENABLED=0): they would refuse this load from one address by design, and are
tested in test_protection.py, test_counters*.py and test_rate_limits_behind_a_proxy.py. Cookies
travel over plain HTTP to 127.0.0.1, so they are not marked Secure here (no TLS proxy in front).
"""

import concurrent.futures
import datetime
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest

from bench.web import free_port, fresh_database, production_environment

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATABASE = "guichet_scaleout_test"
POSTGRES_URL = os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not POSTGRES_URL.startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)",
    ),
]

PEOPLE = 24  # filed once each, alternately on each server
TWINS = 6  # filed twice each, on both servers at the same instant
CANCELLED = 8  # dated requests cancelled from their page
LATE = 6  # filed and confirmed while the cancellations happen
THREADS = 8
# Requests holding a place in line (or an appointment): one per identity and service group.
QUEUED = ("held", "waiting", "dated")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def database_url():
    with fresh_database(
        urlsplit(POSTGRES_URL)._replace(path="/postgres").geturl(), DATABASE
    ) as url:
        yield url


class Processes:
    """Long-running commands, each in a session of its own with its log in a file."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.started: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        with (self.folder / f"{name}.log").open("w") as log:
            self.started[name] = subprocess.Popen(
                command,
                env=env,
                cwd=PROJECT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self.started[name]

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def tails(self) -> str:
        return "\n".join(
            f"--- {name} (exit {process.poll()}):\n" + "\n".join(self.log(name).splitlines()[-15:])
            for name, process in self.started.items()
        )

    def stop(self) -> None:
        for process in self.started.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.started.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class Answers:
    """Every HTTP answer the test received, from any thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seen: list[tuple[str, str, int]] = []

    def record(self, response: httpx.Response) -> httpx.Response:
        with self.lock:
            self.seen.append(
                (response.request.method, response.request.url.path, response.status_code)
            )
        return response

    def server_errors(self) -> list[tuple[str, str, int]]:
        return [answer for answer in self.seen if answer[2] >= 500]


def letters(n: int) -> str:
    """A distinct name for each number (names need letters)."""
    return "".join(chr(ord("a") + int(digit)) for digit in str(n)).capitalize()


def person(n: int, service: dict) -> dict:
    return {
        "prefecture": "94",
        "service": service["id"],
        "family_name": f"Montee {letters(n)}",
        "given_names": "Aminata",
        "birth_date": (datetime.date(1980, 1, 1) + datetime.timedelta(days=n)).isoformat(),
        "nationality": "sénégalaise",
        "passport_number": f"SC{n:07d}",  # the identity's document where the motif asks none
        "email": f"montee-{n}@example.org",
        "sites": [site["id"] for site in service["sites"]],
    }


def post_form(answers: Answers, page_url: str, post_url: str) -> httpx.Response:
    """Read a form from one server and post it to another, as a browser behind a load
    balancer without sticky sessions would: same cookies, the posting server's Origin."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(post_url))
    with httpx.Client(timeout=60) as browser:
        page = answers.record(browser.get(page_url))
        assert page.status_code == 200, (page_url, page.status_code)
        token = CSRF_FIELD.search(page.text).group(1)
        return answers.record(
            browser.post(post_url, data={"csrfmiddlewaretoken": token}, headers={"Origin": origin})
        )


def serve_environment() -> dict[str, str]:
    """What scripts/serve.sh gives gunicorn beyond the settings' defaults, read from it."""
    script = (PROJECT / "scripts" / "serve.sh").read_text()
    found = re.search(r'CONN_MAX_AGE="\$\{CONN_MAX_AGE:-(\d+)\}" \$bin/gunicorn ', script)
    assert found, "scripts/serve.sh no longer starts gunicorn with CONN_MAX_AGE"
    return {"CONN_MAX_AGE": found.group(1)}


def wait_until(condition, what: str, processes: Processes, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        for name, process in processes.started.items():
            assert process.poll() is None, f"{name} exited:\n{processes.tails()}"
        assert time.monotonic() < deadline, f"{what} after {timeout} s:\n{processes.tails()}"
        time.sleep(0.3)


def answers_home(server: str) -> bool:
    try:
        return httpx.get(server + "/", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def test_two_web_servers_and_two_workers_keep_the_rules(database_url, tmp_path):
    ports = [free_port(), free_port()]
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    environment = production_environment(database_url, servers[0], tmp_path / "var")
    processes = Processes(tmp_path)
    answers = Answers()
    allocations: list[subprocess.Popen] = []

    def allocate(count: int) -> None:
        """`guichet allocate` batches for Val-de-Marne, in parallel."""
        for _ in range(count):
            allocations.append(
                subprocess.Popen(
                    [str(BIN / "guichet"), "allocate", "--prefecture", "94"],
                    env=environment,
                    cwd=PROJECT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )

    def wait_for_allocations() -> None:
        while allocations:
            process = allocations.pop()
            output, _ = process.communicate(timeout=120)
            assert process.returncode == 0, output

    def value(sql: str, *parameters):
        """The first column of the first row."""
        with psycopg.connect(database_url) as db:
            return db.execute(sql, parameters).fetchone()[0]

    try:
        # The web tier as scripts/serve.sh starts it (persistent connections included), booting
        # while the database is migrated and seeded.
        for index, port in enumerate(ports):
            processes.start(
                f"web{index}",
                [str(BIN / "gunicorn"), "guichet.wsgi", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", "2"],
                {**environment, **serve_environment()},
            )
        # The demo's accounts have public passwords: it seeds with DEBUG on only.
        seeded = subprocess.run(
            [
                str(BIN / "guichet"),
                "shell",
                "-c",
                "from django.core.management import call_command as run; "
                "run('migrate', verbosity=0); run('createcachetable'); "
                "run('demo', requests_per_prefecture=0, weeks=2, observatory_weeks=0)",
            ],
            env={**environment, "DEBUG": "1"},
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert seeded.returncode == 0, seeded.stdout + seeded.stderr
        with psycopg.connect(database_url, autocommit=True) as db:
            # Capacity stays the seeded two weeks (the workers would open 26 more weeks today),
            # and every run of the workers' due work is an allocation batch.
            db.execute(
                "UPDATE catalogue_prefecture SET allocation_interval_minutes = 0, "
                "capacity_opened_on = (now() AT TIME ZONE time_zone)::date"
            )
        for index in range(2):
            guichet = str(BIN / "guichet")
            processes.start(
                f"worker{index}", [guichet, "db_worker", "--interval", "1"], environment
            )
            processes.start(
                f"scheduler{index}", [guichet, "scheduler", "--interval", "1"], environment
            )
        for server in servers:
            wait_until(
                lambda server=server: answers_home(server), f"no answer at {server}", processes
            )

        services = httpx.get(servers[0] + "/api/prefectures/94/services").json()
        service = next(
            s for s in services if not s["needs_permit_number"] and s["deadline_kind"] == "none"
        )
        acknowledged: dict[str, tuple[int, str]] = {}  # number -> (person, status page), 201s
        intake_answers: list[tuple[int, int]] = []  # (person, status code)
        lock = threading.Lock()

        def file(n: int, server: str, barrier: threading.Barrier | None = None) -> None:
            with httpx.Client(timeout=60) as client:
                if barrier is not None:
                    barrier.wait(timeout=60)
                answer = answers.record(
                    client.post(server + "/api/demandes", json=person(n, service))
                )
            with lock:
                intake_answers.append((n, answer.status_code))
                if answer.status_code == 201:
                    acknowledged[answer.json()["number"]] = (n, answer.json()["status_url"])

        def confirm(pool) -> list[concurrent.futures.Future]:
            """Every request still unverified, confirmed from the link sent with its code."""
            with psycopg.connect(database_url) as db:
                codes = dict(
                    db.execute(
                        "SELECT number, verification_code FROM booking_request "
                        "WHERE number = ANY(%s) AND status = 'unverified' ORDER BY number",
                        [list(acknowledged)],
                    ).fetchall()
                )
            futures = []
            for index, (number, code) in enumerate(codes.items()):
                page = acknowledged[number][1].replace("/suivi/", f"/confirmer/{code}/")
                other = page.replace(servers[index % 2], servers[(index + 1) % 2])
                futures.append(pool.submit(post_form, answers, page, other))
            return futures

        # 1. Intakes on both servers; twins on both at the same instant.
        twins = []
        for n in range(PEOPLE, PEOPLE + TWINS):
            barrier = threading.Barrier(2)
            twins += [
                threading.Thread(target=file, args=(n, server, barrier)) for server in servers
            ]
        for thread in twins:
            thread.start()
        with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(file, range(PEOPLE), [servers[n % 2] for n in range(PEOPLE)]))
        for thread in twins:
            thread.join()

        # 2. Contacts confirmed from the pages while two `guichet allocate` batches and the
        # workers' batches run; then the workers date whatever is left waiting.
        allocate(2)
        with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
            confirmed = confirm(pool)
        wait_for_allocations()
        wait_until(
            lambda: value("SELECT count(*) FROM booking_request WHERE status = 'waiting'") == 0,
            "requests still waiting",
            processes,
        )

        # 3. Cancellations from the pages, new people filing and confirming, another batch,
        # and the workers' due work (batches, offers of the freed units), all at once.
        single = [number for number, (n, _) in acknowledged.items() if n < PEOPLE]
        with psycopg.connect(database_url) as db:
            dated = db.execute(
                "SELECT number FROM booking_request WHERE status = 'dated' AND number = ANY(%s) "
                "ORDER BY number",
                [single],
            ).fetchall()
        cancelled = [number for (number,) in dated[:CANCELLED]]
        assert len(cancelled) == CANCELLED, (dated, processes.tails())
        allocate(1)
        with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
            cancellations = []
            for index, number in enumerate(cancelled):
                page = acknowledged[number][1].replace("/suivi/", "/annuler/")
                other = page.replace(servers[index % 2], servers[(index + 1) % 2])
                cancellations.append(pool.submit(post_form, answers, page, other))
            late = range(PEOPLE + TWINS, PEOPLE + TWINS + LATE)
            list(pool.map(file, late, [servers[n % 2] for n in late]))
            confirmed += confirm(pool)  # the late ones
        done_at = value("SELECT clock_timestamp()")  # the database's clock (tests may shift theirs)
        wait_for_allocations()

        # 4. The workers run their due work once more after all of it.
        wait_until(
            lambda: value(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE "
                "status = 'SUCCESSFUL' AND task_path LIKE %s AND started_at > %s",
                "%run_due_work",
                done_at,
            ),
            "no due work run by the workers",
            processes,
        )
    finally:
        processes.stop()
        for process in allocations:
            process.kill()

    # No 5xx; every form went through; every intake was taken or, for a twin, maybe answered
    # as the same person's request (the response to a duplicate is another test's business).
    assert answers.server_errors() == [], processes.tails()
    assert len(intake_answers) == PEOPLE + 2 * TWINS + LATE
    assert {future.result().status_code for future in confirmed + cancellations} == {302}
    for n, status in intake_answers:
        assert status == 201 or (status == 200 and n in range(PEOPLE, PEOPLE + TWINS)), (n, status)

    with psycopg.connect(database_url) as db:

        def rows(sql: str, *parameters) -> list[tuple]:
            return db.execute(sql, parameters).fetchall()

        # Every request acknowledged with 201 is stored, with its number.
        stored = {number for (number,) in rows("SELECT number FROM booking_request")}
        assert set(acknowledged) <= stored
        # No unit given twice: one appointment per unit, one pending offer per unit and per
        # request, and never both an appointment and a pending offer on one unit.
        assert rows("SELECT unit_id FROM booking_appointment GROUP BY 1 HAVING count(*) > 1") == []
        pending = (
            "SELECT {0} FROM booking_offer WHERE status = 'pending' GROUP BY 1 HAVING count(*) > 1"
        )
        assert rows(pending.format("unit_id")) == []
        assert rows(pending.format("request_id")) == []
        assert (
            rows(
                "SELECT unit_id FROM booking_offer JOIN booking_appointment USING (unit_id) "
                "WHERE status = 'pending'"
            )
            == []
        )
        # Appointments belong to dated requests, and every dated request has exactly one.
        assert (
            rows(
                "SELECT r.number, r.status FROM booking_request r LEFT JOIN booking_appointment a "
                "ON a.request_id = r.id WHERE (r.status = 'dated') <> (a.id IS NOT NULL)"
            )
            == []
        )
        # No identity holds two places in line; each twin holds exactly one.
        queued = "status = ANY(%s)"
        assert (
            rows(
                f"SELECT identity_key, service_group FROM booking_request WHERE {queued} "
                "GROUP BY 1, 2 HAVING count(*) > 1",
                list(QUEUED),
            )
            == []
        )
        twin_names = [person(n, service)["family_name"] for n in range(PEOPLE, PEOPLE + TWINS)]
        places = rows(
            f"SELECT family_name, count(*) FROM booking_request WHERE {queued} "
            "AND family_name = ANY(%s) GROUP BY 1 ORDER BY 1",
            list(QUEUED),
            twin_names,
        )
        assert places == [(name, 1) for name in sorted(twin_names)]
        # The cancelled requests are cancelled.
        assert rows(
            "SELECT DISTINCT status FROM booking_request WHERE number = ANY(%s)", cancelled
        ) == [("cancelled",)]
        # The workers' batches dated every confirmed request left waiting, the late ones too.
        assert rows("SELECT number FROM booking_request WHERE status = 'waiting'") == []
        assert (
            rows("SELECT id FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'") == []
        )
