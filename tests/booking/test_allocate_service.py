"""Allocation batches in the database: dated in priority order, replayable, never moved later."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from guichet.booking.enums import Channel, EventKind, RequestStatus
from guichet.booking.models import AllocationBatch, Appointment, Request
from guichet.booking.services import (
    allocate_prefecture,
    allocate_service,
    on_time_until,
    register_request,
    waiting_rank,
)
from guichet.catalogue.enums import ServiceKind
from guichet.catalogue.models import Unit
from tests import factories
from tests.factories import FIRST_UNIT, NOW

pytestmark = pytest.mark.django_db


@time_machine.travel(NOW, tick=False)
def test_waiting_requests_are_dated_on_free_units(world):
    prefecture, site, service = world
    factories.make_units(site, service, FIRST_UNIT, 3)
    requests = [factories.register_at_counter(service, site, n) for n in range(5)]

    batch = allocate_service(service, seed=1)

    assert (batch.waiting, batch.free_units, batch.dated) == (5, 3, 3)
    dated = Request.objects.filter(status=RequestStatus.DATED)
    assert dated.count() == 3
    assert Appointment.objects.values("unit").distinct().count() == 3
    assert Request.objects.filter(status=RequestStatus.WAITING).count() == 2
    for request in dated:
        assert request.events.filter(kind=EventKind.DATED).count() == 1
    assert all(r.deadline == requests[0].deadline for r in requests)


@time_machine.travel(NOW, tick=False)
def test_earlier_deadline_is_dated_first_whatever_the_registration_order(world):
    prefecture, site, _ = world
    renewal = factories.make_service(prefecture, ServiceKind.RENEWAL)
    factories.make_units(site, renewal, FIRST_UNIT, 2)
    later = factories.register_at_counter(
        renewal, site, 1, permit_number="1111111111", permit_expires_on=datetime.date(2027, 3, 1)
    )
    sooner = factories.register_at_counter(
        renewal, site, 2, permit_number="2222222222", permit_expires_on=datetime.date(2027, 2, 1)
    )
    allocate_service(renewal, seed=3)
    assert factories.date_of(sooner) < factories.date_of(later)


@time_machine.travel(NOW, tick=False)
def test_units_before_the_lead_time_are_not_given(world):
    prefecture, site, service = world
    too_soon = NOW + datetime.timedelta(days=1)
    factories.make_units(site, service, too_soon, 1)
    request = factories.register_at_counter(service, site, 1)
    allocate_service(service, seed=1)
    assert factories.date_of(request) is None
    assert waiting_rank(request) == (0, 0)


@time_machine.travel(NOW, tick=False)
def test_a_request_is_dated_only_at_a_site_it_accepts(world):
    prefecture, site, service = world
    other_site = factories.make_site(prefecture, "Sous-préfecture de Nogent")
    factories.make_units(other_site, service, FIRST_UNIT, 1)
    request = factories.register_at_counter(service, site, 1)
    allocate_service(service, seed=1)
    assert factories.date_of(request) is None


@time_machine.travel(NOW, tick=False)
def test_a_request_without_capacity_keeps_its_rank_and_is_dated_once_capacity_is_added(world):
    prefecture, site, service = world
    first = factories.register_at_counter(service, site, 1)
    second = factories.register_at_counter(service, site, 2)
    allocate_prefecture(prefecture, seed=1)
    assert Request.objects.filter(status=RequestStatus.WAITING).count() == 2
    assert waiting_rank(first) == (0, 1)

    factories.make_units(site, service, FIRST_UNIT, 2)
    call_command("allocate", prefecture="94", seed=2)
    assert factories.date_of(first) is not None and factories.date_of(second) is not None


def test_registration_order_does_not_decide_among_equal_deadlines(world):
    """Two requests of equal deadline in one batch: over many seeds, each wins about half."""
    prefecture, site, service = world
    first_wins = 0
    seeds = range(200)
    with time_machine.travel(NOW, tick=False):
        for seed in seeds:
            with transaction.atomic():
                factories.make_units(site, service, FIRST_UNIT, 2)
                first = factories.register_at_counter(service, site, 1)
                second = factories.register_at_counter(service, site, 2)
                assert first.registered_at <= second.registered_at
                allocate_service(service, seed=seed)
                first_wins += factories.date_of(first) < factories.date_of(second)
                transaction.set_rollback(True)
    assert 0.40 < first_wins / len(seeds) < 0.60


@time_machine.travel(NOW, tick=False)
def test_a_batch_is_recorded_and_replays_to_the_same_dates(world):
    prefecture, site, service = world
    factories.make_units(site, service, FIRST_UNIT, 4)
    requests = [factories.register_at_counter(service, site, n) for n in range(8)]

    def run():
        with transaction.atomic():
            batch = allocate_service(service)
            dated = {r.number: factories.date_of(r) for r in requests}
            transaction.set_rollback(True)
        return batch, dated

    batch, dated = run()
    with transaction.atomic():
        allocate_service(service, seed=batch.seed)
        assert {r.number: factories.date_of(r) for r in requests} == dated
        assert AllocationBatch.objects.get().seed == batch.seed


class NoDateMovesLater(HypothesisTestCase):
    """Whatever happens between batches (new people, new capacity), a given date never moves."""

    @settings(max_examples=25, deadline=None)
    @given(
        rounds=st.lists(
            st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 2**31)),
            min_size=1,
            max_size=5,
        )
    )
    def test_dates_never_move_later(self, rounds):
        with time_machine.travel(NOW, tick=False):
            prefecture = factories.make_prefecture()
            site = factories.make_site(prefecture)
            service = factories.make_service(prefecture)
            seen: dict[int, datetime.datetime] = {}
            person = 0
            for round_index, (new_people, new_units, seed) in enumerate(rounds):
                for _ in range(new_people):
                    person += 1
                    factories.register_at_counter(service, site, person)
                # New capacity may open earlier than dates already given (a new desk).
                start = FIRST_UNIT + datetime.timedelta(
                    days=7 - 2 * round_index, minutes=7 * round_index
                )
                factories.make_units(site, service, start, new_units)
                allocate_service(service, seed=seed)
                for appointment in Appointment.objects.select_related("unit"):
                    before = seen.setdefault(appointment.request_id, appointment.unit.starts_at)
                    assert appointment.unit.starts_at == before
                # Every waiting request had no feasible free unit left.
                free = Unit.objects.filter(appointment__isnull=True).count()
                waiting = Request.objects.filter(status=RequestStatus.WAITING).count()
                assert free == 0 or waiting == 0


@time_machine.travel(NOW, tick=False)
def test_a_renewal_accepting_two_sites_makes_room_for_one_accepting_only_the_first(world):
    """Both permits expire before the second site's next unit could serve the one who accepts
    only the first site: the more urgent, who accepts both, goes to the second site, on time."""
    prefecture, first_site, _ = world
    second_site = factories.make_site(prefecture, name="Sous-préfecture")
    renewal = factories.make_service(prefecture, ServiceKind.RENEWAL)
    factories.make_units(first_site, renewal, FIRST_UNIT, 1)
    factories.make_units(second_site, renewal, FIRST_UNIT + datetime.timedelta(days=1), 1)
    either = register_request(
        service=renewal,
        applicant=factories.applicant(
            1, permit_number="1111111111", permit_expires_on=datetime.date(2026, 12, 8)
        ),
        sites=[first_site, second_site],
        channel=Channel.COUNTER,
    )[0]
    first_only = factories.register_at_counter(
        renewal,
        first_site,
        2,
        permit_number="2222222222",
        permit_expires_on=datetime.date(2026, 12, 9),
    )

    allocate_service(renewal, seed=5)

    assert Appointment.objects.get(request=either).unit.site == second_site
    assert Appointment.objects.get(request=first_only).unit.site == first_site


def test_a_deadline_lasts_until_the_end_of_its_day_in_the_prefecture():
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    until = on_time_until(datetime.date(2026, 12, 8), paris)
    assert until >= datetime.datetime(2026, 12, 8, 22, 30, tzinfo=datetime.UTC)  # 23:30 there
    assert until < datetime.datetime(2026, 12, 8, 23, 10, tzinfo=datetime.UTC)  # 00:10 next day
