"""`python -m bench simulator`: a year of a scenario under both policies, in the same run.

The national scenario (seed 0, its 52 weeks after the warm-up) under the legacy policy, then
under the guichet policy, one after the other in this process: the legacy run is the yardstick
the guichet run is compared with (other processes on the machine slow both alike). Wall-clock
and this process's CPU time for each, and the people counted, to show both met the same demand.
Writes bench/results/simulator.md and prints it.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

from guichet.simulator.run import simulate
from guichet.simulator.scenario import load_scenario

RESULTS = Path(__file__).parent / "results"
SCENARIOS = ("val-de-marne", "national")
POLICIES = ("legacy", "guichet")


def timed(scenario, policy: str) -> tuple[float, float, dict]:
    started, started_cpu = time.perf_counter(), time.process_time()
    metrics = simulate(scenario, policy, seed=0)
    return time.perf_counter() - started, time.process_time() - started_cpu, metrics


def main(names=SCENARIOS) -> None:
    load_before = os.getloadavg()[0]
    rows = [
        "| scenario | policy | people | time (s) | CPU time (s) | time / legacy's |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name in names:
        scenario = load_scenario(name)
        seconds = {}
        for policy in POLICIES:
            wall, cpu, metrics = timed(scenario, policy)
            seconds[policy] = wall
            rows.append(
                f"| {name} | {policy} | {metrics['people']:,} | {wall:.1f} | {cpu:.1f} "
                f"| {wall / seconds['legacy']:.1f} |"
            )
            print(rows[-1], flush=True)
    machine = (
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores "
        f"(load average {load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after)"
    )
    table = "\n".join(rows) + "\n"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "simulator.md").write_text(
        "# Simulator benchmark\n\n"
        f"`python -m bench simulator` on {machine}, one process. Each scenario's year (seed 0, "
        "52 weeks after the warm-up) under the legacy policy, then the guichet policy, one "
        "after the other: the same people and capacity, only the rules differ. Time: "
        "wall-clock; CPU time: this process's, which other processes on the machine do not "
        "inflate.\n\n" + table
    )
    print("\n" + table)


if __name__ == "__main__":
    main(sys.argv[1:] or SCENARIOS)
