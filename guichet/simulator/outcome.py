"""What happened to every person and every unit of capacity, and the metrics drawn from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .population import NEVER, WEB, People
from .scenario import Documents

if TYPE_CHECKING:
    from .documents import Files  # which records its withdrawals in a Ledger

# A run's figures, nested by topic and written as JSON: numbers, None, lists, and dicts of them,
# read back by key in the reports. Their values differ in type from key to key.
Metrics = dict[str, Any]

WAITING, SERVED, EXPIRED, WITHDRAWN = "waiting", "served", "expired", "withdrawn"
ENDS = (SERVED, EXPIRED, WITHDRAWN, WAITING)


@dataclass
class Ledger:
    """One pool's record. A person ends served, expired, withdrawn, or still waiting
    (holding a future date counts as waiting: they have not been seen yet). Capacity is
    counted from `first_day` on (after the warm-up): units of those days, and their fate."""

    end: list[str]
    seen_day: list[int]
    checks: list[float]
    first_day: int = 0
    lost: dict[str, int] = field(default_factory=lambda: {"idle": 0, "no_show": 0, "bots": 0})
    units: int = 0  # capacity offered over the whole run
    taken_by_bots: int = 0
    taken_by_people: int = 0
    # Legacy only: minutes during which at least one slot was open, and the hourly probe.
    open_minutes: int = 0
    probes: int = 0
    probes_offered: int = 0
    # Guichet only: earlier dates offered to people holding a date, and those accepted.
    offers_made: int = 0
    offers_accepted: int = 0

    @classmethod
    def start(cls, people: People, units: list[int], first_day: int) -> Ledger:
        count = len(people)
        return cls(
            end=[WAITING] * count,
            seen_day=[-1] * count,
            checks=[0.0] * count,
            first_day=first_day,
            units=sum(units[first_day:]),
        )

    def lose(self, reason: str, unit_day: int) -> None:
        if unit_day >= self.first_day:
            self.lost[reason] += 1

    def take(self, unit_day: int, by_bot: bool) -> None:
        if unit_day >= self.first_day:
            if by_bot:
                self.taken_by_bots += 1
            else:
                self.taken_by_people += 1


def _percentile(values: np.ndarray, q: float) -> float | None:
    return float(np.percentile(values, q)) if len(values) else None


def _wait_summary(waits: np.ndarray) -> dict[str, float | int | None]:
    return {
        "median": _percentile(waits, 50),
        "p90": _percentile(waits, 90),
        "max": int(waits.max()) if len(waits) else None,
    }


class Tally:
    """Adds up pools one at a time, so a national run never holds every person at once.

    Person metrics cover people who started asking from `first_day` (after the warm-up);
    capacity figures (units, losses, bots, open time, probes) cover the same days.
    A renewal counts as seen after expiry when seen after its permit's expiry, or when the
    permit expired before the end while the person was never seen; those who withdrew and
    those whose permit expires after the end are left out of that share.
    """

    def __init__(self, first_day: int, last_day: int) -> None:
        self.first_day, self.last_day = first_day, last_day
        self.pools = 0
        self.ends = dict.fromkeys(ENDS, 0)
        self.waits: list[np.ndarray] = []
        self.waited_so_far: list[np.ndarray] = []
        self.channels: list[np.ndarray] = []
        self.checks = 0.0
        self.renewals = self.renewals_late = 0
        self.lost = {"idle": 0, "no_show": 0, "bots": 0}
        self.units = self.bots = self.people_taken = 0
        self.open_minutes = self.probes = self.probes_offered = 0
        self.offers_made = self.offers_accepted = 0
        # `[documents]` only: the file services' visits, capacity and waits.
        self.file_visits = self.file_repeats = self.files_completed = self.file_units = 0
        self.first_visit_waits: list[np.ndarray] = []
        self.complete_waits: list[np.ndarray] = []

    def add(self, people: People, ledger: Ledger, files: Files | None = None) -> None:
        """`files` (`documents.Files`): the pool's return visits, with `[documents]`."""
        self.pools += 1
        if files is not None:
            self._add_files(people, ledger, files)
        waits, channels, so_far = [], [], []
        for person, arrival in enumerate(people.arrival):
            if arrival < self.first_day:
                continue
            end, seen = ledger.end[person], ledger.seen_day[person]
            self.ends[end] += 1
            self.checks += ledger.checks[person]
            if end == SERVED:
                waits.append(seen - arrival)
                channels.append(people.channel[person])
            elif end == WAITING:
                so_far.append(self.last_day - arrival)
            expiry = people.expiry[person]
            if expiry != NEVER and end != WITHDRAWN:
                late = seen > expiry if end == SERVED else expiry < self.last_day
                if end == SERVED or expiry < self.last_day:
                    self.renewals += 1
                    self.renewals_late += late
        self.waits.append(np.asarray(waits, dtype=int))
        self.channels.append(np.asarray(channels, dtype=int))
        self.waited_so_far.append(np.asarray(so_far, dtype=int))
        for reason, count in ledger.lost.items():
            self.lost[reason] += count
        self.units += ledger.units
        self.bots += ledger.taken_by_bots
        self.people_taken += ledger.taken_by_people
        self.open_minutes += ledger.open_minutes
        self.probes += ledger.probes
        self.probes_offered += ledger.probes_offered
        self.offers_made += ledger.offers_made
        self.offers_accepted += ledger.offers_accepted

    def _add_files(self, people: People, ledger: Ledger, files: Files) -> None:
        self.file_visits += files.visits_measured
        self.file_repeats += files.repeats_measured
        self.files_completed += files.completed_measured
        self.file_units += ledger.units
        first, complete = [], []
        for person, arrival in enumerate(people.arrival):
            if arrival < self.first_day:
                continue
            if files.first_seen[person] >= 0:
                first.append(files.first_seen[person] - arrival)
            if ledger.end[person] == SERVED:
                complete.append(ledger.seen_day[person] - arrival)
        self.first_visit_waits.append(np.asarray(first, dtype=int))
        self.complete_waits.append(np.asarray(complete, dtype=int))

    def visit_metrics(self, documents: Documents, pickups_per_title: float) -> Metrics:
        """Visits per title, measured as a flow: the file services' visits over the files
        found complete, on the same days (not only those of people who started then)."""
        per_file = self.file_visits / self.files_completed if self.files_completed else None
        units = self.file_units
        return {
            "incomplete_share": documents.share,
            "prechecks": documents.prechecks,
            "visits": self.file_visits,
            "return_visits": self.file_repeats,
            "files_completed": self.files_completed,
            "visits_per_file": per_file,
            "pickups_per_title": pickups_per_title,
            "visits_per_title": None if per_file is None else per_file + pickups_per_title,
            "file_units": units,
            "return_share_of_capacity": self.file_repeats / units if units else 0.0,
            "wait_days_first_visit": _wait_summary(np.concatenate(self.first_visit_waits)),
            "wait_days_file_complete": _wait_summary(np.concatenate(self.complete_waits)),
        }

    def metrics(self) -> Metrics:
        waits = np.concatenate(self.waits) if self.waits else np.zeros(0, dtype=int)
        channels = np.concatenate(self.channels) if self.channels else np.zeros(0, dtype=int)
        people = sum(self.ends.values())
        taken = self.bots + self.people_taken
        return {
            "people": people,
            "ends": self.ends,
            "renewals_seen_after_expiry": (
                self.renewals_late / self.renewals if self.renewals else None
            ),
            "wait_days": _wait_summary(waits),
            "wait_days_by_channel": {
                "web": _wait_summary(waits[channels == WEB]),
                "counter_or_post": _wait_summary(waits[channels != WEB]),
            },
            # Waits are censored by the run's end: how long those still waiting have waited.
            "still_waiting_days": _wait_summary(
                np.concatenate(self.waited_so_far) if self.waited_so_far else np.zeros(0)
            ),
            "taken_by_bots": self.bots / taken if taken else 0.0,
            "page_checks_per_person": self.checks / people if people else 0.0,
            "units": self.units,
            "units_lost": self.lost,
            "units_lost_share": sum(self.lost.values()) / self.units if self.units else 0.0,
            "open_time_share": self.open_minutes
            / ((self.last_day - self.first_day) * 1440 * self.pools),
            "probe_offers": [self.probes_offered, self.probes],
            "offers": {"made": self.offers_made, "accepted": self.offers_accepted},
            "waits": waits,
        }
