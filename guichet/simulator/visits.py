"""`python -m guichet.simulator.visits`: visits per title, and what checking documents frees.

    python -m guichet.simulator.visits --scenario val-de-marne --seed 0
    python -m guichet.simulator.visits --scenario national --precheck-share 0.1
    python -m guichet.simulator.visits --docs   # reruns the tables of docs/simulator.md

Three runs of a scenario with return visits on (`[documents] visits = true`), the same people
and files: today's booking and Guichet at today's share of files incomplete at the visit, and
Guichet with documents checked before the visit. Pure Python like the rest of the simulator.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections.abc import Iterable
from typing import TypedDict, Unpack

from .docs import write_section
from .outcome import Metrics
from .run import simulate
from .scenario import Scenario, load_scenario

COMMAND = ".venv/bin/python -m guichet.simulator.visits"
VARIANTS = (("legacy", False), ("guichet", False), ("guichet", True))
COMPARED = ("val-de-marne", "national")
SWEEP = (0.0, 0.1, 0.25, 0.4, 0.6)  # shares of files incomplete after pre-checks, docs' table


class Shares(TypedDict, total=False):
    """`[documents]` settings a run may replace."""

    incomplete_share: float
    precheck_incomplete_share: float


def with_visits(scenario: Scenario, prechecks: bool, **settings: Unpack[Shares]) -> Scenario:
    """The scenario with return visits on, with or without pre-checks, and `[documents]`
    settings replaced (e.g. `precheck_incomplete_share`)."""
    documents = dataclasses.replace(
        scenario.documents, visits=True, prechecks=prechecks, **settings
    )
    return dataclasses.replace(scenario, documents=documents)


def measure(
    scenario: Scenario, seed: int = 0, weeks: int | None = None, **settings: Unpack[Shares]
) -> list[Metrics]:
    """The three variants' metrics; Guichet with pre-checks also says what it freed against
    Guichet without them: return visits avoided, as a share of the file services' capacity
    and as appointments a year."""
    rows = []
    for policy, prechecks in VARIANTS:
        started = time.perf_counter()
        metrics = simulate(with_visits(scenario, prechecks, **settings), policy, seed, weeks)
        metrics.pop("waits")
        metrics["seconds"] = time.perf_counter() - started
        rows.append(metrics)
    without, checked = rows[1]["visits"], rows[2]["visits"]
    avoided = without["return_visits"] - checked["return_visits"]
    checked["freed"] = {
        "share_of_capacity": avoided / checked["file_units"],
        "appointments_a_year": avoided * 52 / rows[2]["weeks"],
    }
    return rows


def _days(summary: dict[str, float | None]) -> str:
    return " / ".join("—" if summary[q] is None else f"{summary[q]:.0f}" for q in ("median", "p90"))


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _variant(metrics: Metrics) -> str:
    visits = metrics["visits"]
    return f"{metrics['policy']}{' + pre-checks' if visits['prechecks'] else ''}"


def _freed(visits: Metrics) -> str:
    freed = visits.get("freed")
    if freed is None:
        return "—"
    return f"{freed['share_of_capacity']:.1%} ({freed['appointments_a_year']:,.0f} a year)"


HEADER = (
    "| scenario | policy | incomplete at the visit | visits per file | visits per title "
    "(with the pick-up) | return visits: share of the file services' capacity | capacity "
    "freed by pre-checks (appointments) | wait for a first visit, days (median / p90) | wait "
    "until the file is complete, days (median / p90) | renewals complete after expiry | "
    "units lost | run (s) |",
    "|---|---|---:|---:|---:|---:|---|---|---|---:|---:|---:|",
)


def row(metrics: Metrics) -> str:
    visits = metrics["visits"]
    late = metrics["renewals_seen_after_expiry"]
    return (
        f"| {metrics['scenario']} | {_variant(metrics)} | {visits['incomplete_share']:.0%} "
        f"| {_ratio(visits['visits_per_file'])} | {_ratio(visits['visits_per_title'])} "
        f"| {visits['return_share_of_capacity']:.1%} | {_freed(visits)} "
        f"| {_days(visits['wait_days_first_visit'])} "
        f"| {_days(visits['wait_days_file_complete'])} "
        f"| {'—' if late is None else f'{late:.1%}'} | {metrics['units_lost_share']:.1%} "
        f"| {metrics['seconds']:.1f} |"
    )


def table(rows: list[Metrics]) -> str:
    return "\n".join([*HEADER, *(row(metrics) for metrics in rows)])


def sweep(name: str, shares: Iterable[float] = SWEEP, seed: int = 0) -> str:
    """Guichet with pre-checks at several shares of files still incomplete at the visit:
    the default (0.25) is an assumption, this is how much the figures depend on it."""
    scenario = load_scenario(name)
    lines = [
        "| incomplete at the visit after pre-checks | visits per title | return visits: share "
        "of the file services' capacity | wait until the file is complete, days (median / "
        "p90) | command |",
        "|---:|---:|---:|---|---|",
    ]
    for share in shares:
        metrics = simulate(
            with_visits(scenario, True, precheck_incomplete_share=share), "guichet", seed
        )
        visits = metrics["visits"]
        lines.append(
            f"| {share:.0%} | {_ratio(visits['visits_per_title'])} "
            f"| {visits['return_share_of_capacity']:.1%} "
            f"| {_days(visits['wait_days_file_complete'])} "
            f"| `{COMMAND} --scenario {name} --precheck-share {share}` |"
        )
    return "\n".join(lines)


def docs() -> str:
    """Reruns the tables and writes them between the markers of docs/simulator.md."""
    rows = []
    for name in COMPARED:
        rows += measure(load_scenario(name))
    section = "\n\n".join(
        [
            "#### Legacy against guichet, with and without pre-checks (seed 0, 52 weeks after "
            f"an 8-week warm-up): `{COMMAND} --scenario <name>`",
            table(rows),
            "#### Guichet with pre-checks: how much the figures depend on the share of files "
            "still incomplete at the visit (val-de-marne, seed 0)",
            sweep("val-de-marne"),
        ]
    )
    write_section("visits", section)
    return section


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m guichet.simulator.visits")
    parser.add_argument("--scenario", default="val-de-marne")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weeks", type=int, help="weeks measured after the warm-up")
    parser.add_argument(
        "--share", type=float, help="files incomplete at a visit today (default 0.6)"
    )
    parser.add_argument(
        "--precheck-share",
        type=float,
        help="files still incomplete at the visit after pre-checks (default 0.25)",
    )
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument("--docs", action="store_true", help="rerun the tables of docs/simulator.md")
    args = parser.parse_args(argv)
    if args.docs:
        print(docs())
        return
    settings: Shares = {}
    if args.share is not None:
        settings["incomplete_share"] = args.share
    if args.precheck_share is not None:
        settings["precheck_incomplete_share"] = args.precheck_share
    try:
        scenario = load_scenario(args.scenario)
        rows = measure(scenario, args.seed, args.weeks, **settings)
    except (FileNotFoundError, ValueError) as error:
        parser.error(str(error))
    print(json.dumps(rows, indent=2, ensure_ascii=False) if args.json else table(rows))


if __name__ == "__main__":
    main()
