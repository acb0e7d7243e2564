"""Files found incomplete at the counter, and the return visits they cost (`[documents]`).

A visit to a file service (first permit, renewal) either finds the file complete — the person
is served — or finds something missing: the person goes home, gathers it for a few days, and
asks for another appointment from the same capacity as everyone else. Both policies meet the
same files: how many times each person's file would be incomplete is drawn once, from the seed
alone, and a lower share of incomplete files (documents checked before the visit) gives each
person as many returns or fewer.
"""

from __future__ import annotations

import math

import numpy as np

from .outcome import WITHDRAWN, Ledger
from .population import NEVER, People
from .scenario import Documents


def returns_needed(uniform: np.ndarray, share: float, max_returns: int) -> list[int]:
    """Visits found incomplete before the complete one: at least k with probability share^k.

    From one uniform per person (in (0, 1]), so the same person needs fewer returns when the
    share is lower: `floor(log u / log share)`, capped at `max_returns`.
    """
    if share <= 0:
        return [0] * len(uniform)
    returns = np.floor(np.log(uniform) / math.log(share))
    needed: list[int] = np.minimum(returns, max_returns).astype(int).tolist()
    return needed


class Files:
    """One pool's files: how many returns each person needs, and every visit made.

    Visits and completions are counted on the measured days (from `first_day`), as capacity
    is; `first_seen` keeps the day of each person's first visit, for the wait to a first
    appointment (the `seen_day` of the ledger is the day the file was found complete).
    """

    def __init__(
        self, people: People, documents: Documents, first_day: int, rng: np.random.Generator
    ) -> None:
        self.people, self.first_day = people, first_day
        self.gather_days = documents.gather_days
        self.returns = returns_needed(
            1.0 - rng.random(len(people)), documents.share, documents.max_returns
        )
        # A file's deadline, from the day its request is made (renewals: their expiry).
        self.target_wait = [
            deadline - arrival
            for deadline, arrival in zip(people.deadline, people.arrival, strict=True)
        ]
        self.visits = [0] * len(people)
        self.first_seen = [-1] * len(people)
        self.coming_back: dict[int, list[int]] = {}  # day -> people asking again that day
        self.visits_measured = self.repeats_measured = self.completed_measured = 0

    def visit(self, person: int, day: int) -> bool:
        """The person comes to the counter: True when the file is complete; otherwise they
        will ask for another appointment `gather_days` later."""
        self.visits[person] += 1
        if self.first_seen[person] < 0:
            self.first_seen[person] = day
        measured = day >= self.first_day
        self.visits_measured += measured
        self.repeats_measured += measured and self.visits[person] > 1
        if self.visits[person] > self.returns[person]:
            self.completed_measured += measured
            return True
        self.coming_back.setdefault(day + self.gather_days, []).append(person)
        return False

    def back(self, day: int, ledger: Ledger) -> list[int]:
        """Those who ask for another appointment today. Those who gave up while gathering their
        documents ask for nothing: the ledger ends them withdrawn."""
        back = []
        for person in self.coming_back.pop(day, []):
            if self.people.withdraw_day[person] <= day:
                ledger.end[person] = WITHDRAWN
            else:
                back.append(person)
        return back

    def deadline_on_return(self, person: int, day: int) -> int:
        """A renewal keeps its permit's expiry; another file, a new request, gets the
        service's target wait from the day it asks again."""
        people = self.people
        if people.expiry[person] != NEVER:
            return people.deadline[person]
        return day + self.target_wait[person]
