"""One mailbox or one phone is one contact for every per-contact limit, however it is written
(plus-tags, capitals, Gmail's dots, 06… or +33…), and throw-away mail domains are refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.booking import validation
from guichet.booking.enums import Channel
from guichet.booking.models import Request
from guichet.protection import counters
from guichet.protection.contacts import canonical_contact, is_disposable
from guichet.protection.ratelimits import RateLimited, _key, check_rate_limits
from tests.applicant_space import register, text_of, url
from tests.protection.test_protection import api_request


def post_api(client, data, ip="127.0.0.1"):
    return client.post(
        reverse("api:create_request"), data, content_type="application/json", REMOTE_ADDR=ip
    )


DISPOSABLE = "Les adresses électroniques jetables ou temporaires ne sont pas acceptées"


pytestmark = [pytest.mark.usefixtures("clock")]


@pytest.fixture
def limits_on(settings, db):
    settings.GUICHET_RATE_LIMITS_ENABLED = True
    counters.clear_all()
    yield settings
    counters.clear_all()


@pytest.mark.parametrize(
    ("typed", "counted"),
    [
        ("Aminata.Diallo+rdv7@Gmail.com", "aminatadiallo@gmail.com"),
        ("a.m.i.n.a.t.a.diallo@googlemail.com", "aminatadiallo@gmail.com"),
        ("aminata.diallo+1+2@example.org", "aminata.diallo@example.org"),
        (" AMINATA@Example.ORG ", "aminata@example.org"),
        ("06 12 34 56 78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("+33612345678", "+33612345678"),
        ("0692 12 34 56", "+262692123456"),  # La Réunion, as the intake stores it
        ("+33 6 92 12 34 56", "+262692123456"),
        ("+262692123456", "+262692123456"),
    ],
)
def test_the_canonical_form(typed, counted):
    assert canonical_contact(typed) == counted


def test_dots_count_only_where_the_provider_ignores_them():
    assert canonical_contact("a.b@example.org") != canonical_contact("ab@example.org")


def test_plus_addressed_and_dotted_variants_count_as_one_contact(limits_on):
    limits_on.GUICHET_RATE_LIMIT_PER_CONTACT = (5, 3600)
    variants = [
        "aminata.diallo@gmail.com",
        "aminata.diallo+1@gmail.com",
        "AminataDiallo+2@gmail.com",
        "a.minata.diallo@googlemail.com",
        "aminata.diallo+rdv@GMAIL.COM",
    ]
    for n, email in enumerate(variants):
        check_rate_limits(f"203.0.113.{n}", [email])

    with pytest.raises(RateLimited):
        check_rate_limits("198.51.100.1", ["aminata.diallo+7@gmail.com"])
    check_rate_limits("198.51.100.2", ["quelquun.dautre@gmail.com"])


def test_a_phone_written_three_ways_is_one_contact(limits_on):
    limits_on.GUICHET_RATE_LIMIT_PER_CONTACT = (2, 3600)
    check_rate_limits("203.0.113.1", ["06 12 34 56 78"])
    check_rate_limits("203.0.113.2", ["+33612345678"])

    with pytest.raises(RateLimited):
        check_rate_limits("203.0.113.3", ["0033612345678"])


def test_seven_plus_addressed_requests_through_the_api_stop_at_five(client, world, limits_on):
    service = world[2]
    answers = [
        post_api(
            client,
            api_request(
                service,
                email=f"aminata+{n}@example.org",
                family_name=f"Diallo{n}",
                passport_number=f"PA{n:07d}",
            ),
            ip=f"203.0.113.{n}",
        )
        for n in range(7)
    ]

    assert [answer.status_code for answer in answers] == [201] * 5 + [429] * 2
    assert Request.objects.count() == 5


def test_the_lost_link_page_counts_one_contact_however_it_is_written(client, limits_on):
    limits_on.GUICHET_RATE_LIMIT_ACCESS_LINK_CONTACT = (2, 3600)
    request = register(channel=Channel.COUNTER, email="aminata.diallo@gmail.com")

    answers = [
        client.post(
            reverse("booking:find_link"),
            {"number": request.number, "contact": contact},
            REMOTE_ADDR=f"203.0.113.{n}",
        )
        for n, contact in enumerate(
            ["aminata.diallo@gmail.com", "AminataDiallo+x@gmail.com", "aminata.diallo+y@gmail.com"]
        )
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "pour ces coordonnées" in text_of(answers[2])


def test_a_contact_cannot_be_handed_to_request_after_request(client, limits_on):
    limits_on.GUICHET_RATE_LIMIT_PER_CONTACT = (2, 3600)
    prefecture = register(n=0).prefecture
    requests = [register(prefecture, n=n, channel=Channel.COUNTER) for n in (1, 2, 3)]

    for n, booking_request in enumerate(requests):
        client.post(
            url("new_contact", booking_request),
            {"email": f"Acheteur.Revendeur+{n}@gmail.com", "phone": ""},
        )

    pending = [r.pending_email for r in Request.objects.filter(pk__in=[r.pk for r in requests])]
    assert sorted(pending) == [
        "",
        "Acheteur.Revendeur+0@gmail.com",
        "Acheteur.Revendeur+1@gmail.com",
    ]
    refused = client.get(url("status", requests[2]))
    assert "Ces coordonnées ont été données à trop de demandes" in text_of(refused)


def test_keeping_one_contact_while_changing_the_other_does_not_count_it(client, limits_on):
    limits_on.GUICHET_RATE_LIMIT_PER_CONTACT = (1, 3600)
    booking_request = register(channel=Channel.COUNTER, email="garde@example.org")

    client.post(
        url("new_contact", booking_request), {"email": "Garde@example.org", "phone": "0612345678"}
    )

    booking_request.refresh_from_db()
    assert booking_request.pending_phone == "+33612345678"
    assert counters.count(_key("contact", "garde@example.org"), 3600) == 0
    assert counters.count(_key("contact", "+33612345678"), 3600) == 1


# --- Throw-away domains ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address", ["x@yopmail.com", "X@YOPMAIL.FR", "x@mailinator.com", "x@relay.mailinator.com"]
)
def test_disposable_domains_are_refused_by_the_intake_rule(address):
    assert is_disposable(address)
    with pytest.raises(ValidationError, match=DISPOSABLE):
        validation.clean_email(address)


@pytest.mark.parametrize(
    "address", ["x@gmail.com", "x@orange.fr", "x@laposte.net", "x@free.fr", "x@example.org"]
)
def test_ordinary_domains_pass(address):
    assert not is_disposable(address)
    assert validation.clean_email(address) == address


def test_the_api_refuses_a_disposable_address(client, world):
    answer = post_api(client, api_request(world[2], email="aminata@yopmail.com"))

    assert answer.status_code == 422
    assert DISPOSABLE in answer.json()["errors"]["email"][0]
    assert Request.objects.count() == 0


def test_the_contact_step_refuses_a_disposable_address(client, world):
    from tests.booking.test_intake_web import fill_through_contact

    prefecture, _site, service = world
    response = fill_through_contact(
        client, prefecture, service, contact={"email": "aminata@jetable.org", "phone": ""}
    )

    assert response.status_code == 200
    assert DISPOSABLE in text_of(response)


def test_the_contact_change_refuses_a_disposable_address(client, db):
    booking_request = register(channel=Channel.COUNTER)

    response = client.post(
        url("new_contact", booking_request), {"email": "moi@guerrillamail.com", "phone": ""}
    )

    assert DISPOSABLE in text_of(response)
    booking_request.refresh_from_db()
    assert booking_request.pending_email == ""
