"""`python -m guichet.simulator.report`: the tables and plots of docs/simulator.md.

Runs every scenario under both policies on the same seed, the three calibrations on five
seeds, writes the plots to docs/img/ and replaces the results section of docs/simulator.md.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .docs import DOCS, write_section  # noqa: E402
from .outcome import Metrics  # noqa: E402
from .run import simulate  # noqa: E402
from .scenario import load_scenario  # noqa: E402

COMPARED = ("val-de-marne", "national")
SEEDS = range(5)


def clopper_pearson(successes: int, trials: int, level: float = 0.95) -> tuple[float, float]:
    """Exact binomial interval: the range of offer rates compatible with an observation."""

    def tail(p: float, upper: bool) -> float:
        terms = range(successes, trials + 1) if upper else range(0, successes + 1)
        return sum(math.comb(trials, k) * p**k * (1 - p) ** (trials - k) for k in terms)

    def solve(upper: bool, target: float) -> float:
        low, high = 0.0, 1.0
        for _ in range(60):
            middle = (low + high) / 2
            too_high = tail(middle, upper) > target if upper else tail(middle, upper) < target
            low, high = (low, middle) if too_high else (middle, high)
        return (low + high) / 2

    alpha = (1 - level) / 2
    low = 0.0 if successes == 0 else solve(True, alpha)
    high = 1.0 if successes == trials else solve(False, alpha)
    return low, high


# Observed: (what was measured, how the simulation measures it, observed rate, tolerance).
CALIBRATIONS = {
    "evry": ("La Cimade's hourly robot: 7 offers in 100 tries", "probe", clopper_pearson(7, 100)),
    "ain": ("Three tries in four fail (tries at random moments)", "open", (0.20, 0.30)),
    "clermont-ferrand": (
        "La Cimade's hourly robot: no offer in three months (≈ 2,184 tries)",
        "probe",
        clopper_pearson(0, 2184),
    ),
}
OBSERVED = {"evry": 0.07, "ain": 0.25, "clermont-ferrand": 0.0}


def offer_rate(metrics: Metrics, how: str) -> float:
    if how == "probe":
        offered, probes = metrics["probe_offers"]
        return float(offered / probes)
    return float(metrics["open_time_share"])


def calibration_table() -> str:
    rows = [
        "| préfecture | observation | observed | tolerance (95 % interval) | simulated, mean "
        "of 5 seeds | range | within |",
        "|---|---|---:|---|---:|---|---|",
    ]
    for name, (observation, how, (low, high)) in CALIBRATIONS.items():
        scenario = load_scenario(name)
        rates = [offer_rate(simulate(scenario, "legacy", seed=seed), how) for seed in SEEDS]
        mean = sum(rates) / len(rates)
        rows.append(
            f"| {name} | {observation} | {OBSERVED[name]:.0%} | {low:.1%} – {high:.1%} "
            f"| {mean:.2%} | {min(rates):.2%} – {max(rates):.2%} "
            f"| {'yes' if low <= mean <= high else 'no'} |"
        )
    return "\n".join(rows)


def _days(summary: dict[str, float | None]) -> str:
    values = (summary[q] for q in ("median", "p90", "max"))
    return " / ".join("—" if value is None else f"{value:.0f}" for value in values)


def _offers(offers: dict[str, int], policy: str) -> str:
    return "—" if policy == "legacy" else f"{offers['made']:,}: {offers['accepted']:,}"


# Runs by (scenario, policy).
Results = dict[tuple[str, str], Metrics]


def comparison(names: Iterable[str]) -> tuple[str, Results]:
    rows = [
        "| scenario | policy | run (s) | people | renewals seen after expiry | wait, days "
        "(median / p90 / max) | web | counter or post | taken by bots | page checks per "
        "person | units lost | still waiting at the end: people, days so far (median / p90 / "
        "max) | earlier dates offered: accepted |",
        "|---|---|---:|---:|---:|---|---|---|---:|---:|---:|---|---|",
    ]
    results: Results = {}
    for name in names:
        scenario = load_scenario(name)
        for policy in ("legacy", "guichet"):
            started = time.perf_counter()
            metrics = simulate(scenario, policy, seed=0)
            seconds = time.perf_counter() - started
            results[name, policy] = metrics
            late = metrics["renewals_seen_after_expiry"]
            channels = metrics["wait_days_by_channel"]
            rows.append(
                f"| {name} | {policy} | {seconds:.1f} | {metrics['people']:,} "
                f"| {'—' if late is None else f'{late:.1%}'} | {_days(metrics['wait_days'])} "
                f"| {_days(channels['web'])} | {_days(channels['counter_or_post'])} "
                f"| {metrics['taken_by_bots']:.0%} | {metrics['page_checks_per_person']:.1f} "
                f"| {metrics['units_lost_share']:.1%} | {metrics['ends']['waiting']:,}: "
                f"{_days(metrics['still_waiting_days'])} | {_offers(metrics['offers'], policy)} |"
            )
    return "\n".join(rows), results


def plot(results: Results, names: tuple[str, ...]) -> list[str]:
    images = []
    colours = {"legacy": "#c9191e", "guichet": "#000091"}
    for name in names:
        figure, axis = plt.subplots(figsize=(7, 3.6))
        for policy in ("legacy", "guichet"):
            waits = results[name, policy]["waits"]
            if len(waits):
                shares = np.linspace(0, 100, 201)
                days = np.percentile(waits, shares)
                axis.plot(days, shares / 100, label=policy, color=colours[policy])
        axis.set_xlabel("attente jusqu'au rendez-vous (jours)")
        axis.set_ylabel("part des personnes reçues")
        axis.set_title(f"{name} : distribution de l'attente")
        axis.grid(alpha=0.3)
        axis.legend(loc="lower right")
        figure.tight_layout()
        image = f"img/simulator-wait-{name}.png"
        figure.savefig(DOCS / image, dpi=110)
        plt.close(figure)
        images.append(image)
    figure, axis = plt.subplots(figsize=(7, 3.2))
    width = 0.38
    for offset, policy in ((-width / 2, "legacy"), (width / 2, "guichet")):
        late = [100 * (results[name, policy]["renewals_seen_after_expiry"] or 0) for name in names]
        positions = np.arange(len(names)) + offset
        bars = axis.bar(positions, late, width, label=policy, color=colours[policy])
        axis.bar_label(bars, fmt="%.1f %%")
    axis.set_xticks(np.arange(len(names)), names)
    axis.set_ylabel("%")
    axis.set_title("Renouvellements reçus après l'expiration du titre")
    axis.legend(loc="upper left")
    figure.tight_layout()
    image = "img/simulator-expired-share.png"
    figure.savefig(DOCS / image, dpi=110)
    plt.close(figure)
    return [*images, image]


def main() -> None:
    (DOCS / "img").mkdir(parents=True, exist_ok=True)
    table, results = comparison(COMPARED)
    images = plot(results, COMPARED)
    section = "\n\n".join(
        [
            "### Legacy against guichet (seed 0, 52 weeks after an 8-week warm-up)",
            table,
            *(f"![{Path(image).stem}]({image})" for image in images),
            "### Calibration of the legacy model (13 weeks, seeds 0 to 4)",
            calibration_table(),
        ]
    )
    write_section("results", section)
    print(section)


if __name__ == "__main__":
    main()
