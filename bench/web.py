"""`python -m bench web`: the web tier's throughput on PostgreSQL, page by page, as ratios.

gunicorn is started as scripts/serve.sh starts it (`gunicorn guichet.wsgi`, as many workers as
serve.sh gives this machine, DEBUG off, real secrets, persistent database connections) on a
PostgreSQL database of its own (`guichet_bench`, created and dropped here), migrated and seeded
with a small demo. A bounded load generator on 127.0.0.1 (two threads per worker, each with its
own httpx client, for a fixed time) counts the answers per second for:

- the home page: a template page with no database work, the yardstick;
- the status page of a dated request (its secret link);
- the intake API: a POST of a new request (a new person) each time;
- an agent's day agenda, in a session logged in through the login pages (password, TOTP).

After the load, bench/queries.py counts the SQL statements of one more answer of each page.

Each page is measured right after and right before the home page (home, status, home, intake,
home, agenda, home), in several rounds: on a machine other processes load, each ratio compares
measurements taken seconds apart, and the median over rounds is reported. The CPU time the
gunicorn workers spent per answer (from /proc) is reported beside it: other processes' load
changes it little, and it says where a page's time goes. Absolute rates depend on the machine
and its load; the ratios are what to compare between runs.

The proof of work and the rate limits are off for this server (GUICHET_ALTCHA_ENABLED=0,
GUICHET_RATE_LIMITS_ENABLED=0): a client solving a puzzle per request would measure the client,
and the limits would refuse the load after 20 intakes; both are tested elsewhere. Static files
are served from the applications' folders (no collectstatic) and are not measured.

Writes bench/results/web.md and prints it.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import json
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg
import pyotp

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = Path(__file__).parent / "results"
DATABASE = "guichet_bench"
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# gunicorn's --workers as scripts/serve.sh sets them without WEB_CONCURRENCY: 2 per core + 1.
WORKERS = int(os.environ.get("WEB_CONCURRENCY", len(os.sched_getaffinity(0)) * 2 + 1))
CONCURRENCY = 2 * WORKERS  # client threads: a request waiting in each worker's queue
ROUNDS = int(os.environ.get("GUICHET_BENCH_ROUNDS", "7"))
SECONDS = float(os.environ.get("GUICHET_BENCH_SECONDS", "3"))  # per page and round
WARM_UP_SECONDS = 2.0
REQUESTS_PER_PREFECTURE = 40  # demo seed: dated requests and a day's agenda
DEMO_AGENT, DEMO_PASSWORD = "chef.94", "demo-guichet-agent"
DEMO_TOTP_SECRET = "GUICHETDEMOTOTPSECRETONLYFORDEMO"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Whoever runs the bench must not pass their own settings to the server.
INHERITED = re.compile(
    r"(DEBUG|SECRET_KEY|ALLOWED_HOSTS|SITE_URL|DATABASE_URL|CSRF_TRUSTED_ORIGINS|EMAIL_.*"
    r"|SECURE_.*|SESSION_.*|CSRF_COOKIE_.*|GUICHET_.*|WEB_CONCURRENCY|GUNICORN_CMD_ARGS"
    r"|CONN_MAX_AGE|CONN_HEALTH_CHECKS|REDIS_URL|SENTRY_.*)"
)


def serve_environment() -> dict[str, str]:
    """What scripts/serve.sh gives gunicorn beyond the settings' defaults, read from it: the
    bench measures what `make serve` runs."""
    script = (PROJECT / "scripts" / "serve.sh").read_text()
    found = re.search(r'CONN_MAX_AGE="\$\{CONN_MAX_AGE:-(\d+)\}" \$bin/gunicorn ', script)
    if not found:
        raise RuntimeError("scripts/serve.sh no longer starts gunicorn with CONN_MAX_AGE")
    return {"CONN_MAX_AGE": found.group(1)}


def server_url() -> str:
    """The PostgreSQL server: GUICHET_BENCH_POSTGRES, else DATABASE_URL's if it is PostgreSQL,
    else the local one; the bench connects to its `postgres` database to create its own."""
    url = os.environ.get("GUICHET_BENCH_POSTGRES") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_SERVER_URL
    return urlsplit(url)._replace(path="/postgres").geturl()


@contextmanager
def fresh_database(admin_url: str, name: str) -> Iterator[str]:
    drop = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(drop)
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield urlsplit(admin_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(drop)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(database_url: str, base_url: str, var_dir: Path) -> dict[str, str]:
    """Production's settings (DEBUG off, real secrets), on plain HTTP at 127.0.0.1."""
    environment = {
        name: value for name, value in os.environ.items() if not INHERITED.fullmatch(name)
    }
    environment.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        GUICHET_ALTCHA_HMAC_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        GUICHET_VAR_DIR=str(var_dir),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=base_url,
        # No TLS proxy in front: cookies travel over plain HTTP to 127.0.0.1.
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        GUICHET_SMS_BACKEND="guichet.notifications.sms.LocmemBackend",
        GUICHET_ALTCHA_ENABLED="0",
        GUICHET_RATE_LIMITS_ENABLED="0",
    )
    return environment


def guichet(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(BIN / "guichet"), *args], env=env, cwd=PROJECT, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"guichet {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclasses.dataclass
class Seeded:
    status_token: str  # the secret link of a dated request
    site: int  # the busiest site of Val-de-Marne (chef.94's)…
    day: datetime.date  # …on its busiest day


def seed(environment: dict[str, str]) -> Seeded:
    """Migrate and seed the demo (which runs with DEBUG on only: its accounts are public)."""
    guichet("check", "--deploy", env=environment)
    guichet("migrate", "--noinput", env=environment)
    guichet("createcachetable", env=environment)
    guichet(
        "demo",
        *("--requests-per-prefecture", str(REQUESTS_PER_PREFECTURE), "--weeks", "2"),
        *("--observatory-weeks", "0"),
        env={**environment, "DEBUG": "1"},
    )
    with psycopg.connect(environment["DATABASE_URL"]) as connection:
        (token,) = connection.execute(
            "SELECT r.access_token FROM booking_request r JOIN catalogue_prefecture p "
            "ON p.id = r.prefecture_id WHERE r.status = 'dated' AND p.department_code = '94' "
            "ORDER BY r.id LIMIT 1"
        ).fetchone()
        site, day = connection.execute(
            "SELECT u.site_id, (u.starts_at AT TIME ZONE p.time_zone)::date AS day "
            "FROM booking_appointment a JOIN catalogue_unit u ON u.id = a.unit_id "
            "JOIN catalogue_site s ON s.id = u.site_id "
            "JOIN catalogue_prefecture p ON p.id = s.prefecture_id "
            "WHERE p.department_code = '94' GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1"
        ).fetchone()
    return Seeded(status_token=token, site=site, day=day)


@dataclasses.dataclass
class Server:
    base_url: str
    master: int  # gunicorn's master process

    def workers(self) -> list[int]:
        """gunicorn's workers: the master's children (Linux's /proc)."""
        children = []
        for entry in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(entry.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == self.master:
                children.append(int(entry.parent.name))
        return children


def cpu_seconds(pids: list[int]) -> float | None:
    """User and system CPU time of these processes, or None where /proc cannot tell."""
    total = 0
    try:
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


@contextmanager
def gunicorn(environment: dict[str, str], port: int, log: Path) -> Iterator[Server]:
    """The web server as scripts/serve.sh starts it, in a session of its own."""
    base_url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "guichet.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", str(WORKERS)],
            env={**environment, **serve_environment()},
            cwd=PROJECT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(base_url + "/", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn never answered:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield Server(base_url, process.pid)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def logged_in_cookies(base_url: str) -> httpx.Cookies:
    """An agent's session, through the login pages as a browser goes: password, then TOTP."""
    with httpx.Client(base_url=base_url, headers={"Origin": base_url}) as client:
        page = client.get("/agent/connexion/")
        sent = client.post(
            "/agent/connexion/",
            data={
                "username": DEMO_AGENT,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": CSRF_FIELD.search(page.text).group(1),
            },
        )
        if sent.status_code != 302:
            raise RuntimeError(f"login refused ({sent.status_code})")
        second_factor = sent.headers["location"]
        page = client.get(second_factor)
        sent = client.post(
            second_factor,
            data={
                "code": pyotp.TOTP(DEMO_TOTP_SECRET).now(),
                "csrfmiddlewaretoken": CSRF_FIELD.search(page.text).group(1),
            },
        )
        if sent.status_code != 302:
            raise RuntimeError(f"second factor refused ({sent.status_code})")
        return client.cookies


@dataclasses.dataclass
class Page:
    name: str
    send: Callable[[httpx.Client], httpx.Response]
    # One more answer of the page, as bench/queries.py asks it to count its statements:
    # (method, path, JSON body).
    probe: tuple[str, str, dict | None]
    expected: int = 200
    cookies: httpx.Cookies | None = None


def getting(name: str, path: str) -> Page:
    return Page(name, lambda client: client.get(path), ("get", path, None))


HOME = getting("home page", "/")


def letters(n: int) -> str:
    """A distinct name for each number (names need letters)."""
    word = ""
    while True:
        n, digit = divmod(n, 26)
        word = chr(ord("a") + digit) + word
        if not n:
            return word.capitalize()


def pages(base_url: str, seeded: Seeded) -> list[Page]:
    services = httpx.get(f"{base_url}/api/prefectures/94/services").json()
    service = next(
        s for s in services if not s["needs_permit_number"] and s["deadline_kind"] == "none"
    )
    people = itertools.count()  # next() on a count is atomic under the GIL
    run = letters(secrets.randbelow(26**6))  # new people on every run

    def person(n: int) -> dict:
        return {
            "prefecture": "94",
            "service": service["id"],
            "family_name": f"Banc {run} {letters(n)}",
            "given_names": "Essai",
            "birth_date": "1990-01-01",
            "nationality": "malienne",
            "passport_number": f"BE{n:07d}",
            "email": f"banc-{n}@example.org",
            "sites": [site["id"] for site in service["sites"]],
        }

    def intake(client: httpx.Client) -> httpx.Response:
        return client.post("/api/demandes", json=person(next(people)))

    status = f"/demande/{seeded.status_token}/suivi/"
    agenda = f"/agent/?site={seeded.site}&day={seeded.day.isoformat()}"
    return [
        getting("status page of a dated request", status),
        Page(
            "intake API (POST /api/demandes)",
            intake,
            ("post", "/api/demandes", person(10**9)),  # nobody the load sends
            expected=201,
        ),
        getting("agent's day agenda", agenda),
    ]


def statements_per_answer(environment: dict[str, str], measured: list[Page]) -> dict[str, int]:
    """Each page's SQL statements for one answer, counted by bench/queries.py with the server's
    settings and database (the agent's session cookie included)."""
    asked = [
        {
            "name": page.name,
            "method": page.probe[0],
            "path": page.probe[1],
            "json": page.probe[2],
            "expected": page.expected,
            "cookies": dict(page.cookies or {}),
        }
        for page in [HOME, *measured]
    ]
    done = subprocess.run(
        [sys.executable, "-m", "bench.queries"],
        input=json.dumps(asked),
        env=environment,
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"counting statements failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclasses.dataclass
class Measure:
    answered: int
    seconds: float
    cpu: float | None  # gunicorn workers' CPU seconds meanwhile
    client_cpu: float  # this process's (the load generator's) CPU seconds meanwhile
    wrong: dict[int, int]

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds

    @property
    def cpu_ms(self) -> float | None:
        return None if self.cpu is None or not self.answered else self.cpu / self.answered * 1000

    @property
    def client_share(self) -> float:
        """The share of one core the load generator used: near 1, it, not the server, would
        set the rate (its threads share one interpreter)."""
        return self.client_cpu / self.seconds


def load(server: Server, page: Page, seconds: float) -> Measure:
    """CONCURRENCY threads send `page` back to back for `seconds`; answers counted by status."""
    answered = [0] * CONCURRENCY
    wrong: dict[int, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(CONCURRENCY + 1)
    stop_at = [0.0]

    def run(index: int) -> None:
        with httpx.Client(base_url=server.base_url, cookies=page.cookies, timeout=30) as client:
            start.wait()
            while time.monotonic() < stop_at[0]:
                status = page.send(client).status_code
                if status == page.expected:
                    answered[index] += 1
                else:
                    with lock:
                        wrong[status] = wrong.get(status, 0) + 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    workers = server.workers()
    cpu_before = cpu_seconds(workers)
    client_before = time.process_time()
    started = time.monotonic()
    stop_at[0] = started + seconds
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    client_cpu = time.process_time() - client_before
    cpu_after = cpu_seconds(workers)
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return Measure(sum(answered), elapsed, cpu, client_cpu, wrong)


@dataclasses.dataclass
class Round:
    page: Measure
    home: tuple[Measure, Measure]  # just before and just after

    @property
    def ratio(self) -> float:
        return self.page.per_second / statistics.mean(m.per_second for m in self.home)

    @property
    def home_cpu_ms(self) -> float | None:
        costs = [m.cpu_ms for m in self.home]
        return None if None in costs else statistics.mean(costs)


def measure(server: Server, measured: list[Page]) -> dict[str, list[Round]]:
    """Rounds of home, page, home, page… home."""
    for page in [HOME, *measured]:
        load(server, page, WARM_UP_SECONDS)
    results: dict[str, list[Round]] = {page.name: [] for page in measured}
    for round_number in range(ROUNDS):
        before = load(server, HOME, SECONDS)
        for page in measured:
            during = load(server, page, SECONDS)
            after = load(server, HOME, SECONDS)
            for result in (before, during, after):
                if result.wrong:
                    raise RuntimeError(f"{page.name}: unexpected answers {result.wrong}")
            results[page.name].append(Round(during, (before, after)))
            print(
                f"round {round_number + 1}: {page.name}: {during.per_second:.1f}/s, home page "
                f"{statistics.mean((before.per_second, after.per_second)):.1f}/s, "
                f"ratio {results[page.name][-1].ratio:.2f}",
                flush=True,
            )
            before = after
    return results


def median_or_dash(values: list[float | None], form: str = "{:.1f}") -> str:
    if not values or None in values:
        return "—"
    return form.format(statistics.median(values))


def report(results: dict[str, list[Round]], statements: dict[str, int]) -> str:
    rows = [
        "| page | throughput / home page's (median) | slower than the home page "
        "| ratio per round | answers/s: page / home page (medians) "
        "| gunicorn CPU per answer, ms: page / home page (medians) "
        "| SQL statements per answer: page / home page "
        "| load generator's share of a core: page / home page (highest) |",
        "|---|---:|---:|---|---|---|---|---|",
    ]
    for name, rounds in results.items():
        ratio = statistics.median(one.ratio for one in rounds)
        page_rate = statistics.median(one.page.per_second for one in rounds)
        home_rate = statistics.median(
            statistics.mean(m.per_second for m in one.home) for one in rounds
        )
        page_cpu = median_or_dash([one.page.cpu_ms for one in rounds])
        home_cpu = median_or_dash([one.home_cpu_ms for one in rounds])
        page_client = max(one.page.client_share for one in rounds)
        home_client = max(m.client_share for one in rounds for m in one.home)
        rows.append(
            f"| {name} | {ratio:.2f} | {1 / ratio:.1f}× "
            f"| {', '.join(f'{one.ratio:.2f}' for one in rounds)} "
            f"| {page_rate:.0f} / {home_rate:.0f} | {page_cpu} / {home_cpu} "
            f"| {statements[name]} / {statements[HOME.name]} "
            f"| {page_client:.2f} / {home_client:.2f} |"
        )
    return "\n".join(rows) + "\n"


def main() -> None:
    admin_url = server_url()
    try:
        psycopg.connect(admin_url, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        print(f"Web bench skipped: no PostgreSQL at {admin_url} ({error})")
        return
    load_before = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory(prefix="guichet-bench-") as var,
        fresh_database(admin_url, DATABASE) as database_url,
    ):
        port = free_port()
        environment = production_environment(database_url, f"http://127.0.0.1:{port}", Path(var))
        seeded = seed(environment)
        with gunicorn(environment, port, Path(var) / "gunicorn.log") as server:
            measured = pages(server.base_url, seeded)
            measured[-1].cookies = logged_in_cookies(server.base_url)
            results = measure(server, measured)
            statements = statements_per_answer(environment, measured)
    table = report(results, statements)
    machine = (
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores "
        f"(load average {load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after)"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "web.md").write_text(
        "# Web tier benchmark\n\n"
        f"`python -m bench web` on {machine}, PostgreSQL. gunicorn as scripts/serve.sh starts "
        f"it: {WORKERS} workers, DEBUG off, persistent database connections "
        f"(CONN_MAX_AGE={serve_environment()['CONN_MAX_AGE']}). {CONCURRENCY} client threads "
        f"(httpx) on 127.0.0.1, {ROUNDS} rounds of {SECONDS:g} s per page, each page measured "
        "between two measurements of the home page (a template page with no database work). "
        f"Demo seed of {REQUESTS_PER_PREFECTURE} requests per préfecture. Proof of work and "
        "rate limits off for this server (tested elsewhere). The ratios are the figures to "
        "compare; the rates depend on the machine and its load. gunicorn CPU: its workers' user "
        "and system time per answer (PostgreSQL's own time not included). SQL statements: "
        "those Django sends for one more answer of the page (bench/queries.py), transaction "
        "control (BEGIN, COMMIT) not included. Load generator: "
        "the share of one core its threads used (they share one interpreter; well below 1, "
        "the server, not the client, set the rates).\n\n" + table
    )
    print("\n" + table)
