"""When the robot checks a target again: rarely, about `checks_per_day` times a day, with jitter.

Jitter keeps the robot from hitting every préfecture at the same minute and from being predictable.
No Django import.
"""

import datetime
import random

DEFAULT_JITTER = 0.25  # each interval is the mean interval ±25 %


def mean_interval(checks_per_day: int) -> datetime.timedelta:
    return datetime.timedelta(days=1) / max(1, checks_per_day)


def next_check_at(
    after: datetime.datetime, checks_per_day: int, rng: random.Random, jitter=DEFAULT_JITTER
) -> datetime.datetime:
    return after + mean_interval(checks_per_day) * (1 + rng.uniform(-jitter, jitter))
