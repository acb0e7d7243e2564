"""A seed gives the same results twice; both policies meet the same people."""

import numpy as np
import pytest

from guichet.simulator.run import simulate
from guichet.simulator.scenario import load_scenario

SCENARIO = load_scenario("evry")


def comparable(metrics: dict) -> dict:
    return {**metrics, "waits": metrics["waits"].tolist()}


@pytest.mark.parametrize("policy", ["legacy", "guichet"])
def test_a_seed_gives_the_same_results_twice(policy):
    first = simulate(SCENARIO, policy, seed=11, weeks=3)
    again = simulate(SCENARIO, policy, seed=11, weeks=3)
    other = simulate(SCENARIO, policy, seed=12, weeks=3)
    assert comparable(first) == comparable(again)
    assert not np.array_equal(first["waits"], other["waits"])


def test_both_policies_meet_the_same_people():
    legacy = simulate(SCENARIO, "legacy", seed=5, weeks=3)
    guichet = simulate(SCENARIO, "guichet", seed=5, weeks=3)
    assert legacy["people"] == guichet["people"] > 0
