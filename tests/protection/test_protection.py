"""Intake protection: the ALTCHA proof-of-work (once per solution) and the rate limits."""

import base64
import datetime
import hashlib
import json

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from guichet.booking.models import Request
from guichet.protection import counters
from guichet.protection.challenges import ChallengeRefused, accept_solution
from guichet.protection.models import Counter
from guichet.protection.ratelimits import RateLimited, check_rate_limits
from tests import factories
from tests.marks import counting_at

NOW = datetime.datetime(2026, 3, 2, 10, 10, tzinfo=datetime.UTC)

pytestmark = counting_at(NOW)


@pytest.fixture(autouse=True)
def protection_on(altcha_on):
    altcha_on.GUICHET_RATE_LIMITS_ENABLED = True


def solve(challenge: dict, number=None) -> str:
    """What the browser script does: find n with sha256(salt + n) == challenge, encode it."""
    if number is None:
        number = next(
            n
            for n in range(challenge["maxNumber"] + 1)
            if hashlib.sha256(f"{challenge['salt']}{n}".encode()).hexdigest()
            == challenge["challenge"]
        )
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**payload, "number": number}).encode()).decode()


def fresh_challenge(client) -> dict:
    response = client.get(reverse("booking:challenge"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    return response.json()


def submitted_by(client, **extra):
    """A submission as this test client sends it: its address, its cookies."""
    request = RequestFactory().post("/", **{"REMOTE_ADDR": "127.0.0.1", **extra})
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    return request


def test_a_solved_challenge_is_accepted_once(client):
    solution = solve(fresh_challenge(client))

    accept_solution(solution, submitted_by(client))

    with pytest.raises(ChallengeRefused, match="déjà été envoyé"):
        accept_solution(solution, submitted_by(client))


def test_a_wrong_number_is_refused(client):
    challenge = fresh_challenge(client)
    right = json.loads(base64.b64decode(solve(challenge)))["number"]

    with pytest.raises(ChallengeRefused, match="n'a pas abouti"):
        accept_solution(solve(challenge, number=right + 1), submitted_by(client))
    accept_solution(
        solve(challenge), submitted_by(client)
    )  # the wrong number did not spend the challenge


def test_a_challenge_signed_with_another_key_is_refused(client, settings):
    challenge = fresh_challenge(client)
    settings.GUICHET_ALTCHA_HMAC_KEY = "another-key"

    with pytest.raises(ChallengeRefused):
        accept_solution(solve(challenge), submitted_by(client))


def test_an_expired_challenge_is_refused(client, settings):
    solution = solve(fresh_challenge(client))
    later = NOW + datetime.timedelta(minutes=settings.GUICHET_ALTCHA_EXPIRES_MINUTES, seconds=1)

    with time_machine.travel(later, tick=False), pytest.raises(ChallengeRefused, match="expiré"):
        accept_solution(solution, submitted_by(client))


@pytest.mark.parametrize("payload", ["", "pas du base64 !", base64.b64encode(b"[1, 2]").decode()])
def test_a_missing_or_garbled_payload_is_refused(payload):
    with pytest.raises(ChallengeRefused, match="pas été faite"):
        accept_solution(payload, RequestFactory().post("/"))


def test_expired_solutions_are_pruned(client, settings):
    settings.GUICHET_COUNTERS_CACHE = None  # the database store; Redis expires keys itself
    accept_solution(solve(fresh_challenge(client)), submitted_by(client))
    expiry = datetime.timedelta(minutes=settings.GUICHET_ALTCHA_EXPIRES_MINUTES)

    assert counters.purge_expired(now=NOW + expiry - datetime.timedelta(seconds=1)) == 0
    assert counters.purge_expired(now=NOW + expiry + datetime.timedelta(seconds=1)) == 1
    assert Counter.objects.count() == 0


def test_rate_limit_per_connection(settings):
    settings.GUICHET_RATE_LIMIT_PER_IP = (3, 3600)
    for n in range(3):
        check_rate_limits("203.0.113.7", [f"personne{n}@example.org"])

    with pytest.raises(RateLimited) as caught:
        check_rate_limits("203.0.113.7", ["autre@example.org"])

    # The window slides: the three sent at 10:10 count until 11:10 (no reset at 11:00).
    assert caught.value.retry_after == 60 * 60
    assert "Réessayez dans 60 minutes" in str(caught.value)
    check_rate_limits("198.51.100.1", ["autre@example.org"])  # another connection goes through


def test_rate_limit_per_contact(settings):
    settings.GUICHET_RATE_LIMIT_PER_CONTACT = (2, 600)
    check_rate_limits("203.0.113.1", ["a@example.org", "+33612345678"])
    check_rate_limits("203.0.113.2", ["a@example.org"])

    with pytest.raises(RateLimited):
        check_rate_limits("203.0.113.3", ["a@example.org"])
    check_rate_limits("203.0.113.4", ["+33612345678"])  # second use of this number: allowed


def test_the_window_starts_again(settings):
    settings.GUICHET_RATE_LIMIT_PER_IP = (1, 60)
    check_rate_limits("203.0.113.7", [])
    with pytest.raises(RateLimited):
        check_rate_limits("203.0.113.7", [])

    with time_machine.travel(NOW + datetime.timedelta(seconds=60), tick=False):
        check_rate_limits("203.0.113.7", [])


# --- Through the intake pages and the API ---------------------------------------------------


@pytest.fixture
def service(world):
    return world[2]


def api_request(service, **fields):
    return {**factories.intake_data(service, service.prefecture.sites.get()), **fields}


def post_api(client, data):
    return client.post(reverse("api:create_request"), data, content_type="application/json")


def test_api_needs_a_solved_challenge(client, service):
    missing = post_api(client, api_request(service))
    challenge = client.get(reverse("api:challenge")).json()
    solution = solve(challenge)
    accepted = post_api(client, api_request(service, altcha=solution))
    replayed = post_api(client, api_request(service, altcha=solution, family_name="Autre"))

    assert missing.status_code == 403
    assert "altcha" in missing.json()["errors"]
    assert accepted.status_code == 201
    assert replayed.status_code == 403
    assert Request.objects.count() == 1


def test_api_rate_limit_answers_429_with_retry_after(client, service, settings):
    settings.GUICHET_ALTCHA_ENABLED = False
    settings.GUICHET_RATE_LIMIT_PER_CONTACT = (1, 3600)
    post_api(client, api_request(service))

    limited = post_api(client, api_request(service, family_name="Autre"))

    assert limited.status_code == 429
    assert limited["Retry-After"] == str(60 * 60)
    assert "Réessayez dans 60 minutes" in limited.json()["detail"]
    assert Request.objects.count() == 1


def fill_wizard(client, service):
    prefecture = service.prefecture
    client.post(reverse("booking:start"), {"prefecture": prefecture.department_code})
    client.post(reverse("booking:step", args=["motif"]), {"service": service.pk})
    client.post(
        reverse("booking:step", args=["identite"]),
        {
            "family_name": "Diallo",
            "given_names": "Aminata",
            "birth_date": "1990-05-14",
            "nationality": "sénégalaise",
            "passport_number": "12AB34567",
        },
    )
    client.post(reverse("booking:step", args=["contact"]), {"email": "a@example.org"})
    client.post(
        reverse("booking:step", args=["lieux"]),
        {"sites": [site.pk for site in prefecture.sites.all()]},
    )


def test_web_summary_carries_the_challenge_and_a_no_script_notice(client, service):
    fill_wizard(client, service)

    page = client.get(reverse("booking:step", args=["recapitulatif"])).content.decode()

    assert 'name="altcha"' in page
    assert reverse("booking:challenge") in page
    assert "protection/altcha.js" in page
    assert "<noscript>" in page and "guichet" in page


def test_web_refuses_a_missing_challenge_and_accepts_a_solved_one(client, service):
    fill_wizard(client, service)
    summary = reverse("booking:step", args=["recapitulatif"])

    refused = client.post(summary, {"altcha": ""})
    accepted = client.post(summary, {"altcha": solve(fresh_challenge(client))})

    assert refused.status_code == 403
    assert "anti-robots" in refused.content.decode()
    assert accepted.status_code == 302
    assert Request.objects.count() == 1


def test_web_rate_limit_writes_nothing_and_says_when_to_retry(client, service, settings):
    settings.GUICHET_ALTCHA_ENABLED = False
    settings.GUICHET_RATE_LIMIT_PER_IP = (0, 3600)
    fill_wizard(client, service)

    limited = client.post(reverse("booking:step", args=["recapitulatif"]))

    assert limited.status_code == 429
    assert "Réessayez dans 60 minutes" in limited.content.decode()
    assert Request.objects.count() == 0
