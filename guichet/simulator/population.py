"""The people of one pool (one service of one préfecture), drawn from the seed alone.

Both policies meet exactly the same people, on the same days, with the same intentions
(withdrawing, not showing up, patience): only the booking rules differ between runs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from .scenario import Behaviour, Service

START = datetime.date(2025, 1, 6)  # a Monday: day 0 of every simulation
NEVER = 1 << 30  # a day that never comes
WEB, OTHER = 0, 1  # channels: web, or counter and post
RENEWAL_WINDOW = (60, 120)  # filed between the 120th and the 60th day before expiry (R431-5)


def month_of(days: np.ndarray) -> np.ndarray:
    months = [
        (START + datetime.timedelta(days=int(day))).month - 1 for day in range(days.max() + 1)
    ]
    of_days: np.ndarray = np.asarray(months)[days]
    return of_days


def is_working_day(day: int) -> bool:
    return day % 7 < 5


@dataclass
class People:
    """One row per person, sorted by the day they start asking (`arrival`)."""

    arrival: list[int]
    deadline: list[int]  # permit expiry for renewals, else arrival + the service's target wait
    expiry: list[int]  # NEVER when the service has no legal deadline
    channel: list[int]
    withdraw_day: list[int]  # NEVER for those who never withdraw
    give_up_day: list[int]  # legacy only: when they stop trying
    no_show: list[bool]

    def __len__(self) -> int:
        return len(self.arrival)


def _daily_rate(service: Service, days: np.ndarray) -> np.ndarray:
    seasonality = np.asarray(service.seasonality, dtype=float)
    rate: np.ndarray = service.per_year / 365 * seasonality[month_of(days)] / seasonality.mean()
    return rate


def draw_people(
    service: Service, behaviour: Behaviour, days: int, rng: np.random.Generator
) -> People:
    """Poisson arrivals shaped by seasonality; renewals arrive 120 to 60 days before expiry."""
    if service.kind == "renewal":
        expiry_days = np.arange(RENEWAL_WINDOW[0], days + RENEWAL_WINDOW[1])
        counts = rng.poisson(_daily_rate(service, expiry_days))
        expiry = np.repeat(expiry_days, counts)
        arrival = expiry - rng.integers(RENEWAL_WINDOW[0], RENEWAL_WINDOW[1] + 1, len(expiry))
        kept = (arrival >= 0) & (arrival < days)
        arrival, expiry = arrival[kept], expiry[kept]
        deadline = expiry
    else:
        arrival_days = np.arange(days)
        arrival = np.repeat(arrival_days, rng.poisson(_daily_rate(service, arrival_days)))
        expiry = np.full(len(arrival), NEVER)
        deadline = arrival + service.target_wait_days
    order = np.argsort(arrival, kind="stable")
    arrival, expiry, deadline = arrival[order], expiry[order], deadline[order]
    count = len(arrival)
    channel = np.where(rng.random(count) < behaviour.web_share, WEB, OTHER)
    withdraws = rng.random(count) < behaviour.withdrawal_rate
    withdraw_day = np.where(
        withdraws,
        arrival + rng.integers(1, behaviour.withdrawal_within_days + 1, count),
        NEVER,
    )
    give_up_day = arrival + np.ceil(rng.exponential(behaviour.patience_days, count)).astype(int)
    no_show = rng.random(count) < behaviour.no_show_rate
    return People(
        arrival=arrival.tolist(),
        deadline=deadline.tolist(),
        expiry=expiry.tolist(),
        channel=channel.tolist(),
        withdraw_day=withdraw_day.tolist(),
        give_up_day=give_up_day.tolist(),
        no_show=no_show.tolist(),
    )


def capacity(service: Service, days: int) -> list[int]:
    """Units per day: the weekly capacity spread over working days, rounded without drift."""
    per_day = service.capacity_per_week / 5
    units = [0] * days
    worked = 0
    for day in range(days):
        if is_working_day(day):
            units[day] = int(per_day * (worked + 1)) - int(per_day * worked)
            worked += 1
    return units
