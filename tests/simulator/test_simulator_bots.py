"""Bots win most slots in today's first-click race; without them, people take every slot."""

import dataclasses

from guichet.simulator.run import simulate
from guichet.simulator.scenario import load_scenario

SCENARIO = load_scenario("clermont-ferrand")


def with_bots(count: float):
    return dataclasses.replace(SCENARIO, legacy=dataclasses.replace(SCENARIO.legacy, bots=count))


def test_bots_take_most_slots_in_the_legacy_race():
    assert simulate(with_bots(5), "legacy", seed=1, weeks=4)["taken_by_bots"] > 0.5


def test_without_bots_people_take_every_slot():
    metrics = simulate(with_bots(0), "legacy", seed=1, weeks=4)
    assert metrics["taken_by_bots"] == 0
    assert metrics["units_lost"]["bots"] == 0
