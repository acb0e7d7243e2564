"""`python -m guichet.simulator.abuse`: what fake identities and scalpers get, and cost others.

    python -m guichet.simulator.abuse --scenario queue-stuffing --policy guichet --seed 0
    python -m guichet.simulator.abuse --scenario scalpers --policy legacy --load 0.8 --seeds 5
    python -m guichet.simulator.abuse --scenario queue-stuffing --policy guichet \\
        --set bot_reconfirmation=0.5
    python -m guichet.simulator.abuse --docs   # reruns every row of docs/simulator.md's tables

Each run is paired with the same seed without the abusers, for the wait they add to real
people. Pure Python like the rest of the simulator: no Django here.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shlex
import time
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .abusers import Counts, figures
from .docs import write_section
from .outcome import Metrics
from .run import POLICIES, simulate
from .scenario import Abuse, Scenario, load_scenario

COMMAND = ".venv/bin/python -m guichet.simulator.abuse"


def _value(field: dataclasses.Field[object], text: str) -> bool | tuple[str, ...] | int | float:
    if field.type in ("bool", bool):
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{field.name}: true or false, not {text!r}")
        return text.lower() == "true"
    if field.name == "services":
        return tuple(text.split(","))
    return (int if field.type in ("int", int) else float)(text)


def configure(
    scenario: Scenario, load: float | None = None, settings: Iterable[str] = ()
) -> Scenario:
    """The scenario with its attacked services' load (demand over capacity) replaced, and
    `[abuse]` settings given as `name=value`."""
    known = {field.name: field for field in dataclasses.fields(Abuse)}
    changes: dict[str, Any] = {}  # each of the type of its field (`_value`)
    for setting in settings:
        name, _, text = setting.partition("=")
        if name not in known:
            raise ValueError(f"unknown abuse setting {name!r}: one of {sorted(known)}")
        changes[name] = _value(known[name], text)
    abuse = dataclasses.replace(scenario.abuse, **changes)
    if load is not None:
        prefectures = tuple(
            dataclasses.replace(
                prefecture,
                services=tuple(
                    dataclasses.replace(service, capacity_per_week=service.per_year / 52 / load)
                    if service.kind in abuse.services
                    else service
                    for service in prefecture.services
                ),
            )
            for prefecture in scenario.prefectures
        )
        scenario = dataclasses.replace(scenario, prefectures=prefectures)
    return dataclasses.replace(scenario, abuse=abuse)


def without_abuse(scenario: Scenario) -> Scenario:
    return dataclasses.replace(scenario, abuse=Abuse())


def _days(waits: list[np.ndarray]) -> dict[str, float | None]:
    pooled = np.concatenate(waits) if waits else np.zeros(0)
    if not len(pooled):
        return {"median": None, "p90": None}
    return {"median": float(np.median(pooled)), "p90": float(np.percentile(pooled, 90))}


def measure(
    scenario: Scenario, policy: str, seeds: Sequence[int], weeks: int | None = None
) -> Metrics:
    """The abusers' figures summed over `seeds`, and real people's waits with and without
    them (pooled over the seeds)."""
    started = time.perf_counter()
    counts, units, taken, weeks_run = Counts(), 0, 0, 0
    waits: list[np.ndarray] = []
    baseline: list[np.ndarray] = []
    lost = lost_without = 0
    for seed in seeds:
        metrics = simulate(scenario, policy, seed=seed, weeks=weeks)
        plain = simulate(without_abuse(scenario), policy, seed=seed, weeks=weeks)
        counts.add(Counts(**metrics["abuse"]["counts"]))
        units += metrics["abuse"]["units"]
        taken += metrics["abuse"]["taken"]
        weeks_run += metrics["weeks"]
        waits.append(metrics["waits"])
        baseline.append(plain["waits"])
        lost += sum(metrics["units_lost"].values())
        lost_without += sum(plain["units_lost"].values())
    return {
        "scenario": scenario.name,
        "policy": policy,
        "seeds": list(seeds),
        "weeks": weeks_run // max(1, len(seeds)),
        **figures(scenario.abuse, counts, units, taken, weeks_run),
        "wait_days": {"with": _days(waits), "without": _days(baseline)},
        "units_lost_share": {"with": lost / units, "without": lost_without / units},
        "seconds": time.perf_counter() - started,
    }


def _pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f} %"


def _wait(summary: dict[str, float | None]) -> str:
    return " / ".join("—" if summary[q] is None else f"{summary[q]:.0f}" for q in ("median", "p90"))


def _euros(value: float) -> str:
    return f"{'−' if value < 0 else ''}€{abs(value):,.0f}"


def describe(result: Metrics) -> str:
    """A run's figures as lines of text."""
    counts, fakes, scalper = result["counts"], result["fake_share"], result["scalper"]
    seeds = result["seeds"]
    seeds = f"seed {seeds[0]}" if len(seeds) == 1 else f"seeds {seeds[0]}–{seeds[-1]}"
    lines = [
        f"{result['scenario']} · {result['policy']} · {seeds} · "
        f"{result['weeks']} weeks · {result['seconds']:.1f} s",
        f"fake identities registered: {counts['fakes']:,}",
        f"capacity given to fake identities: {_pct(fakes['dated'])}; held after "
        f"reconfirmation: {_pct(fakes['after_reconfirmation'])}; held on the day (lost): "
        f"{_pct(fakes['at_counter'])}; attended: 0",
        f"dates released by reconfirmation: {counts['released_by_reconfirmation']:,} "
        f"(fakes put back in line by the button: {counts['pressed_still_needed']:,}); "
        f"on detection the day before: {counts['released_on_detection']:,}",
        f"scalper: {counts['orders']:,} buyers, {counts['bookings']:,} placeholder bookings, "
        f"hand-overs {counts['handed_over']:,} of {counts['attempts']:,} "
        f"({_pct(scalper['handover_success'])}; another customer, told nothing: "
        f"{_pct(scalper['control_success'])}), share of appointments "
        f"{_pct(scalper['share_of_appointments'])}, profit {_euros(scalper['profit'])} "
        f"({_euros(scalper['profit_per_week'])} a week)",
        f"real people's wait, days (median / p90): {_wait(result['wait_days']['without'])} "
        f"without abusers, {_wait(result['wait_days']['with'])} with them",
        f"units lost: {_pct(result['units_lost_share']['without'])} without, "
        f"{_pct(result['units_lost_share']['with'])} with",
    ]
    return "\n".join(lines)


# The rows of docs/simulator.md: (what, scenario, policy, load, settings, seeds).
SCALPING = [
    ("demand 0.8 × capacity", "scalpers", "legacy", 0.8, (), 5),
    ("demand = capacity", "scalpers", "legacy", 1.0, (), 5),
    ("demand 1.2 × capacity", "scalpers", "legacy", None, (), 5),
    ("demand 0.8 × capacity", "scalpers", "guichet", 0.8, (), 5),
    ("demand = capacity", "scalpers", "guichet", 1.0, (), 5),
    ("demand 1.2 × capacity", "scalpers", "guichet", None, (), 5),
]
STUFFING = [
    ("a bot books one slot per fake identity", "queue-stuffing", "legacy", None, (), 1),
    (
        "bots never reconfirm: a released request is paused",
        "queue-stuffing",
        "guichet",
        None,
        (),
        1,
    ),
    (
        "bots never reconfirm but press « J'ai toujours besoin d'un rendez-vous » at every "
        "release: accepted once per fake",
        "queue-stuffing",
        "guichet",
        None,
        ("bot_presses_still_needed=true",),
        1,
    ),
    (
        "bots never reconfirm; a released request straight back in line (the rule before the "
        "pause, and what pressing the button got before it was limited to once)",
        "queue-stuffing",
        "guichet",
        None,
        ("release_requeues=true",),
        1,
    ),
    (
        "bots reconfirm half the time",
        "queue-stuffing",
        "guichet",
        None,
        ("bot_reconfirmation=0.5",),
        1,
    ),
    ("bots always reconfirm", "queue-stuffing", "guichet", None, ("bot_reconfirmation=1",), 1),
    (
        "bots always reconfirm; the agent finds half the fakes the day before",
        "queue-stuffing",
        "guichet",
        None,
        ("bot_reconfirmation=1", "counter_detection=0.5"),
        1,
    ),
]


def command(
    scenario: str, policy: str, load: float | None, settings: Sequence[str], seeds: int
) -> str:
    words = ["--scenario", scenario, "--policy", policy]
    if load is not None:
        words += ["--load", str(load)]
    for setting in settings:
        words += ["--set", setting]
    words += ["--seeds", str(seeds)] if seeds > 1 else ["--seed", "0"]
    return f"{COMMAND} {shlex.join(words)}"


def run_case(
    scenario: str, policy: str, load: float | None, settings: Sequence[str], seeds: int
) -> Metrics:
    configured = configure(load_scenario(scenario), load, settings)
    return measure(configured, policy, range(seeds))


def scalping_table() -> str:
    rows = [
        "| case | policy | seeds | scalper's bookings | hand-overs: buyer got the slot | "
        "another customer, told nothing, got it | out of turn | scalper's share of "
        "appointments | scalper's profit (a week) | real people's wait, days (median / p90): "
        "without → with the scalper | run (s) | command |",
        "|---|---|---|---:|---|---:|---:|---:|---:|---|---:|---|",
    ]
    for what, scenario, policy, load, settings, seeds in SCALPING:
        result = run_case(scenario, policy, load, settings, seeds)
        counts, scalper, waits = result["counts"], result["scalper"], result["wait_days"]
        rows.append(
            f"| {what} | {policy} | 0–{seeds - 1} | {counts['bookings']:,} | "
            f"{counts['handed_over']:,} of {counts['attempts']:,} "
            f"({_pct(scalper['handover_success'])}) | {_pct(scalper['control_success'], 2)} | "
            f"{counts['jumped']:,} | "
            f"{_pct(scalper['share_of_appointments'])} | {_euros(scalper['profit'])} "
            f"({_euros(scalper['profit_per_week'])}) | {_wait(waits['without'])} → "
            f"{_wait(waits['with'])} | {result['seconds']:.1f} | "
            f"`{command(scenario, policy, load, settings, seeds)}` |"
        )
    return "\n".join(rows)


def stuffing_table() -> str:
    rows = [
        "| case | policy | seed | fake identities | share of capacity given to fakes | held "
        "after reconfirmation | held on the day: lost | released on detection | attended "
        "| real people's wait, days (median / p90): without → with | units lost: without → "
        "with | run (s) | command |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|---|",
    ]
    for what, scenario, policy, load, settings, seeds in STUFFING:
        result = run_case(scenario, policy, load, settings, seeds)
        counts, share, waits = result["counts"], result["fake_share"], result["wait_days"]
        lost = result["units_lost_share"]
        rows.append(
            f"| {what} | {policy} | 0 | {counts['fakes']:,} | {_pct(share['dated'])} | "
            f"{_pct(share['after_reconfirmation'])} | {_pct(share['at_counter'])} | "
            f"{_pct(share['released_on_detection'])} | 0 | "
            f"{_wait(waits['without'])} → {_wait(waits['with'])} | "
            f"{_pct(lost['without'])} → {_pct(lost['with'])} | {result['seconds']:.1f} | "
            f"`{command(scenario, policy, load, settings, seeds)}` |"
        )
    return "\n".join(rows)


def write_docs() -> str:
    section = "\n\n".join(
        [
            "#### Scalpers (scenario `scalpers`, 52 weeks after an 8-week warm-up)",
            scalping_table(),
            "#### Queue stuffing (scenario `queue-stuffing`, 26 weeks after an 8-week warm-up)",
            stuffing_table(),
        ]
    )
    write_section("abuse", section)
    return section


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", help="name under scenarios/, or a path")
    parser.add_argument("--policy", choices=sorted(POLICIES))
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    parser.add_argument("--seeds", type=int, default=1, help="how many seeds, summed")
    parser.add_argument("--weeks", type=int, help="weeks measured after the warm-up")
    parser.add_argument("--load", type=float, help="demand over capacity of attacked services")
    parser.add_argument("--set", action="append", default=[], dest="settings", metavar="NAME=VALUE")
    parser.add_argument("--json", action="store_true", dest="as_json")
    parser.add_argument("--docs", action="store_true", help="rerun and rewrite the docs' tables")
    args = parser.parse_args(argv)
    if args.docs:
        print(write_docs())
        return
    if not (args.scenario and args.policy):
        parser.error("--scenario and --policy are required (or --docs)")
    scenario = configure(load_scenario(args.scenario), args.load, args.settings)
    if not scenario.abuse.active:
        parser.error(f"scenario {args.scenario!r} has no abusers: give [abuse] or --set")
    seeds = range(args.seed, args.seed + args.seeds)
    result = measure(scenario, args.policy, seeds, args.weeks)
    print(json.dumps(result, indent=2) if args.as_json else describe(result))


if __name__ == "__main__":
    main()
