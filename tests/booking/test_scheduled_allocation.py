"""Time-driven work runs through the background worker, on each préfecture's schedule."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from guichet.booking.enums import RequestStatus
from guichet.booking.models import Request
from tests import factories
from tests.factories import NOW

pytestmark = pytest.mark.django_db(transaction=True)


def tick_and_work():
    out = StringIO()
    call_command("scheduler", once=True, stdout=out)
    assert "due work enqueued" in out.getvalue()
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0)


def test_batches_run_through_the_worker_at_the_prefecture_interval():
    with time_machine.travel(NOW, tick=False):
        prefecture = factories.make_prefecture(allocation_interval_minutes=60)
        site = factories.make_site(prefecture)
        service = factories.make_service(prefecture)
        factories.make_units(site, service, NOW + datetime.timedelta(days=5), 2)
        first = factories.register_at_counter(service, site, 1)

        tick_and_work()
        assert Request.objects.get(pk=first.pk).status == RequestStatus.DATED
        assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}

    with time_machine.travel(NOW + datetime.timedelta(minutes=30), tick=False):
        second = factories.register_at_counter(service, site, 2)
        tick_and_work()
        # Not due yet: a batch runs at most every 60 minutes for this préfecture.
        assert Request.objects.get(pk=second.pk).status == RequestStatus.WAITING

    with time_machine.travel(NOW + datetime.timedelta(minutes=61), tick=False):
        tick_and_work()
        assert Request.objects.get(pk=second.pk).status == RequestStatus.DATED
