"""Scenarios: who asks for what, when, how much capacity there is, and how people behave.

A scenario is a TOML file under `scenarios/` (or anywhere, given by path). Demand and capacity
are given per préfecture; the simulator splits each préfecture into independent pools, one per
service, each received at a single site (sites of one préfecture are merged: an assumption).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

SCENARIOS = Path(__file__).parent / "scenarios"
SERVICES = ("first_permit", "renewal", "naturalisation", "pickup")
FLAT = (1.0,) * 12


@dataclass(frozen=True)
class Behaviour:
    """How people act, under either policy (values from /work/shared/calibration.md or assumed)."""

    web_share: float = 0.85  # the others file at the counter or by post, often through a helper
    checks_per_day_web: float = 3.0  # legacy: how often a person checks the booking page
    checks_per_day_other: float = 0.5  # legacy: a helper checks for them, less often
    patience_days: float = 180.0  # legacy: mean time before someone without a deadline gives up
    withdrawal_rate: float = 0.10  # share who withdraw at some point (found work, moved, left)
    withdrawal_within_days: int = 90
    no_show_rate: float = 0.10
    offer_acceptance: float = 0.90  # share of offered dates a person can take
    offer_response_hours: float = 6.0  # guichet: mean time to answer an earlier date (assumed)
    status_checks_per_week: float = 1.0  # guichet: status page visits (they are also notified)


@dataclass(frozen=True)
class Legacy:
    """Today's module: small releases at random moments, first click wins, bots resell."""

    releases_per_week: float = 10.0
    release_lead_weeks: int = 4  # capacity of week w + lead is released during week w
    bots: float = 3.0  # bots watching this service of this préfecture
    bot_check_minutes: float = 1.0
    bot_grab: int = 3  # slots a bot takes at once
    bot_resale_rate: float = 0.8  # share of bot-held slots sold to a waiting person; rest lost
    probe_minutes: int = 60  # La Cimade's robot: one check an hour


@dataclass(frozen=True)
class Batch:
    """The guichet policy: every request registered, dated by the production engine."""

    min_lead_days: int = 2
    horizon_days: int = 42  # units open for allocation this far ahead
    # Offers of freed units (the service's defaults): 24 h to answer, 2 h within 72 h of the slot.
    offer_window_hours: int = 24
    offer_short_window_hours: int = 2
    offer_short_window_within_hours: int = 72


@dataclass(frozen=True)
class Abuse:
    """Abuse the simulator measures (section `[abuse]`, off by default); every value is assumed.

    Stuffing: bots register fake identities on catch-all mail domains, so each passes contact
    confirmation; a fake never comes. Scalping (Hakimov et al., AER 2021): a scalper holds
    slots under placeholder identities and sells them to people who failed the free route,
    handing each over by cancel-and-rebook. Only the services listed are attacked: renewals
    give a permit number the registry checks, pick-ups follow a file.
    """

    services: tuple[str, ...] = ("first_permit",)
    fakes_per_day: float = 0.0  # fake identities registered (guichet) or booked with (legacy)
    stuffer_bots: float = 1.0  # legacy: bots booking for the stuffer, each checking like a bot
    bot_reconfirmation: float = 0.0  # share of reconfirmation requests a stuffing bot answers
    reconfirm_days_before: int = 7  # guichet asks then, and releases two days later unanswered
    # The service pauses a released request: no new date until the person says they still need
    # one, closed after `pause_answer_days` without an answer (`booking.reminders`); a bot that
    # never reconfirms never answers either. True: the rule before, the request straight back in
    # line with its registration and deadline at every release, for comparison.
    release_requeues: bool = False
    pause_answer_days: int = 30  # booking.reminders.PAUSE_ANSWER_DAYS
    # A bot that reads the release message (catch-all mail domain) and presses « J'ai toujours
    # besoin d'un rendez-vous » at once, at every release. The service lets a person do it
    # `self_resumes` times (booking.reminders.SELF_RESUMES); after that only the préfecture can,
    # papers checked, which a fake never gets: it stays paused and closes.
    bot_presses_still_needed: bool = False
    self_resumes: int = 1
    counter_detection: float = 0.0  # guichet: share of fakes the agent's check finds the day before
    scalper: bool = False
    scalper_bots: float = 1.0  # legacy: the scalper's bots, each checking like a bot
    placeholders_per_day: float = 1.0  # guichet: placeholders registered ahead (dates take days)
    pays_after_days: int = 14  # a person without a date after this long may buy one
    buyer_share: float = 0.5  # share of those who then buy at the price
    price: float = 50.0  # € a slot (Sénat 2021: €15–200)
    booking_cost: float = 2.0  # € per booking or registration under a placeholder identity
    handover_seconds: float = 10.0  # legacy: the buyer's mean delay after the agreed cancel

    @property
    def active(self) -> bool:
        return self.fakes_per_day > 0 or self.scalper


@dataclass(frozen=True)
class Documents:
    """Return visits for files found incomplete at the counter (section `[documents]`).

    Off by default: one visit per file, and every metric as before. On, each visit to a file
    service finds the file incomplete with probability `incomplete_share` (independently at
    every visit, up to `max_returns` times); the person gathers what is missing for
    `gather_days`, then asks for another appointment, from the same capacity. Both policies
    meet the same files: whether a person's file is incomplete at each visit is drawn from
    the seed alone.

    The scenario's load (demand over capacity) counts every visit at today's share: the
    capacity of the file services is multiplied by the visits a file takes on average at
    `incomplete_share`, so that today's booking with return visits faces the load it faces
    without them. Pre-checks change who comes back, not the capacity.
    """

    visits: bool = False
    services: tuple[str, ...] = ("first_permit", "renewal")  # the services where a file is filed
    # Today: 60 % of files incomplete at each visit make 1 / (1 - 0.6) = 2.5 visits per file,
    # 3.5 per title with the pick-up: the ministry's « 3 to 4 visits per title » (JO Sénat
    # 12/12/2019), every visit beyond the pick-up put down to an incomplete file.
    incomplete_share: float = 0.6
    # Documents checked before the visit (issue 13): an assumption, not a measure. 70 % send
    # their documents beforehand (85 % are on the web, some bring everything on the day) and
    # 10 % of those are still incomplete at the visit (originals, a document out of date, a
    # request not acted on); the other 30 % face today's 60 %: 0.7 × 0.1 + 0.3 × 0.6 = 0.25.
    precheck_incomplete_share: float = 0.25
    prechecks: bool = False  # True: files meet `precheck_incomplete_share` at the visit
    gather_days: int = 14  # time to gather a missing document before asking again (assumed)
    max_returns: int = 9  # nobody comes back more often than this

    def __post_init__(self) -> None:
        for share in (self.incomplete_share, self.precheck_incomplete_share):
            if not 0 <= share < 1:
                raise ValueError(
                    f"documents: a share of incomplete files is in [0, 1), not {share}"
                )

    @property
    def share(self) -> float:
        """The share of files incomplete at a visit under this run's rules."""
        return self.precheck_incomplete_share if self.prechecks else self.incomplete_share

    @staticmethod
    def visits_per_file(share: float, max_returns: int) -> float:
        """Expected visits of a file seen until complete: 1 + share + share² + … (capped)."""
        return sum(share**returns for returns in range(max_returns + 1))

    @property
    def capacity_factor(self) -> float:
        """The file services' capacity, over that of the same load without return visits."""
        return self.visits_per_file(self.incomplete_share, self.max_returns)


@dataclass(frozen=True)
class Service:
    kind: str
    per_year: float
    capacity_per_week: float
    target_wait_days: int = 60  # deadline of requests without a legal one
    seasonality: tuple[float, ...] = FLAT  # monthly demand multipliers (expiry month: renewals)


@dataclass(frozen=True)
class Prefecture:
    name: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class Scenario:
    name: str
    prefectures: tuple[Prefecture, ...]
    weeks: int = 52
    warmup_weeks: int = 8
    behaviour: Behaviour = field(default_factory=Behaviour)
    legacy: Legacy = field(default_factory=Legacy)
    batch: Batch = field(default_factory=Batch)
    abuse: Abuse = field(default_factory=Abuse)
    documents: Documents = field(default_factory=Documents)
    description: str = ""


# A TOML table as `tomllib` reads it: its values' types are the file's.
Table = dict[str, Any]
_Section = TypeVar("_Section", bound="DataclassInstance")


def _section(kind: type[_Section], values: Table) -> _Section:
    known = {item.name for item in fields(kind)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown {kind.__name__.lower()} settings: {sorted(unknown)}")
    return kind(**values)


def _abuse(values: Table) -> Abuse:
    if "services" in values:
        values = {**values, "services": tuple(values["services"])}
    return _section(Abuse, values)


def _documents(values: Table) -> Documents:
    if "services" in values:
        values = {**values, "services": tuple(values["services"])}
    return _section(Documents, values)


def zipf_shares(count: int, top: int, top_share: float) -> list[float]:
    """Préfecture sizes falling like 1/rank^a, with `a` chosen so the `top` largest hold
    `top_share` of the volume (12 préfectures deliver nearly half of all titles)."""
    low, high = 0.0, 5.0
    for _ in range(60):
        exponent = (low + high) / 2
        weights = [1 / rank**exponent for rank in range(1, count + 1)]
        share = sum(weights[:top]) / sum(weights)
        low, high = (exponent, high) if share < top_share else (low, exponent)
    total = sum(weights)
    return [weight / total for weight in weights]


def _prefecture(spec: Table, defaults: Table) -> Prefecture:
    """Demand from titles a year (first permits / renewals), pick-ups and naturalisations;
    capacity from each service's load (demand over capacity)."""
    spec = {**defaults, **spec}
    titles = spec["titles_per_year"]
    first_share = spec.get("first_share", 0.28)
    demand = {
        "first_permit": titles * first_share,
        "renewal": titles * (1 - first_share),
        "naturalisation": spec.get("naturalisation_per_year", titles * 0.05),
        "pickup": titles * spec.get("pickups_per_title", 1.0),
    }
    loads = spec.get("load", {})
    targets = spec.get("target_wait_days", {})
    seasonality = spec.get("seasonality", {})
    services = []
    for kind in spec.get("services", SERVICES):
        load = loads.get(kind, 1.0) if isinstance(loads, dict) else loads
        services.append(
            Service(
                kind=kind,
                per_year=demand[kind],
                capacity_per_week=demand[kind] / 52 / load,
                target_wait_days=targets.get(kind, 60),
                seasonality=tuple(seasonality.get(kind, FLAT)),
            )
        )
    return Prefecture(name=spec["name"], services=tuple(services))


def _national(spec: Table, defaults: Table) -> list[Prefecture]:
    """`count` préfectures of skewed sizes; the largest are the most overloaded."""
    shares = zipf_shares(spec["count"], spec.get("top", 12), spec.get("top_share", 0.5))
    low, high = spec.get("load_range", [1.0, 1.0])
    prefectures = []
    for rank, share in enumerate(shares):
        load = high - (high - low) * rank / max(1, len(shares) - 1)
        prefectures.append(
            _prefecture(
                {
                    "name": f"P{rank + 1:03d}",
                    "titles_per_year": spec["titles_per_year"] * share,
                    "load": {kind: load for kind in SERVICES},
                },
                defaults,
            )
        )
    return prefectures


def load_scenario(name_or_path: str) -> Scenario:
    """A scenario by name (a file under `scenarios/`) or by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SCENARIOS / f"{name_or_path}.toml"
    data = tomllib.loads(path.read_text())
    defaults = data.get("defaults", {})
    prefectures = [_prefecture(spec, defaults) for spec in data.get("prefecture", [])]
    if "national" in data:
        prefectures += _national(data["national"], defaults)
    return Scenario(
        name=data.get("name", path.stem),
        description=data.get("description", ""),
        prefectures=tuple(prefectures),
        weeks=data.get("weeks", 52),
        warmup_weeks=data.get("warmup_weeks", 8),
        behaviour=_section(Behaviour, data.get("behaviour", {})),
        legacy=_section(Legacy, data.get("legacy", {})),
        batch=_section(Batch, data.get("batch", {})),
        abuse=_abuse(data.get("abuse", {})),
        documents=_documents(data.get("documents", {})),
    )
