"""In the simulator, a freed unit goes down the queue as in the service's offer cascade."""

import random
from dataclasses import replace

from guichet.simulator.batch import MINUTES, Pool, Queue
from guichet.simulator.outcome import Ledger
from guichet.simulator.population import NEVER, WEB, People
from guichet.simulator.scenario import load_scenario

SCENARIO = load_scenario("evry")
DAY = 10


def queue_of(deadlines, accept=1.0, response_hours=1.0):
    count = len(deadlines)
    people = People(
        arrival=[0] * count,
        deadline=list(deadlines),
        expiry=[NEVER] * count,
        channel=[WEB] * count,
        withdraw_day=[NEVER] * count,
        give_up_day=[NEVER] * count,
        no_show=[False] * count,
    )
    scenario = replace(
        SCENARIO,
        behaviour=replace(
            SCENARIO.behaviour, offer_acceptance=accept, offer_response_hours=response_hours
        ),
    )
    pool = Pool([0] * 60)
    ledger = Ledger.start(people, [0] * 60, first_day=0)
    queue = Queue(people, scenario, random.Random(1), ledger, pool)
    for person in range(count):
        queue.register(person)
    return queue


def unit(day, index=0):
    return day * MINUTES + index


def test_a_freed_unit_moves_the_most_urgent_later_date_earlier_and_passes_theirs_on():
    queue = queue_of([30, 20, 40, 25])
    queue.book(0, unit(DAY + 20), 0)  # deadline 30
    queue.book(1, unit(DAY + 10), 0)  # deadline 20: the most urgent with a later date
    queue.book(2, unit(DAY + 1), 0)  # deadline 40, but an earlier date: not concerned
    queue.free(unit(DAY + 5), now=DAY * MINUTES)
    # 1 moves to day +5; its day +10 goes to 3 (waiting, deadline 25); nothing is left over.
    assert queue.booked == {
        0: unit(DAY + 20),
        1: unit(DAY + 5),
        2: unit(DAY + 1),
        3: unit(DAY + 10),
    }
    assert not queue.waiting
    assert queue.ledger.offers_made == queue.ledger.offers_accepted == 1
    assert queue.pool.free == []


def test_nobody_is_moved_later_and_an_unwanted_unit_returns_to_the_pool():
    queue = queue_of([30, 20])
    queue.book(0, unit(DAY + 3), 0)
    queue.book(1, unit(DAY + 4), 0)
    queue.free(unit(DAY + 8), now=DAY * MINUTES)
    assert queue.booked == {0: unit(DAY + 3), 1: unit(DAY + 4)}
    assert queue.pool.free == [unit(DAY + 8)]
    assert queue.ledger.offers_made == 0


def test_waiting_people_get_no_date_inside_the_minimum_lead():
    queue = queue_of([5])
    lead = SCENARIO.batch.min_lead_days
    queue.free(unit(DAY + lead - 1), now=DAY * MINUTES)
    assert 0 in queue.waiting and queue.pool.free == [unit(DAY + lead - 1)]
    queue.free(unit(DAY + lead), now=DAY * MINUTES)
    assert queue.booked == {0: unit(DAY + lead)}


def test_a_declined_or_unanswered_offer_passes_to_the_next_in_line():
    # Nobody answers in time (answers take weeks): every dated person is asked once, in
    # priority order, and the unit ends back in the pool.
    queue = queue_of([20, 30, 25], response_hours=100_000)
    for person, day in enumerate((DAY + 10, DAY + 11, DAY + 12)):
        queue.book(person, unit(day), 0)
    asked = []
    first_in_line = queue.first_in_line

    def spy(*args):
        chosen = first_in_line(*args)
        asked.append(chosen)
        return chosen

    queue.first_in_line = spy
    queue.free(unit(DAY + 5), now=DAY * MINUTES)
    assert asked == [0, 2, 1, None]
    assert queue.ledger.offers_made == 3 and queue.ledger.offers_accepted == 0
    assert queue.pool.free == [unit(DAY + 5)]
