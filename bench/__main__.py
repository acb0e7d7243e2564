"""`make bench`: the allocation engine against the exact optimum, then the web tier (bench/web.py),
the production path beside the engine (bench/production_path.py) and the simulator's year under
both policies (bench/simulator.py).

`python -m bench allocation`, `web`, `production` or `simulator` runs one of them.

The allocation engine's speed and quality against the exact optimum.

For each synthetic instance: time to allocate (best of three runs, inputs built beforehand;
wall-clock and this process's CPU time, which other processes on the machine do not inflate),
peak memory of one allocation (tracemalloc, a separate run), requests late, worst lateness, and
for 1e4 and 1e5 requests the ratio of the engine's convex lateness cost to the optimum's.
Instances with urgent requests (due before the first unit) have late requests whatever the
schedule; those without show whether the engine stays on time wherever the optimum does.
Writes bench/results/allocation.md and prints it.
"""

from __future__ import annotations

import gc
import platform
import sys
import time
import tracemalloc
from pathlib import Path

from guichet.allocation import allocate

from . import production_path, simulator, web
from .instances import MINUTES_PER_DAY, Instance, due_day, lateness_cost, make_instance
from .optimum import Outcome, optimum

RESULTS = Path(__file__).parent / "results"
LOADS = (0.9, 1.0, 1.1, 1.2)
URGENT = (0.0, 0.03)
PLAN = [
    (size, load, urgent, True) for size in (10_000, 100_000) for urgent in URGENT for load in LOADS
]
PLAN += [(1_000_000, load, 0.03, False) for load in (1.0, 1.2)]


def evaluate(instance: Instance, assignments: dict) -> tuple[Outcome, frozenset]:
    """The engine's schedule, charged like the optimum (undated = first day after the horizon),
    and the requests it dates on time."""
    start_of = {unit.key: unit.start for unit in instance.units}
    cost = late = worst = 0
    on_time = []
    for request in instance.requests:
        unit = assignments.get(request.key)
        day = instance.horizon_days if unit is None else start_of[unit] // MINUTES_PER_DAY
        days = max(0, day - due_day(request))
        cost += lateness_cost(days)
        late += days > 0
        worst = max(worst, days)
        if unit is not None and not days:
            on_time.append(request.key)
    return Outcome(cost=cost, late=late, worst=worst), frozenset(on_time)


def best_time(instance: Instance, runs: int = 3) -> tuple[float, float, dict]:
    """Best wall-clock and best CPU time over `runs` allocations (seeds 0, 1, 2...)."""
    wall = cpu = float("inf")
    for seed in range(runs):
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        result = allocate(instance.requests, instance.units, seed=seed)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return wall, cpu, result.assignments


def peak_memory(instance: Instance) -> int:
    gc.collect()
    tracemalloc.start()
    allocate(instance.requests, instance.units, seed=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def ratio(engine: Outcome, best: Outcome | None) -> str:
    if best is None:
        return "—"
    if best.cost == 0:
        return "1 (both 0)" if engine.cost == 0 else "∞ (optimum 0)"
    return f"{engine.cost / best.cost:.3f}"


def across_seeds(size: int = 10_000, seeds=range(1, 6)) -> str:
    """The quality figures again on several random instances of each kind (small: fast), with
    the least cost of any schedule keeping on time every request the engine dates on time: what
    is left between that and the optimum needs someone made late who could be on time."""
    rows = [
        f"| load | urgent | instances where the engine is late and the optimum is not "
        f"| cost ratios ({size:,} requests, instance seeds {seeds.start}–{seeds.stop - 1}) "
        "| late: engine / optimum "
        "| least cost keeping the engine's on-time requests on time, to the optimum's |",
        "|---:|---:|---:|---|---|---|",
    ]
    for urgent in URGENT:
        for load in LOADS:
            missed, ratios, late, kept = 0, [], [], []
            for seed in seeds:
                instance = make_instance(size, load, seed=seed, urgent_share=urgent)
                _, _, assignments = best_time(instance, runs=1)
                (engine, on_time), best = evaluate(instance, assignments), optimum(instance)
                missed += engine.late > 0 and best.late == 0
                ratios.append(ratio(engine, best))
                late.append(f"{engine.late} / {best.late}")
                kept.append(ratio(optimum(instance, kept_on_time=on_time), best))
            rows.append(
                f"| {load} | {urgent:.0%} | {missed} | {', '.join(ratios)} | {', '.join(late)} "
                f"| {', '.join(kept)} |"
            )
    return "\n".join(rows) + "\n"


def main() -> None:
    header = (
        "| requests | units | load | urgent | time (s) | CPU time (s) | peak memory (MB) "
        "| late: engine / optimum | worst lateness (days): engine / optimum "
        "| cost ratio to optimum |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---|---|---:|\n"
    )
    rows = []
    for size, load, urgent, with_optimum in PLAN:
        instance = make_instance(size, load, urgent_share=urgent)
        seconds, cpu_seconds, assignments = best_time(instance)
        memory = peak_memory(instance)
        engine, _ = evaluate(instance, assignments)
        best = optimum(instance) if with_optimum else None
        late = f"{engine.late} / {best.late}" if best else f"{engine.late} / —"
        worst = f"{engine.worst} / {best.worst}" if best else f"{engine.worst} / —"
        row = (
            f"| {size:,} | {len(instance.units):,} | {load} | {urgent:.0%} | {seconds:.2f} "
            f"| {cpu_seconds:.2f} "
            f"| {memory / 1e6:.0f} | {late} | {worst} | {ratio(engine, best)} |"
        )
        print(row, flush=True)
        rows.append(row)
    RESULTS.mkdir(exist_ok=True)
    table = header + "\n".join(rows) + "\n\n" + across_seeds()
    machine = f"Python {platform.python_version()} on {platform.machine()}"
    (RESULTS / "allocation.md").write_text(
        "# Allocation engine benchmark\n\n"
        f"`python -m bench` on {machine}, one process. Time: best of three `allocate` calls, "
        "inputs built beforehand. Urgent: share of requests due before the first unit. Cost: "
        "sum of squared days late; an undated request counts as dated the first day after the "
        "horizon.\n\n" + table
    )
    print("\n" + table)


BENCHES = {
    "allocation": main,
    "web": web.main,
    "production": production_path.main,
    "simulator": simulator.main,
}

if __name__ == "__main__":
    wanted = sys.argv[1:] or list(BENCHES)
    unknown = set(wanted) - BENCHES.keys()
    if unknown:
        sys.exit(f"unknown bench: {', '.join(sorted(unknown))} (choose among {', '.join(BENCHES)})")
    for name in wanted:
        BENCHES[name]()
