"""Every simulated person ends served, expired, withdrawn or still waiting; no one twice."""

import random

import numpy as np
import pytest

from guichet.simulator.outcome import ENDS, SERVED
from guichet.simulator.population import capacity, draw_people
from guichet.simulator.run import POLICIES, simulate
from guichet.simulator.scenario import load_scenario

SCENARIO = load_scenario("val-de-marne")
DAYS = 7 * 12


@pytest.mark.parametrize("policy", sorted(POLICIES))
@pytest.mark.parametrize("kind", ["first_permit", "renewal"])
def test_every_person_has_exactly_one_end(policy, kind):
    service = next(s for s in SCENARIO.prefectures[0].services if s.kind == kind)
    people = draw_people(service, SCENARIO.behaviour, DAYS, np.random.default_rng(4))
    ledger = POLICIES[policy](people, capacity(service, DAYS), SCENARIO, random.Random(4))
    assert len(people) > 100
    assert set(ledger.end) <= set(ENDS)
    assert len(ledger.end) == len(people)
    for person, end in enumerate(ledger.end):
        seen = ledger.seen_day[person]
        if end == SERVED:
            assert people.arrival[person] <= seen < DAYS
        else:
            assert seen == -1


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_the_ends_add_up_to_everyone_measured(policy):
    metrics = simulate(SCENARIO, policy, seed=2, weeks=2)
    assert sum(metrics["ends"].values()) == metrics["people"] > 0
    assert len(metrics["waits"]) == metrics["ends"]["served"]
