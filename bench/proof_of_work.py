"""`python -m bench.proof_of_work`: what the intake's proof of work costs at each level.

- A script: the `altcha` library's own solver (`altcha.solve_challenge_v1`, pure Python, one
  core), the one an attacker used: CPU time per challenge.
- A browser: Guichet's widget (protection/static/protection/altcha.js and its worker) in Debian's
  Chromium through Playwright, from the page's load to the solution in the form's field. The page,
  the two scripts and the challenges are served by Playwright's routing on 127.0.0.1 (a secure
  context, as HTTPS is in production), so no server's time is counted. Twice: with every core
  (one worker per core), and with one core (`navigator.hardwareConcurrency` = 1), our estimate
  of a mid-range phone, whose cores are each several times slower than a server's.

Challenges are made as `protection.challenges` makes them (same library, same salt parameters),
with the secret number drawn at random, so the figures are means and 95th percentiles over draws;
« worst » is the last number of the range. Levels and base come from the settings
(GUICHET_ALTCHA_MAX_NUMBER, GUICHET_ALTCHA_TOP_LEVEL). Prints a Markdown table for
docs/protection.md. `--samples N` (default 30 for Python, a third of it for Chromium).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import altcha

STATIC = Path(__file__).resolve().parents[1] / "guichet/protection/static/protection"
CHROMIUM = "/usr/bin/chromium"
ORIGIN = "http://127.0.0.1:9"
PAGE = """<!doctype html><html lang="fr"><head><title>pow</title></head><body><form>
<div data-altcha hidden data-challenge-url="/defi" data-worker-url="/altcha-worker.js"
 data-text-working="working" data-text-waiting="waiting" data-text-done="done"
 data-text-failed="failed"><input type="hidden" name="altcha" value="">
<p data-altcha-status></p></div></form><script src="/altcha.js"></script></body></html>"""
DONE = (
    "document.querySelector('input[name=altcha]').value !== '' || "
    "document.querySelector('[data-altcha-status]').textContent === 'failed'"
)


def settings():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings

    return settings


def make_challenge(max_number: int, number: int | None = None) -> dict:
    """As protection.challenges makes it: an expiry and the client and préfecture params."""
    options = altcha.ChallengeOptionsV1(
        hmac_key="bench",
        max_number=max_number,
        number=number,
        expires=None,
        params={"expires": str(int(time.time()) + 300), "client": "0" * 32, "prefecture": "94"},
    )
    return altcha.create_challenge_v1(options).to_dict()


def python_times(max_number: int, samples: int) -> tuple[list[float], float]:
    def solve(challenge: dict) -> float:
        started = time.process_time()
        found = altcha.solve_challenge_v1(
            challenge["challenge"], challenge["salt"], challenge["algorithm"], max_number
        )
        assert found is not None
        return time.process_time() - started

    times = [solve(make_challenge(max_number)) for _ in range(samples)]
    return times, solve(make_challenge(max_number, max_number))


def serve(body: str, kind: str):
    """A route handler of one argument (Playwright passes the request too to two)."""
    return lambda route: route.fulfill(body=body, content_type=kind)


class Widget:
    """The widget in a fresh page for each challenge; `cores` workers at most."""

    def __init__(self, browser, cores: int | None):
        self.browser = browser
        self.cores = cores
        self.workers = 0

    def solve(self, challenge: dict) -> float:
        page = self.browser.new_page()
        if self.cores:
            page.add_init_script(
                "Object.defineProperty(navigator, 'hardwareConcurrency', "
                f"{{get: () => {self.cores}}})"
            )
        files = {
            "/": (PAGE, "text/html"),
            "/altcha.js": ((STATIC / "altcha.js").read_text(), "text/javascript"),
            "/altcha-worker.js": ((STATIC / "altcha-worker.js").read_text(), "text/javascript"),
            "/defi": (json.dumps(challenge), "application/json"),
        }
        for path, (body, kind) in files.items():
            page.route(ORIGIN + path, serve(body, kind))
        page.on("worker", lambda worker: setattr(self, "workers", self.workers + 1))
        started = time.perf_counter()
        page.goto(ORIGIN + "/")
        page.wait_for_function(DONE, timeout=600_000)
        elapsed = time.perf_counter() - started
        encoded = page.eval_on_selector("input[name=altcha]", "field => field.value")
        page.close()
        assert encoded and altcha.verify_solution_v1(encoded, "bench")[0], "widget failed"
        return elapsed

    def times(self, max_number: int, samples: int) -> tuple[list[float], float]:
        times = [self.solve(make_challenge(max_number)) for _ in range(samples)]
        return times, self.solve(make_challenge(max_number, max_number))


def processor() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


def row(level: int, max_number: int, measured: list[tuple[list[float], float]]) -> str:
    cells = [f"{statistics.mean(t):.2f} / {p95(t):.2f} / {worst:.2f}" for t, worst in measured]
    return f"| {level} | {max_number:,} | " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=30)
    arguments = parser.parse_args()
    config = settings()
    levels = range(config.GUICHET_ALTCHA_TOP_LEVEL + 1)
    from playwright.sync_api import sync_playwright

    from guichet.protection.difficulty import max_number

    lines = [
        f"Machine: {processor()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {arguments.samples} draws per level for Python, "
        f"{max(3, arguments.samples // 3)} in Chromium. Seconds: mean / 95th percentile / worst.",
        "",
        "| level | maxnumber | Python (altcha) | Chromium, all cores | Chromium, one core |",
        "|---|---|---|---|---|",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        every_core, one_core = Widget(browser, None), Widget(browser, 1)
        browser_samples = max(3, arguments.samples // 3)
        # What any solve costs in the browser before hashing: the page, the scripts, the workers.
        start = [every_core.times(10, browser_samples), one_core.times(10, browser_samples)]
        lines.append("| start-up | 10 | — | " + row(0, 10, start).split("| 10 | ")[1])
        print(lines[-1], flush=True)
        for level in levels:
            numbers = max_number(level)
            measured = [
                python_times(numbers, arguments.samples),
                every_core.times(numbers, browser_samples),
                one_core.times(numbers, browser_samples),
            ]
            lines.append(row(level, numbers, measured))
            print(lines[-1], flush=True)
        browser.close()
    assert every_core.workers and one_core.workers, "the widget never started a worker"
    print("\n".join(lines))


if __name__ == "__main__":
    main()
