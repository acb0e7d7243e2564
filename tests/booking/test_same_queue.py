"""A request registered at the counter and one registered on the web wait in one queue: with equal
deadlines, only the allocation's lottery decides which is dated first."""

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from guichet.booking.enums import Channel, RequestStatus
from guichet.booking.models import Request
from guichet.booking.services import (
    allocate_service,
    confirm_contact,
    register_request,
    waiting_rank,
)
from tests import factories
from tests.factories import FIRST_UNIT, NOW

pytestmark = pytest.mark.django_db


def register_on_the_web(service, site, n):
    """The public way: registered unverified, then the person types the code they received."""
    request, _created = register_request(
        service=service, applicant=factories.applicant(n), sites=[site], channel=Channel.WEB
    )
    assert confirm_contact(request, request.verification_code)
    request.refresh_from_db()
    return request


def test_counter_and_web_requests_of_equal_deadline_compete_only_by_lot(world):
    _prefecture, site, service = world
    counter_wins = 0
    seeds = range(200)
    with time_machine.travel(NOW, tick=False):
        for seed in seeds:
            with transaction.atomic():
                factories.make_units(site, service, FIRST_UNIT, 2)
                web = register_on_the_web(service, site, 1)
                counter = factories.register_at_counter(service, site, 2)
                assert web.deadline == counter.deadline
                assert web.registered_at <= counter.registered_at
                allocate_service(service, seed=seed)
                counter_wins += factories.date_of(counter) < factories.date_of(web)
                transaction.set_rollback(True)
    assert 0.40 < counter_wins / len(seeds) < 0.60


@time_machine.travel(NOW, tick=False)
def test_an_agents_registration_and_a_web_one_share_one_rank(client, world):
    prefecture, site, service = world
    web = register_on_the_web(service, site, 1)
    factories.log_in_agent(client, factories.make_agent(prefecture))
    client.post(
        f"{reverse('backoffice:registration')}?motif={service.pk}",
        {
            "channel": Channel.COUNTER,
            "family_name": "Ndiaye",
            "given_names": "Awa",
            "birth_date": "14/07/1990",
            "nationality": "sénégalaise",
            "passport_number": "12AB34567",
            "sites": [str(site.pk)],
        },
    )
    counter = Request.objects.get(channel=Channel.COUNTER)

    assert counter.status == web.status == RequestStatus.WAITING
    assert waiting_rank(counter) == waiting_rank(web) == (0, 1)
