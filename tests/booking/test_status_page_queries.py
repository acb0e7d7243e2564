"""The status page is opened all day by everyone in line: its queries are few and do not grow
with the queue or the request's history (each one is a round trip to the database, and under
load the round trips, not the page, set how many people the server can answer)."""

import datetime

import pytest

from guichet.booking import history
from guichet.booking.offers import offer_unit
from tests import factories
from tests.applicant_space import dated, register, url
from tests.factories import NOW

pytestmark = pytest.mark.django_db

EARLIER = NOW + datetime.timedelta(days=7)


@pytest.fixture(autouse=True)
def site_configuration_read(clock, client):
    client.get("/")  # the first page of a process reads the site's configuration


def seen_before(client, request):
    """As in a server's process that has shown this motif's pages before: it keeps the motif,
    its préfecture, sites and asked documents a minute (guichet.catalogue.cache)."""
    client.get(url("status", request))
    return request


def with_others_in_line(request, count=15):
    """People in the same queue, and a long history for the request itself."""
    site = request.sites.get()
    for n in range(count):
        factories.register_at_counter(request.service, site, n + 100)
    for _ in range(count):
        history.record(request, history.PreferencesChanged(accepts_offers=True, language="fr"))
    return request


def test_a_dated_request_page_reads_the_request_its_sites_and_its_history(
    client, django_assert_num_queries
):
    request = seen_before(client, with_others_in_line(dated()))

    # Request with appointment and offer check, its sites, its history.
    with django_assert_num_queries(3):
        response = client.get(url("status", request))

    assert "Votre rendez-vous" in response.content.decode()


def test_a_pending_offer_costs_one_more_query(client, django_assert_num_queries):
    request = dated(start=NOW + datetime.timedelta(days=14))
    unit = factories.make_units(request.sites.get(), request.service, EARLIER, count=1)[0]
    assert offer_unit(unit).request == request  # nobody waits: the unit is offered to them
    seen_before(client, with_others_in_line(request))

    with django_assert_num_queries(4):
        response = client.get(url("status", request))

    assert "Une date plus proche vous est proposée" in response.content.decode()


def test_a_waiting_request_page_counts_its_rank_in_one_query(client, django_assert_num_queries):
    request = seen_before(client, with_others_in_line(register(channel="counter")))

    with django_assert_num_queries(4):  # request, sites, history, rank
        response = client.get(url("status", request))

    assert "Votre place aujourd'hui" in response.content.decode()


def test_the_first_page_of_a_motif_in_a_process_reads_its_catalogue_once(
    client, django_assert_num_queries
):
    request = with_others_in_line(dated())

    # The three above, and the motif with its préfecture and sites, and its asked documents.
    with django_assert_num_queries(5):
        client.get(url("status", request))
    with django_assert_num_queries(3):
        response = client.get(url("status", request))

    assert "Votre rendez-vous" in response.content.decode()
