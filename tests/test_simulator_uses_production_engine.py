"""The simulator's guichet policy dates people with the booking service's own engine."""

from unittest import mock

from guichet.allocation import Allocation
from guichet.booking import services
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


def test_the_policy_dates_nobody_the_engine_does_not_date():
    def date_nobody(requests, units, seed):
        return Allocation(seed=seed, order=[request.key for request in requests])

    with mock.patch.object(batch, "allocate", side_effect=date_nobody):
        metrics = simulate(SCENARIO, "guichet", seed=3, weeks=2)
    assert metrics["ends"]["served"] == 0
    assert metrics["units_lost"]["idle"] == metrics["units"]
