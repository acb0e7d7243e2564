"""The simulator's guichet policy dates people and hands freed units on with the booking
service's own engine functions."""

from unittest import mock

from guichet.allocation import Allocation
from guichet.booking import offers, services
from guichet.simulator import batch
from guichet.simulator.run import simulate
from guichet.simulator.scenario import load_scenario

SCENARIO = load_scenario("evry")


def test_the_policy_calls_the_function_the_service_calls():
    assert batch.allocate is services.allocate
    with mock.patch.object(batch, "allocate", wraps=services.allocate) as engine:
        metrics = simulate(SCENARIO, "guichet", seed=3, weeks=2)
    # One batch per working day with someone waiting: 10 weeks, 5 days a week at most.
    assert 0 < engine.call_count <= 50
    assert metrics["ends"]["served"] > 0


def test_freed_units_go_to_whom_the_offer_service_would_choose():
    assert batch.choose_for_unit is offers.choose_for_unit
    with mock.patch.object(batch, "choose_for_unit", wraps=offers.choose_for_unit) as choose:
        metrics = simulate(SCENARIO, "guichet", seed=3, weeks=4)
    assert choose.call_count > 0
    assert metrics["offers"]["made"] > 0


def test_nobody_gets_a_freed_unit_the_offer_function_gives_to_nobody():
    with mock.patch.object(batch, "choose_for_unit", return_value=None):
        metrics = simulate(SCENARIO, "guichet", seed=3, weeks=4)
    assert metrics["offers"] == {"made": 0, "accepted": 0}


def test_the_policy_dates_nobody_the_engine_does_not_date():
    def date_nobody(requests, units, seed):
        return Allocation(seed=seed, order=[request.key for request in requests])

    with mock.patch.object(batch, "allocate", side_effect=date_nobody):
        metrics = simulate(SCENARIO, "guichet", seed=3, weeks=2)
    assert metrics["ends"]["served"] == 0
    assert metrics["units_lost"]["idle"] == metrics["units"]
