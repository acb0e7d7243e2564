"""The day's agenda is reloaded all day at every counter: its queries are few and do not grow
with the day's appointments (a query per row would make the busiest days the slowest)."""

import datetime
import zoneinfo

import pytest
from django.contrib import auth
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from guichet.backoffice.counter import sites_of
from guichet.booking.services import allocate_service
from tests import factories
from tests.factories import NOW

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DAY = NOW.date() + datetime.timedelta(days=14)


@pytest.mark.parametrize("count", [5, 50])
def test_the_agenda_reads_the_same_few_tables_for_5_or_50_appointments(
    client, clock, count, django_assert_num_queries
):
    prefecture = factories.make_prefecture()
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture)
    first = datetime.datetime.combine(DAY, datetime.time(6), tzinfo=PARIS)
    factories.make_units(site, service, first, count, minutes=15)
    for n in range(count):
        factories.register_at_counter(service, site, n)
    allocate_service(service, seed=1, now=NOW)
    factories.log_in_agent(client, factories.make_agent(prefecture))
    query = {"site": site.pk, "day": DAY.isoformat()}
    client.get("/agent/", query)  # the first view remembers the site in the session

    # Session, user with their agent profile (backends.AgentBackend), sites, the day's
    # appointments, their dossiers' summaries.
    with django_assert_num_queries(5):
        response = client.get("/agent/", query)

    assert response.content.decode().count('<td translate="no">') == count


def test_an_agents_sites_are_read_alone_their_prefecture_came_with_the_agent(client):
    prefecture = factories.make_prefecture()
    first, second = factories.make_site(prefecture), factories.make_site(prefecture, "Annexe")
    factories.make_site(factories.make_prefecture("75", "Paris"))  # another préfecture's
    factories.log_in_agent(client, factories.make_agent(prefecture))
    request = RequestFactory().get("/agent/")
    request.session = client.session
    user = auth.get_user(request)  # as every request reads it, with the agent

    with CaptureQueriesContext(connection) as queries:
        sites = list(sites_of(user))
        names = [(site.name, site.prefecture.name) for site in sites]

    assert [site.pk for site in sites] == [first.pk, second.pk]
    assert names == [(first.name, prefecture.name), ("Annexe", prefecture.name)]
    (query,) = queries.captured_queries
    assert "catalogue_prefecture" not in query["sql"]
