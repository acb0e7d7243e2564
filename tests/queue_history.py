"""A known history of one préfecture's queue, built through the booking services at chosen
times, for the figures test and the retention test (figures must survive the purge).

N is the present. Days are counted from N; every unit starts at N's time of day, so every wait
is a whole number of days. First permits (no legal deadline, 60-day target) and récépissé
pick-ups (legal deadline: the document's expiry), one site:

  who  service  channel      registered  dated   appointment  outcome
  A6   first    counter      N-400       N-380   N-370        came      (outside both windows)
  A1   first    counter      N-100       N-90    N-60         came
  R2   pickup   association  N-60        N-28    N-2          came      expired N-8
  A2   first    counter      N-50        N-25    N-10         no-show
  A3   first    phone        N-40        N-20    N-5          came
  R1   pickup   counter      N-30        N-20    N-3          came      expires N+5
  A4   first    post         N-15        N-10    N+20         dated
  A5   first    counter      N-5         -       -            waiting   deadline N+55
  R3   pickup   counter      N-2         -       -            waiting   expired N-3
  Units nobody took: N-200 and N-7 (nobody waiting), N-4 (withdrawn by a closure).
"""

import dataclasses
import datetime

import time_machine

from guichet.booking.enums import Channel, LossReason
from guichet.booking.losses import record_lost_units
from guichet.booking.models import LostUnit, Request
from guichet.booking.services import allocate_service, record_attendance
from guichet.catalogue.enums import ServiceKind
from guichet.transparency.snapshots import take_due_snapshots
from tests import applicant_space, factories

N = factories.NOW


def day(offset: int) -> datetime.datetime:
    return N + datetime.timedelta(days=offset)


@dataclasses.dataclass
class History:
    prefecture: object
    site: object
    first: object
    pickup: object
    people: dict[str, Request]


def register(service, n, channel, at, **fields) -> Request:
    with time_machine.travel(at, tick=False):
        return applicant_space.register(service.prefecture, n, channel, service.kind, **fields)


def date_on(service, site, unit_day: int, at: datetime.datetime) -> None:
    """One allocation batch at `at` with one free unit, on `unit_day`."""
    factories.make_units(site, service, day(unit_day), 1)
    with time_machine.travel(at, tick=False):
        batch = allocate_service(service, seed=1, now=at)
    assert batch.dated == 1


def attend(request: Request, came: bool, unit_day: int) -> None:
    with time_machine.travel(day(unit_day), tick=False):
        record_attendance(request, attended=came, now=day(unit_day))


def build() -> History:
    prefecture = factories.make_prefecture()
    site = factories.make_site(prefecture)
    first = factories.make_service(prefecture)
    pickup = factories.make_service(prefecture, ServiceKind.RECEIPT_PICKUP)
    people = {}
    people["A6"] = register(first, 6, Channel.COUNTER, day(-400))
    date_on(first, site, -370, day(-380))
    attend(people["A6"], True, -370)
    people["A1"] = register(first, 1, Channel.COUNTER, day(-100))
    date_on(first, site, -60, day(-90))
    attend(people["A1"], True, -60)
    people["R2"] = register(
        pickup, 12, Channel.ASSOCIATION, day(-60), permit_expires_on=day(-8).date()
    )
    people["A2"] = register(first, 2, Channel.COUNTER, day(-50))
    people["A3"] = register(first, 3, Channel.PHONE, day(-40))
    people["R1"] = register(pickup, 11, Channel.COUNTER, day(-30), permit_expires_on=day(5).date())
    date_on(pickup, site, -2, day(-28))  # R2: the earlier deadline goes first
    date_on(first, site, -10, day(-25))  # A2
    date_on(first, site, -5, day(-20))  # A3
    date_on(pickup, site, -3, day(-20))  # R1
    people["A4"] = register(first, 4, Channel.POST, day(-15))
    date_on(first, site, 20, day(-10))  # A4
    people["A5"] = register(first, 5, Channel.COUNTER, day(-5))
    people["R3"] = register(pickup, 13, Channel.COUNTER, day(-2), permit_expires_on=day(-3).date())
    attend(people["A2"], False, -10)
    attend(people["A3"], True, -5)
    attend(people["R1"], True, -3)
    attend(people["R2"], True, -2)
    # Capacity nobody used: two units nobody could take, one withdrawn by a closure.
    nobody = factories.make_units(site, first, day(-200), 1) + factories.make_units(
        site, first, day(-7), 1
    )
    closed = factories.make_units(site, first, day(-4), 1)[0]
    LostUnit.objects.create(unit=closed, recorded_at=day(-30), reason=LossReason.CLOSED)
    assert record_lost_units(N) == len(nobody)
    for request in people.values():
        request.refresh_from_db()
    return History(prefecture, site, first, pickup, people)


def build_published(settings) -> History:
    """The history with today's snapshots taken, small counts being those below 2."""
    settings.GUICHET_OPEN_DATA_MIN_COUNT = 2
    history = build()
    take_due_snapshots(N)
    return history
