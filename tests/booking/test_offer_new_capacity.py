"""New capacity earlier than dates already given is offered, first to the highest priority."""

import datetime

import pytest
import time_machine

from guichet.booking.enums import OfferStatus
from guichet.booking.models import Offer
from guichet.catalogue.enums import ServiceKind
from guichet.duework.jobs import run_due_work
from tests import factories
from tests.factories import NOW

pytestmark = pytest.mark.django_db

LATER = datetime.datetime(2026, 12, 21, 8, 0, tzinfo=datetime.UTC)


def test_an_extra_session_is_offered_to_those_with_later_dates_in_priority_order():
    with time_machine.travel(NOW, tick=False):
        prefecture = factories.make_prefecture()
        site = factories.make_site(prefecture)
        annex = factories.make_site(prefecture, "Annexe universitaire")
        renewal = factories.make_service(prefecture, ServiceKind.RENEWAL)
        factories.make_units(site, renewal, LATER, 3)
        people = [
            factories.register_at_counter(
                renewal,
                site,
                n,
                permit_number=f"{n}" * 10,
                permit_expires_on=datetime.date(2027, 3, 1) + datetime.timedelta(days=n),
            )
            for n in (1, 2, 3)
        ]
        run_due_work(NOW)

    # A Saturday session opens two units, earlier than everyone's date; one at a site nobody chose.
    saturday = datetime.datetime(2026, 12, 5, 8, 0, tzinfo=datetime.UTC)
    extra = factories.make_units(site, renewal, saturday, 1)
    factories.make_units(annex, renewal, saturday, 1)
    t1 = NOW + datetime.timedelta(hours=1)
    with time_machine.travel(t1, tick=False):
        run_due_work(t1)

    offer = Offer.objects.get(status=OfferStatus.PENDING)
    assert (offer.request, offer.unit) == (people[0], extra[0])  # the earliest deadline
    assert offer.expires_at == t1 + datetime.timedelta(hours=24)
    assert offer.request.messages.filter(template="offer_made").count() == 1
