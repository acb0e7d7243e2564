"""Batches run on each préfecture's schedule, through the background worker."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from guichet.booking.enums import RequestStatus
from guichet.booking.models import Request
from guichet.booking.services import register_request
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)


def scheduler_once():
    out = StringIO()
    call_command("scheduler", once=True, stdout=out)
    return out.getvalue()


def test_the_scheduler_enqueues_a_due_batch_and_the_worker_runs_it():
    with time_machine.travel(NOW, tick=False):
        prefecture = factories.make_prefecture(allocation_interval_minutes=60)
        site = factories.make_site(prefecture)
        service = factories.make_service(prefecture)
        factories.make_units(site, service, NOW + datetime.timedelta(days=5), 2)
        register_request(service=service, applicant=factories.applicant(1), sites=[site])

        assert "enqueued for 94" in scheduler_once()
        assert Request.objects.get().status == RequestStatus.WAITING
        call_command("db_worker", batch=True, no_startup_delay=True, interval=0)

        assert Request.objects.get().status == RequestStatus.DATED
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"
        # Just ran: not due again before its interval.
        assert scheduler_once() == ""

    with time_machine.travel(NOW + datetime.timedelta(minutes=61), tick=False):
        assert "enqueued for 94" in scheduler_once()
