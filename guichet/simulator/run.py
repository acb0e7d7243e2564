"""Run a scenario under one policy: the same people and capacity, only the rules differ."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np

from .batch import run_batch
from .legacy import run_legacy
from .outcome import Tally
from .population import capacity, draw_people
from .scenario import Scenario

POLICIES: dict[str, Callable] = {"legacy": run_legacy, "guichet": run_batch}


def simulate(scenario: Scenario, policy: str, seed: int = 0, weeks: int | None = None) -> dict:
    """Metrics of `weeks` weeks (after the scenario's warm-up) for every pool of the scenario."""
    run_policy = POLICIES[policy]
    weeks = scenario.weeks if weeks is None else weeks
    days = 7 * (scenario.warmup_weeks + weeks)
    tally = Tally(first_day=7 * scenario.warmup_weeks, last_day=days)
    for number, prefecture in enumerate(scenario.prefectures):
        for index, service in enumerate(prefecture.services):
            people = draw_people(
                service, scenario.behaviour, days, np.random.default_rng([seed, number, index])
            )
            rng = random.Random(f"{seed}:{number}:{index}")
            tally.add(people, run_policy(people, capacity(service, days), scenario, rng))
    return {
        "scenario": scenario.name,
        "policy": policy,
        "seed": seed,
        "weeks": weeks,
        **tally.metrics(),
    }
