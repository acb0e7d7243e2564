"""Behind a reverse proxy each person has their own intake limit, read from the forwarded
address only when the proxy is trusted; an IPv6 client is limited per /64."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from guichet.booking.models import Request
from guichet.protection.guard import client_ip
from tests import factories
from tests.marks import counting_at

NOW = datetime.datetime(2026, 3, 2, 10, 10, 5, tzinfo=datetime.UTC)
PROXY = "10.0.0.5"

pytestmark = counting_at(NOW)


@pytest.fixture(autouse=True)
def limits_on(settings):
    settings.GUICHET_RATE_LIMITS_ENABLED = True
    settings.GUICHET_TRUSTED_PROXIES = [PROXY]


@pytest.fixture
def intake(client, world):
    """Send one intake through the API as `n`-th person, with the given connection headers."""
    _, site, service = world

    def send(n, **headers):
        data = factories.intake_data(service, site, n)
        response = client.post(reverse("api:create_request"), data, "application/json", **headers)
        return response.status_code

    return send


def test_the_twenty_first_intake_of_one_client_behind_the_proxy_is_refused(intake):
    answers = [intake(n, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7") for n in range(21)]

    assert answers == [201] * 20 + [429]


def test_twenty_one_clients_behind_the_proxy_each_get_through(intake):
    answers = [
        intake(n, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}") for n in range(21)
    ]

    assert answers == [201] * 21
    assert Request.objects.count() == 21


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(intake):
    answers = [
        intake(n, REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}")
        for n in range(21)
    ]

    assert answers == [201] * 20 + [429]


def test_two_addresses_of_one_ipv6_64_share_a_limit(intake, settings):
    settings.GUICHET_RATE_LIMIT_PER_IP = (2, 3600)

    answers = [
        intake(1, REMOTE_ADDR="2001:db8:1:2::a"),
        intake(2, REMOTE_ADDR="2001:db8:1:2:ffff:ffff:ffff:b"),
        intake(3, REMOTE_ADDR="2001:db8:1:2::c"),
        intake(4, REMOTE_ADDR="2001:db8:1:3::a"),  # the next /64: another subscriber
    ]

    assert answers == [201, 201, 429, 201]


def address_of(settings, *, proxies, header="X-Forwarded-For", **meta):
    settings.GUICHET_TRUSTED_PROXIES = proxies
    settings.GUICHET_PROXY_HEADER = header
    return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("proxies", "meta", "client"),
    [
        # The rightmost address not ours: what the client itself prepended is ignored.
        (
            ["10.0.0.0/8"],
            {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7, 10.1.2.3"},
            "198.51.100.7",
        ),
        # A count of hops: the second proxy's address and what it saw.
        (
            2,
            {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7, 10.1.2.3"},
            "198.51.100.7",
        ),
        # Fewer addresses than hops: the farthest one known.
        (2, {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}, "198.51.100.7"),
        # No proxy trusted: the connecting address, whatever the header says.
        ([], {"REMOTE_ADDR": "203.0.113.66", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}, "203.0.113.66"),
        # An IPv4 client seen through an IPv6 socket, and a port some proxies append.
        (
            ["::1"],
            {"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "[::ffff:198.51.100.7]:4711"},
            "198.51.100.7",
        ),
        # Garbage where an address should be: the trusted proxy that passed it on.
        (["10.0.0.5"], {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "unknown"}, "10.0.0.5"),
    ],
)
def test_the_client_is_read_through_trusted_proxies_only(settings, proxies, meta, client):
    assert address_of(settings, proxies=proxies, **meta) == client


def test_the_standard_forwarded_header_is_read_when_the_proxy_sets_it(settings):
    meta = {
        "REMOTE_ADDR": "10.0.0.5",
        "HTTP_FORWARDED": 'for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https',
        "HTTP_X_FORWARDED_FOR": "6.6.6.6",
    }

    assert address_of(settings, proxies=[PROXY], header="Forwarded", **meta) == "2001:db8:cafe::17"
    assert address_of(settings, proxies=[PROXY], **meta) == "6.6.6.6"
