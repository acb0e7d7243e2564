"""Jobs racing to tell the same event: one message per channel, and no job fails for it."""

import pytest
from django.db import transaction

from guichet.notifications import services as notifications
from guichet.notifications.models import Message
from tests import factories
from tests.booking.test_concurrency_postgres import race
from tests.postgres import ONLY_ON_POSTGRES

pytestmark = [*ONLY_ON_POSTGRES, pytest.mark.django_db(transaction=True)]


def test_ten_jobs_telling_one_event_at_once_queue_it_once():
    """Without the lookup (`fresh`), each job's insert meets the others' rows, committed or not:
    one queues the messages, the others are told nothing was, in a transaction still usable."""
    prefecture = factories.make_prefecture()
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture)
    person = factories.register_at_counter(service, site, 1, phone="+33612345678")

    def tell():
        with transaction.atomic():
            queued = notifications.notify(person, "access_link", event_key="link:race", fresh=True)
            return len(queued), Message.objects.filter(key__startswith="link:race:").count()

    results, errors = race(10, tell)

    assert errors == []
    assert sorted(queued for queued, _seen in results) == [0] * 9 + [2]
    assert {seen for _queued, seen in results} == {2}
    assert Message.objects.filter(key__startswith="link:race:").count() == 2
