"""Each process keeps the catalogue rows the intake reads for a minute (guichet.catalogue.cache):
registering costs one query less, and a change made by hand still counts as people expect."""

import datetime

import pytest

from guichet.booking.validation import IntakeInvalid, validate_intake
from guichet.catalogue import cache
from guichet.catalogue.enums import ServiceKind, SiteKind
from guichet.catalogue.models import Service, Site
from tests.factories import make_one_site_service, renewal_intake

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def renewal():
    return make_one_site_service(ServiceKind.RENEWAL)


def request_data(service, **fields):
    return renewal_intake(service, **{"email": "aminata@example.org", "phone": "", **fields})


@pytest.fixture
def minutes_later(monkeypatch):
    """Move the processes' clock on, as the kept rows see it."""
    start = cache.time.monotonic()

    def move(minutes):
        monkeypatch.setattr(cache.time, "monotonic", lambda: start + minutes * 60)

    return move


def test_a_second_registration_of_the_motif_reads_no_catalogue_row(
    renewal, django_assert_num_queries
):
    data = request_data(renewal)
    validate_intake(data, today=TODAY)

    with django_assert_num_queries(0):
        intake = validate_intake(data, today=TODAY)

    assert intake.service == renewal
    assert intake.service.prefecture == renewal.prefecture
    assert intake.sites == list(renewal.prefecture.sites.all())


def test_each_registration_gets_its_own_instances(renewal):
    first = validate_intake(request_data(renewal), today=TODAY)
    first.service.name = "changed by the first request"
    first.service.prefecture.name = "changed too"

    second = validate_intake(request_data(renewal), today=TODAY)

    assert second.service.name == "Renouvellement"
    assert second.service.prefecture.name == renewal.prefecture.name


def test_a_motif_closed_in_this_process_is_refused_at_once(renewal):
    validate_intake(request_data(renewal), today=TODAY)
    renewal.active = False
    renewal.save()

    with pytest.raises(IntakeInvalid) as caught:
        validate_intake(request_data(renewal), today=TODAY)

    assert caught.value.unknown


def test_a_motif_closed_by_another_process_is_refused_a_minute_later(renewal, minutes_later):
    validate_intake(request_data(renewal), today=TODAY)
    Service.objects.filter(pk=renewal.pk).update(active=False)  # no signal: as elsewhere

    minutes_later(0.5)
    validate_intake(request_data(renewal), today=TODAY)  # kept: still accepted
    minutes_later(1.01)
    with pytest.raises(IntakeInvalid) as caught:
        validate_intake(request_data(renewal), today=TODAY)

    assert caught.value.unknown


def test_a_site_opened_by_another_process_is_accepted_at_once(renewal):
    validate_intake(request_data(renewal), today=TODAY)
    # bulk_create sends no signal: this process does not know of the new site.
    (nogent,) = Site.objects.bulk_create(
        [Site(prefecture=renewal.prefecture, name="Nogent-sur-Marne", kind=SiteKind.ANNEX)]
    )

    intake = validate_intake(request_data(renewal, sites=[nogent.pk]), today=TODAY)

    assert intake.sites == [nogent]


def test_a_wrong_answer_is_still_refused_with_its_message(renewal):
    validate_intake(request_data(renewal), today=TODAY)

    with pytest.raises(IntakeInvalid) as caught:
        validate_intake(request_data(renewal, family_name=""), today=TODAY)

    assert set(caught.value.errors) == {"family_name"}
