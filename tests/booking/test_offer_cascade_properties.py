"""Random lives of a queue: dates only move earlier, one holder per unit, offers for free units."""

import datetime

import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from guichet.booking import offers
from guichet.booking.enums import OfferStatus, RequestStatus
from guichet.booking.models import Appointment, Offer, Request
from guichet.booking.services import cancel_request
from guichet.catalogue.models import Unit
from guichet.duework.jobs import run_due_work
from tests import factories
from tests.factories import NOW

operations = st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.integers(0, 3)),
        st.tuples(st.just("add_unit"), st.integers(0, 20 * 24)),
        st.tuples(st.just("cancel"), st.integers(0, 30)),
        st.tuples(st.just("accept"), st.integers(0, 30)),
        st.tuples(st.just("decline"), st.integers(0, 30)),
        st.tuples(st.just("wait"), st.integers(1, 30)),
        st.tuples(st.just("work"), st.just(0)),
    ),
    min_size=1,
    max_size=25,
)


def pick(queryset, index):
    items = list(queryset.order_by("pk"))
    return items[index % len(items)] if items else None


class OfferCascadeInvariants(TestCase):
    @settings(max_examples=60, deadline=None)
    @given(operations)
    def test_invariants_hold_after_every_step(self, steps):
        now = NOW
        with time_machine.travel(now, tick=False) as clock:
            prefecture = factories.make_prefecture()
            site = factories.make_site(prefecture)
            service = factories.make_service(prefecture)
            factories.make_units(site, service, NOW + datetime.timedelta(days=4), 4, minutes=180)
            # Start from a queue with dates given, so that cancellations have something to free.
            for person in range(1, 5):
                factories.register_at_counter(service, site, person)
            run_due_work(now)
            desks = 1
            dates: dict[int, datetime.datetime] = {}

            for action, value in steps:
                if action == "register":
                    person += 1
                    factories.register_at_counter(
                        service, site, person, family_name=f"P{person}-{value}"
                    )
                elif action == "add_unit":
                    # New capacity, possibly earlier than dates already given (an extra desk).
                    start = NOW + datetime.timedelta(days=3, hours=value)
                    desks += 1
                    Unit.objects.create(
                        site=site,
                        service=service,
                        starts_at=start,
                        ends_at=start + datetime.timedelta(minutes=20),
                        desk=desks,
                    )
                elif action == "cancel":
                    request = pick(
                        Request.objects.filter(
                            status__in=[RequestStatus.WAITING, RequestStatus.DATED]
                        ),
                        value,
                    )
                    if request:
                        cancel_request(request, now=now)
                        dates.pop(request.pk, None)
                elif action in ("accept", "decline"):
                    offer = pick(Offer.objects.filter(status=OfferStatus.PENDING), value)
                    if offer:
                        answer = offers.accept_offer if action == "accept" else offers.decline_offer
                        answer(offer, now=now)
                elif action == "wait":
                    now += datetime.timedelta(hours=value)
                    clock.move_to(now)
                else:
                    run_due_work(now)

                held = list(Appointment.objects.select_related("unit"))
                # No unit held twice.
                assert len({a.unit_id for a in held}) == len(held)
                # No appointment ever moves later.
                for appointment in held:
                    before = dates.get(appointment.request_id)
                    assert before is None or appointment.unit.starts_at <= before
                    dates[appointment.request_id] = appointment.unit.starts_at
                # No offer outstanding for a unit that is taken, and every offer is an improvement.
                for offer in Offer.objects.filter(status=OfferStatus.PENDING).select_related(
                    "unit", "request__appointment__unit"
                ):
                    assert not Appointment.objects.filter(unit=offer.unit).exists()
                    assert offer.request.appointment.unit.starts_at > offer.unit.starts_at
                    assert offer.request.accepts_offers
