"""An organisation member sees only requests under a live mandate of their organisation: not
another organisation's, not a revoked or ended one, nothing once accreditation lapses."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from guichet.append_only import AppendOnlyError
from guichet.associations.enums import ConsentRecord, MandateEventKind, MandateScope
from guichet.associations.models import Mandate, MandateEvent, Organisation
from tests import factories
from tests.associations.test_associations import log_in_member

ENDS_ON = datetime.date(2027, 1, 31)


# Fixtures log in and build at NOW too: a session opened on another day would have expired.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def mandate_for(organisation, request, member, **fields):
    values = {
        "person_name": request.family_name,
        "scope": MandateScope.FOLLOW_ONLY,
        "consent": ConsentRecord.IN_PERSON,
        "granted_at": timezone.now(),
        "granted_by": member,
        "ends_on": ENDS_ON,
    }
    values.update(fields)
    return Mandate.objects.create(organisation=organisation, request=request, **values)


@pytest.fixture
def world(client):
    """Our organisation follows one person; the other requests are out of its reach."""
    prefecture = factories.make_prefecture()
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture)
    ours = factories.make_organisation(prefecture)
    theirs = factories.make_organisation(prefecture, name="Secours populaire")
    member = factories.make_member(ours)
    other_member = factories.make_member(theirs)
    requests = {
        name: factories.register_at_counter(service, site, n)
        for n, name in enumerate(["live", "theirs", "revoked", "short", "none"])
    }
    mandate_for(ours, requests["live"], member)
    mandate_for(theirs, requests["theirs"], other_member)
    mandate_for(ours, requests["revoked"], member, revoked_at=timezone.now())
    mandate_for(ours, requests["short"], member, ends_on=datetime.date(2026, 11, 30))
    log_in_member(client, member)
    return ours, requests


def opens(client, request):
    """The status code of the request's page, which its PDF shares."""
    page = client.get(reverse("associations:person", args=[request.pk]))
    pdf = client.get(reverse("associations:receipt_pdf", args=[request.pk]))
    assert page.status_code == pdf.status_code
    return page.status_code


def test_only_requests_under_a_live_mandate_of_the_organisation(client, world):
    _ours, requests = world
    listing = client.get(reverse("associations:people")).content.decode()

    shown = {name for name, request in requests.items() if request.number in listing}
    assert shown == {"live", "short"}
    assert {name: opens(client, request) for name, request in requests.items()} == {
        "live": 200,
        "short": 200,
        "theirs": 404,
        "revoked": 404,
        "none": 404,
    }


def test_a_mandate_stops_showing_the_day_after_it_ends(client, world):
    ours, requests = world
    member = ours.members.get().user
    # A session lasts a working day at most: the member logs in again each day.
    with time_machine.travel(datetime.datetime(2026, 11, 30, 21, 0, tzinfo=datetime.UTC)):
        log_in_member(client, member)
        assert opens(client, requests["short"]) == 200
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)):
        log_in_member(client, member)
        listing = client.get(reverse("associations:people")).content.decode()
        assert requests["short"].number not in listing
        assert requests["live"].number in listing
        assert opens(client, requests["short"]) == 404


@pytest.mark.parametrize(
    "lapse", [{"accredited": False}, {"accredited_until": datetime.date(2026, 11, 22)}]
)
def test_nothing_is_shown_once_accreditation_lapses(client, world, lapse):
    ours, requests = world
    Organisation.objects.filter(pk=ours.pk).update(**lapse)

    listing = client.get(reverse("associations:people")).content.decode()

    assert not any(request.number in listing for request in requests.values())
    assert opens(client, requests["live"]) == 404


def test_a_member_revokes_a_mandate_of_their_organisation_only(client, world):
    _ours, requests = world
    live = Mandate.objects.get(request=requests["live"])
    theirs = Mandate.objects.get(request=requests["theirs"])

    assert client.get(reverse("associations:revoke", args=[live.pk])).status_code == 405
    assert client.post(reverse("associations:revoke", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("associations:revoke", args=[live.pk]))

    assert response.url == reverse("associations:people")
    live.refresh_from_db()
    theirs.refresh_from_db()
    assert live.revoked_at == timezone.now() and theirs.revoked_at is None
    assert opens(client, requests["live"]) == 404
    event = MandateEvent.objects.get(mandate=live)
    assert event.kind == MandateEventKind.REVOKED
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert MandateEvent.objects.filter(pk=event.pk).exists()
