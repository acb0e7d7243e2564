"""Run a scenario under one policy: the same people and capacity, only the rules differ."""

from __future__ import annotations

import dataclasses
import random
from typing import Protocol

import numpy as np

from .abusers import AbuseTally, draw_plan, run_pool
from .batch import run_batch
from .documents import Files
from .legacy import run_legacy
from .outcome import Ledger, Metrics, Tally
from .population import People, capacity, draw_people
from .scenario import Scenario


class Policy(Protocol):
    """A policy run on one pool: its people, its units per day, and return visits if any."""

    def __call__(
        self,
        people: People,
        units: list[int],
        scenario: Scenario,
        rng: random.Random,
        *,
        files: Files | None = None,
    ) -> Ledger: ...


POLICIES: dict[str, Policy] = {"legacy": run_legacy, "guichet": run_batch}


def pickups_per_title(scenario: Scenario) -> float:
    """Pick-up visits per title filed: the pick-up service's demand over the file services'."""
    filed = pickups = 0.0
    for prefecture in scenario.prefectures:
        for service in prefecture.services:
            if service.kind == "pickup":
                pickups += service.per_year
            elif service.kind in scenario.documents.services:
                filed += service.per_year
    return pickups / filed if filed else 0.0


def simulate(scenario: Scenario, policy: str, seed: int = 0, weeks: int | None = None) -> Metrics:
    """Metrics of `weeks` weeks (after the scenario's warm-up) for every pool of the scenario.

    With a scenario's `[abuse]` section, the pools it attacks also hold fake identities or a
    scalper: the metrics are still those of real people, and `abuse` says what abusers got.
    With `[documents] visits = true`, files found incomplete at the counter come back for
    another appointment: `visits` says how many visits a title took and how much capacity
    the return visits used (`documents.py`).
    """
    run_policy = POLICIES[policy]
    weeks = scenario.weeks if weeks is None else weeks
    days = 7 * (scenario.warmup_weeks + weeks)
    tally = Tally(first_day=7 * scenario.warmup_weeks, last_day=days)
    abuse = AbuseTally(scenario) if scenario.abuse.active else None
    documents = scenario.documents if scenario.documents.visits else None
    if documents is not None and abuse is not None:
        raise ValueError("[documents] visits and [abuse] are measured apart, not together")
    for number, prefecture in enumerate(scenario.prefectures):
        for index, service in enumerate(prefecture.services):
            people = draw_people(
                service, scenario.behaviour, days, np.random.default_rng([seed, number, index])
            )
            rng = random.Random(f"{seed}:{number}:{index}")
            files = None
            if documents is not None and service.kind in documents.services:
                files = Files(
                    people,
                    documents,
                    tally.first_day,
                    np.random.default_rng([seed, number, index, 1]),
                )
                service = dataclasses.replace(
                    service,
                    capacity_per_week=service.capacity_per_week * documents.capacity_factor,
                )
            units = capacity(service, days)
            if files is not None:
                ledger = run_policy(people, units, scenario, rng, files=files)
            elif abuse is None or service.kind not in scenario.abuse.services:
                ledger = run_policy(people, units, scenario, rng)
            else:
                plan = draw_plan(scenario.abuse, people, days, seed, (number, index))
                ledger, counts = run_pool(
                    policy, people, units, scenario, rng, plan, service.target_wait_days
                )
                abuse.add(counts, ledger)
            tally.add(people, ledger, files)
    metrics = {"scenario": scenario.name, "policy": policy, "seed": seed, "weeks": weeks}
    metrics.update(tally.metrics())
    if abuse is not None:
        metrics["abuse"] = abuse.metrics(weeks)
    if documents is not None:
        metrics["visits"] = tally.visit_metrics(documents, pickups_per_title(scenario))
    return metrics
