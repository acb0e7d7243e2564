"""Scalpers (Hakimov, Heller, Kübler & Kurino, AER 2021) in the simulator: under first-come
they profit when demand exceeds capacity and hand slots over by cancel-and-rebook; at or below
capacity they have nothing to sell; under Guichet a cancelled slot goes down the queue, so the
hand-over never puts a buyer ahead of anyone."""

import pytest

from guichet.simulator.abuse import configure
from guichet.simulator.abusers import Counts
from guichet.simulator.run import simulate
from guichet.simulator.scenario import load_scenario

SEEDS = range(5)
WEEKS = 8


def scalping(policy: str, load: float, *settings: str) -> tuple[Counts, float]:
    """The scalper's record and profit over five seeded runs."""
    scenario = configure(load_scenario("scalpers"), load, settings)
    counts, profit = Counts(), 0.0
    for seed in SEEDS:
        abuse = simulate(scenario, policy, seed=seed, weeks=WEEKS)["abuse"]
        counts.add(Counts(**abuse["counts"]))
        profit += abuse["scalper"]["profit"]
    return counts, profit


@pytest.fixture(scope="module")
def first_come_overloaded():
    return scalping("legacy", 1.2)


def test_under_first_come_scalpers_profit_when_demand_exceeds_capacity(first_come_overloaded):
    counts, profit = first_come_overloaded
    assert counts.handed_over > 100
    assert profit > 0


@pytest.mark.parametrize("load", [0.8, 1.0])
def test_under_first_come_scalpers_make_next_to_nothing_at_or_below_capacity(
    load, first_come_overloaded
):
    _, overloaded = first_come_overloaded
    counts, profit = scalping("legacy", load)
    assert profit < 0.05 * overloaded
    assert counts.handed_over < 0.05 * first_come_overloaded[0].handed_over


def test_under_first_come_the_buyer_told_the_moment_gets_the_cancelled_slot(
    first_come_overloaded,
):
    counts, _ = first_come_overloaded
    assert counts.handed_over / counts.attempts > 0.5
    # Another customer, who checks at their usual pace, almost never catches it.
    assert counts.control_got_it / counts.controls < 0.01
    # There is no line: every buyer served passed people who had asked before them.
    assert counts.jumped == counts.handed_over


def test_under_guichet_a_cancelled_slot_never_reaches_a_buyer_out_of_turn():
    # Demand far above capacity and three placeholders a day, so that hundreds of hand-overs
    # are tried within a short run.
    counts, profit = scalping("guichet", 1.5, "placeholders_per_day=3")
    assert counts.attempts >= 250
    assert counts.jumped == 0
    # A buyer got the unit only when first in line anyway: no more often than any customer.
    assert counts.handed_over / counts.attempts < 0.02
    assert counts.control_got_it / counts.controls < 0.02
    assert profit < 0


def test_under_guichet_scalpers_sell_nothing_without_demand_above_capacity():
    counts, profit = scalping("guichet", 0.8)
    assert counts.attempts == counts.handed_over == 0
    assert profit == -2 * counts.bookings < 0
