"""A registration is stored whole, in one transaction: the request, its sites, its history and
the message with its confirmation code, or nothing. Before, the message was queued after the
request was committed: a failure between the two left a request whose person never got a code
(and cost a second commit on every intake)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.booking import services
from guichet.booking.enums import Channel
from guichet.booking.models import Request, RequestEvent
from guichet.notifications.models import Message
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # commits as in production


class Broken(Exception):
    pass


def test_a_request_and_its_confirmation_code_are_stored_together(world):
    _, site, service = world
    request, created = services.register_request(
        service=service, applicant=factories.applicant(1), sites=[site], channel=Channel.API
    )
    assert created
    assert list(request.sites.all()) == [site]
    [message] = Message.objects.filter(request=request)
    assert message.template == "verify_contact"
    assert request.verification_code in message.body


@pytest.mark.parametrize("channel", [Channel.API, Channel.COUNTER])
def test_nothing_is_stored_when_the_first_message_cannot_be_queued(world, monkeypatch, channel):
    _, site, service = world

    def broken(*args, **kwargs):
        raise Broken

    monkeypatch.setattr(services, "notify", broken)
    with pytest.raises(Broken):
        services.register_request(
            service=service, applicant=factories.applicant(1), sites=[site], channel=channel
        )
    assert Request.objects.count() == 0
    assert RequestEvent.objects.count() == 0
    assert Message.objects.count() == 0


def test_the_first_code_is_sent_without_counting_earlier_ones(world):
    """A new request has sent no code yet: nothing to count before sending the first."""
    _, site, service = world
    applicant = factories.applicant(1)
    with CaptureQueriesContext(connection) as registering:
        request, _ = services.register_request(service=service, applicant=applicant, sites=[site])
    assert not any("COUNT(" in query["sql"] for query in registering.captured_queries)
    # Later codes are numbered by the ones already sent: one message per sending.
    services.send_verification(request)
    assert Message.objects.filter(request=request).count() == 2
