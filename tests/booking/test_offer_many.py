"""Many freed units decided in one pass (`make_offers`) go where `offer_unit`, unit after unit,
would send them: the same person for each unit, a date or an offer, nobody twice."""

import datetime
import random
from unittest import mock

import pytest
import time_machine
from django.db import transaction

from guichet.booking import offers
from guichet.booking.enums import Channel, OfferStatus, RequestStatus
from guichet.booking.models import Appointment, Offer, Request
from guichet.booking.services import (
    Applicant,
    allocate_prefecture,
    cancel_request,
    free_units,
    register_request,
)
from guichet.catalogue.enums import ServiceKind
from tests import factories
from tests.factories import NOW

pytestmark = pytest.mark.django_db

FIRST = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)


def decisions(now) -> dict:
    """unit -> (request, "date" or "offer") for what was decided at `now`."""
    dated = Appointment.objects.filter(assigned_at=now).values_list("unit_id", "request_id")
    offered = Offer.objects.filter(made_at=now, status=OfferStatus.PENDING).values_list(
        "unit_id", "request_id"
    )
    return {unit: (request, "date") for unit, request in dated} | {
        unit: (request, "offer") for unit, request in offered
    }


@pytest.mark.parametrize("instance", range(6))
def test_one_pass_decides_each_unit_as_one_offer_after_another(instance):
    rng = random.Random(instance)
    with time_machine.travel(NOW, tick=False):
        prefecture = factories.make_prefecture()
        sites = [factories.make_site(prefecture), factories.make_site(prefecture, "Annexe")]
        service = factories.make_service(prefecture, ServiceKind.RENEWAL)
        for site in sites:
            factories.make_units(site, service, FIRST, 8, minutes=30)
        for n in range(40):
            register_request(
                service=service,
                applicant=Applicant(
                    **{
                        **factories.applicant(n).__dict__,
                        "permit_number": f"{n:010d}",
                        # Few distinct deadlines: ties for the lottery to draw.
                        "permit_expires_on": datetime.date(2027, 3, 1)
                        + datetime.timedelta(days=rng.randrange(4)),
                    }
                ),
                sites=rng.sample(sites, rng.choice((1, 2))),
                channel=Channel.COUNTER,
            )
        allocate_prefecture(prefecture, seed=instance)
    # Some cancel (their units freed, not yet offered), some refuse earlier dates, and an
    # earlier session opens at one site.
    now = NOW + datetime.timedelta(hours=2)
    dated = list(Request.objects.filter(status=RequestStatus.DATED).order_by("id"))
    for request in rng.sample(dated, 5):
        cancel_request(request, reoffer=False, now=now)
    for request in rng.sample(dated, 4):
        Request.objects.filter(pk=request.pk).update(accepts_offers=False)
    factories.make_units(sites[0], service, FIRST - datetime.timedelta(days=2), 3, minutes=30)
    assert free_units(service).filter(starts_at__lt=FIRST + datetime.timedelta(days=1)).count() >= 8

    # The same lottery seed for every unit in both runs, so that ties are drawn alike.
    with mock.patch.object(offers.secrets, "randbits", return_value=12345):
        with transaction.atomic(), mock.patch.object(offers, "ONE_PASS_FROM", 10**6):
            made_one_by_one = offers.make_offers(now, prefecture=prefecture)
            expected = decisions(now)
            transaction.set_rollback(True)
        with mock.patch.object(offers, "ONE_PASS_FROM", 1):
            made = offers.make_offers(now, prefecture=prefecture)

    assert expected and made == made_one_by_one == len(expected)
    assert decisions(now) == expected
    people = [request for request, _kind in expected.values()]
    assert len(people) == len(set(people))
