"""The proof of work costs a robot: a challenge serves its own client only, within 5 minutes, and
gets harder as the recent intake of its connection or préfecture grows."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from guichet.booking.models import Request
from guichet.protection import difficulty
from guichet.protection.challenges import CLIENT_COOKIE, ChallengeRefused, accept_solution
from tests.marks import counting_at
from tests.protection.test_protection import api_request, post_api, solve, submitted_by

NOW = datetime.datetime(2026, 3, 2, 10, 10, tzinfo=datetime.UTC)
BASE = 2000

pytestmark = counting_at(NOW)


@pytest.fixture(autouse=True)
def protection_on(altcha_on):
    settings = altcha_on
    settings.GUICHET_RATE_LIMITS_ENABLED = False
    settings.GUICHET_ALTCHA_MAX_NUMBER = BASE  # the quiet level the assertions scale
    settings.GUICHET_ALTCHA_TOP_LEVEL = 3
    settings.GUICHET_ALTCHA_BUSY_CONNECTION = 3
    settings.GUICHET_ALTCHA_BUSY_PREFECTURE = 4


@pytest.fixture
def service(world):
    return world[2]


def challenge(client, prefecture=None, **extra) -> dict:
    query = {"prefecture": prefecture} if prefecture else {}
    return client.get(reverse("booking:challenge"), query, **extra).json()


# --- Bound to its client ----------------------------------------------------------------------


def test_the_challenge_sets_a_private_cookie_once(client):
    first = client.get(reverse("booking:challenge"))
    again = client.get(reverse("booking:challenge"))

    cookie = first.cookies[CLIENT_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert len(cookie.value) >= 22
    assert CLIENT_COOKIE not in again.cookies  # the browser keeps its own


def test_a_solution_sent_from_another_connection_is_refused(client):
    solution = solve(challenge(client))

    with pytest.raises(ChallengeRefused, match="autre connexion ou un autre navigateur"):
        accept_solution(solution, submitted_by(client, REMOTE_ADDR="198.51.100.20"))
    accept_solution(solution, submitted_by(client))  # refusing it did not spend it


def test_a_solution_sent_by_another_browser_is_refused(client):
    solution = solve(challenge(client))
    other = Client()
    other.get(reverse("booking:challenge"))  # a cookie of its own

    for elsewhere in (submitted_by(other), submitted_by(Client())):  # another cookie, none
        with pytest.raises(ChallengeRefused, match="autre connexion ou un autre navigateur"):
            accept_solution(solution, elsewhere)


def test_an_ipv6_client_may_change_address_within_its_64(client):
    solution = solve(challenge(client, REMOTE_ADDR="2001:db8:1:2::10"))

    accept_solution(solution, submitted_by(client, REMOTE_ADDR="2001:db8:1:2:abcd::7"))


def test_challenges_solved_in_bulk_by_one_client_do_not_serve_another_through_the_api(
    client, service
):
    solver = Client(REMOTE_ADDR="203.0.113.50")
    solutions = [solve(solver.get(reverse("api:challenge")).json()) for _ in range(3)]

    answers = [
        post_api(client, api_request(service, altcha=solution, family_name=f"Diallo{n}"))
        for n, solution in enumerate(solutions)
    ]

    assert [answer.status_code for answer in answers] == [403, 403, 403]
    assert "autre connexion" in answers[0].json()["errors"]["altcha"][0]
    assert Request.objects.count() == 0


def test_a_challenge_lives_five_minutes(client, settings):
    assert settings.GUICHET_ALTCHA_EXPIRES_MINUTES == 5
    in_time, too_late = solve(challenge(client)), solve(challenge(client))

    with time_machine.travel(NOW + datetime.timedelta(minutes=4, seconds=59), tick=False):
        accept_solution(in_time, submitted_by(client))
    with (
        time_machine.travel(NOW + datetime.timedelta(minutes=5, seconds=1), tick=False),
        pytest.raises(ChallengeRefused, match="expiré"),
    ):
        accept_solution(too_late, submitted_by(client))


# --- Priced for a préfecture -------------------------------------------------------------------


def test_a_challenge_priced_for_another_prefecture_is_refused(client, service):
    quiet = solve(challenge(client, prefecture="13"))
    own = solve(challenge(client, prefecture=service.prefecture.department_code))
    unnamed = solve(challenge(client))  # charged the level of all préfectures: accepted

    refused = post_api(client, api_request(service, altcha=quiet))
    accepted = [
        post_api(client, api_request(service, altcha=own, family_name="Autre")),
        post_api(client, api_request(service, altcha=unnamed, family_name="Tierce")),
    ]

    assert refused.status_code == 403
    assert [answer.status_code for answer in accepted] == [201, 201]


# --- Harder when busy --------------------------------------------------------------------------


def test_difficulty_rises_with_the_intake_of_the_connection(client, service):
    seen = []
    for n in range(13):
        seen.append(challenge(client, "94")["maxNumber"])
        answer = post_api(
            client,
            api_request(service, altcha=solve(challenge(client, "94")), family_name=f"D{n}"),
        )
        assert answer.status_code == 201

    # Levels rise at 3, 6 and 12 accepted in the hour; the top level is the cap.
    assert seen[:4] == [BASE, BASE, BASE, 2 * BASE]
    assert seen[6] == 4 * BASE and seen[12] == 8 * BASE
    assert challenge(client, "94")["maxNumber"] == 8 * BASE
    # Another connection sees only the préfecture's level: 13 intakes there, busy at 4 → 2.
    assert challenge(Client(REMOTE_ADDR="198.51.100.9"), "94")["maxNumber"] == 4 * BASE


def test_difficulty_rises_with_the_intake_of_the_prefecture_then_falls_back(client):
    for n in range(8):
        difficulty.record_intake(f"203.0.113.{n}", "94")

    assert challenge(client, "94")["maxNumber"] == 4 * BASE  # 8 = twice busy: level 2
    assert challenge(client, "13")["maxNumber"] == BASE  # a quiet préfecture
    assert challenge(client)["maxNumber"] == 4 * BASE  # none named: all of them together

    with time_machine.travel(NOW + datetime.timedelta(hours=1, minutes=1), tick=False):
        assert challenge(client, "94")["maxNumber"] == BASE  # the hour has passed


def test_the_web_summary_asks_for_a_challenge_priced_for_its_prefecture(client, service):
    from tests.protection.test_protection import fill_wizard

    fill_wizard(client, service)

    page = client.get(reverse("booking:step", args=["recapitulatif"])).content.decode()

    assert f"{reverse('booking:challenge')}?prefecture=94" in page
    assert "protection/altcha-worker.js" in page
