"""Synthetic allocation instances: many sites of skewed sizes, a seasonal peak of deadlines.

Times are integers in minutes (unit starts, lead times, and deadlines: the last minute of the due
day): the engine only needs comparable values, and integers keep the instance itself cheap to
build at 1e6 requests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from guichet.allocation import FreeUnit, WaitingRequest

MINUTES_PER_DAY = 1440
SLOT_MINUTES = 20
OPEN_MINUTE = 9 * 60
SLOTS_PER_DESK_DAY = 21  # 09:00 to 16:00


@dataclass
class Instance:
    name: str
    load: float
    horizon_days: int
    requests: list[WaitingRequest]
    units: list[FreeUnit]


def due_day(request: WaitingRequest) -> int:
    """The day a request is due: on time on that day, late from the next."""
    return request.deadline // MINUTES_PER_DAY


def lateness_cost(days: int) -> int:
    """Convex cost of being late: a week late costs more than seven one-day delays."""
    return days * days


def site_weights(count: int, rng: random.Random) -> list[float]:
    """Skewed site sizes (Zipf-like), shuffled so site ids do not encode size."""
    weights = [1 / (rank + 1) ** 0.9 for rank in range(count)]
    rng.shuffle(weights)
    return weights


def make_instance(
    size: int,
    load: float,
    seed: int = 1,
    horizon_days: int = 91,
    peak_share: float = 0.15,
    urgent_share: float = 0.03,
) -> Instance:
    """`size` requests competing for `size / load` units over `horizon_days` days.

    Deadlines: most spread over the horizon and beyond (renewals, target waits), a seasonal
    peak of `peak_share` of requests due within three weeks, `urgent_share` already due before
    the first unit (late whatever happens). Each request accepts its home site; 30 % also
    accept a neighbouring one. All may start two days from now.
    """
    rng = random.Random(seed)
    site_count = max(3, round(size**0.5 / 10))
    weights = site_weights(site_count, rng)
    total_weight = sum(weights)
    unit_count = round(size / load)
    working_days = [day for day in range(2, horizon_days) if day % 7 < 5]

    units: list[FreeUnit] = []
    key = 0
    for site, weight in enumerate(weights):
        site_units = round(unit_count * weight / total_weight)
        slots = [
            day * MINUTES_PER_DAY + OPEN_MINUTE + slot * SLOT_MINUTES
            for day in working_days
            for slot in range(SLOTS_PER_DESK_DAY)
        ]
        for index in range(site_units):
            # Spread the site's units evenly over the horizon, several desks per slot.
            start = slots[index * len(slots) // site_units]
            units.append(FreeUnit(key=key, site=site, start=start))
            key += 1

    sites = list(range(site_count))
    homes = rng.choices(sites, weights, k=size)
    not_before = 2 * MINUTES_PER_DAY
    requests: list[WaitingRequest] = []
    for key, home in enumerate(homes):
        accepted = {home}
        if rng.random() < 0.3:
            accepted.add((home + 1) % site_count)
        draw = rng.random()
        if draw < peak_share:
            deadline = rng.randint(10, 30)  # seasonal peak
        elif draw < peak_share + urgent_share:
            deadline = rng.randint(0, 9)  # already urgent
        else:
            deadline = rng.randint(14, int(horizon_days * 1.5))
        requests.append(
            WaitingRequest(
                key=key,
                deadline=(deadline + 1) * MINUTES_PER_DAY - 1,
                registered_at=rng.randint(-90 * MINUTES_PER_DAY, 0),
                sites=frozenset(accepted),
                not_before=not_before,
            )
        )
    return Instance(
        f"{size:.0e}-load{load}-urgent{urgent_share}", load, horizon_days, requests, units
    )
