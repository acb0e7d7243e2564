"""Capacity planning: a change's preview tells what applying it then does, and writes nothing."""

import datetime
import statistics

import pytest
import time_machine

from guichet.backoffice import planning
from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import LossReason, OfferStatus, RequestStatus
from guichet.booking.models import AllocationBatch, Appointment, Offer, Request
from guichet.booking.services import allocate_prefecture, free_units
from guichet.catalogue.capacity import open_capacity
from guichet.catalogue.models import Closure, OpeningRule, Unit
from guichet.notifications.models import Message
from tests import factories
from tests.factories import NOW

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, 11:00 in Paris.
SATURDAY = datetime.date(2026, 11, 28)
NEXT_MONDAY = datetime.date(2026, 11, 30)


def mondays_at_one_desk():
    """Mondays 9:00-9:40 at one desk: 2 units a week, 4 weeks ahead."""
    prefecture = factories.make_prefecture(horizon_weeks=4)
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture)
    factories.make_opening_rule(site, service, weekday=0, desks=1, opens="09:00", closes="09:40")
    open_capacity(prefecture)
    return prefecture, site, service


@pytest.fixture
def queue():
    """10 people for 8 Monday units: 8 are dated, 2 wait."""
    with time_machine.travel(NOW, tick=False):
        prefecture, site, service = mondays_at_one_desk()
        people = [factories.register_at_counter(service, site, n) for n in range(10)]
        allocate_prefecture(prefecture, seed=1)
        manager = factories.make_agent(prefecture, role="manager")
        yield prefecture, site, service, people, manager


def saturday_session(site, service):
    return OpeningRule(
        site=site,
        service=service,
        weekday=SATURDAY.weekday(),
        valid_from=SATURDAY,
        valid_until=SATURDAY,
        opens_at=datetime.time(9),
        closes_at=datetime.time(12),
        desks=2,
        slot_minutes=20,
    )


def counts():
    models = (Unit, Appointment, Offer, OpeningRule, Closure, AllocationBatch, Message)
    return {model.__name__: model.objects.count() for model in models}


def waits_in_days(requests):
    return [
        (
            appointment.unit.starts_at.astimezone(appointment.unit.site.prefecture.tz).date()
            - appointment.request.registered_at.date()
        ).days
        for appointment in Appointment.objects.filter(request__in=requests).select_related(
            "unit__site__prefecture", "request"
        )
    ]


def test_a_saturday_session_dates_the_waiting_and_offers_earlier_dates_as_previewed(queue):
    prefecture, site, service, people, manager = queue
    waiting = list(Request.objects.filter(status=RequestStatus.WAITING))
    dated = Request.objects.filter(status=RequestStatus.DATED).count()
    assert waiting and dated

    effect = planning.preview(prefecture, saturday_session(site, service))

    assert effect.units_added == 9 * 2
    assert effect.waiting == len(waiting)
    assert (effect.dated_before, effect.median_wait_before) == (0, None)
    assert effect.newly_dated == len(waiting)
    assert effect.offerable_before == 0
    assert effect.offerable_after == dated

    applied = planning.apply(prefecture, saturday_session(site, service), manager)

    assert applied.units_opened == effect.units_added
    assert applied.dated == effect.dated_after
    assert not Request.objects.filter(status=RequestStatus.WAITING).exists()
    assert effect.median_wait_after == statistics.median(waits_in_days(waiting))
    # Every person dated on a Monday is asked whether they want the Saturday instead.
    pending = Offer.objects.filter(status=OfferStatus.PENDING)
    assert applied.offers == pending.count() == effect.offerable_after
    assert {offer.unit.starts_at.date() for offer in pending} == {SATURDAY}
    assert Message.objects.filter(template="offer_made").count() >= applied.offers
    assert Message.objects.filter(template="appointment_given", request__in=waiting).count() >= len(
        waiting
    )
    entry = JournalEntry.objects.get(action="capacity_rule_added")
    assert (entry.user, entry.prefecture, entry.detail["dated"]) == (
        manager,
        prefecture,
        applied.dated,
    )


def test_a_preview_writes_nothing(queue):
    prefecture, site, service, _people, _manager = queue
    before = counts()

    planning.preview(prefecture, saturday_session(site, service))
    planning.preview(
        prefecture,
        Closure(site=site, starts_on=NEXT_MONDAY, ends_on=NEXT_MONDAY, reason="Grève"),
    )

    assert counts() == before


def test_a_closure_over_appointments_lists_them_and_is_refused_unless_they_are_kept(queue):
    prefecture, site, _service, _people, manager = queue
    closure = Closure(site=site, starts_on=NEXT_MONDAY, ends_on=NEXT_MONDAY, reason="Grève")
    on_that_day = set(
        Appointment.objects.filter(unit__starts_at__date=NEXT_MONDAY).values_list("pk", flat=True)
    )
    assert on_that_day

    effect = planning.preview(prefecture, closure)

    assert {appointment.pk for appointment in effect.appointments_on_closure} == on_that_day
    assert effect.blocked
    with pytest.raises(planning.AppointmentsOnClosure):
        planning.apply(prefecture, closure, manager)
    assert not Closure.objects.exists()

    planning.apply(prefecture, closure, manager, keep_appointments=True)

    assert Closure.objects.get().reason == "Grève"
    assert set(Appointment.objects.values_list("pk", flat=True)) >= on_that_day
    entry = JournalEntry.objects.get(action="capacity_closure_added")
    assert entry.detail["appointments_kept"] == len(on_that_day)


def test_a_closure_withdraws_free_units_and_nobody_is_dated_on_it_as_previewed():
    with time_machine.travel(NOW, tick=False):
        prefecture, site, service = mondays_at_one_desk()
        for n in range(3):
            factories.register_at_counter(service, site, n)
        manager = factories.make_agent(prefecture, role="manager")
        closure = Closure(site=None, starts_on=NEXT_MONDAY, ends_on=NEXT_MONDAY, reason="Pont")
        free_that_day = Unit.objects.filter(starts_at__date=NEXT_MONDAY).count()

        effect = planning.preview(prefecture, closure)
        applied = planning.apply(prefecture, closure, manager)

    assert effect.units_withdrawn == applied.units_withdrawn == free_that_day > 0
    assert not effect.blocked
    assert effect.median_wait_after > effect.median_wait_before
    assert applied.dated == effect.dated_after
    # Withdrawn, not deleted: each unit of the day is recorded as lost to the closure, so it can
    # be neither given nor offered, and its history stays.
    that_day = Unit.objects.filter(starts_at__date=NEXT_MONDAY)
    assert that_day.count() == free_that_day
    assert set(that_day.values_list("loss__reason", flat=True)) == {LossReason.CLOSED}
    assert not free_units(service).filter(starts_at__date=NEXT_MONDAY).exists()
    assert not Appointment.objects.filter(unit__starts_at__date=NEXT_MONDAY).exists()


def test_a_change_of_another_prefecture_is_refused(queue):
    prefecture, _site, service, _people, manager = queue
    other = factories.make_prefecture("34", "Hérault")
    other_site = factories.make_site(other)

    with pytest.raises(ValueError):
        planning.preview(prefecture, saturday_session(other_site, service))
    with pytest.raises(ValueError):
        planning.apply(other, saturday_session(other_site, service), manager)


def test_a_preview_counts_free_units_left_beside_the_new_ones():
    """Units still free (nobody could take them yet) and the session's new ones are allocated
    together in the preview, as applying the session does."""
    with time_machine.travel(NOW, tick=False):
        prefecture, site, service = mondays_at_one_desk()
        people = [factories.register_at_counter(service, site, n) for n in range(3)]
        allocate_prefecture(prefecture, seed=1)
        assert free_units(service).exists()  # 8 Monday units for 3 people

        effect = planning.preview(prefecture, saturday_session(site, service))

    assert effect.units_added == 9 * 2
    assert (effect.waiting, effect.newly_dated) == (0, 0)
    # The three dated on Mondays could have a Saturday instead.
    assert effect.offerable_before == 0 and effect.offerable_after == len(people)
