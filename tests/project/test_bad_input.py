"""A NUL byte (or a lone surrogate) anywhere in a request gets a clear 400 and writes nothing.

PostgreSQL refuses both in text: before guichet.bad_input each of these answered 500 there. The
same tests run on SQLite (which stores them) and, marked postgres, on PostgreSQL in CI.
"""

import datetime
import json

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from guichet.booking.models import Request
from guichet.booking.services import register_request
from guichet.catalogue.enums import ServiceKind
from guichet.observatory.classify import NO_SLOT, Reading
from guichet.observatory.evidence import record_check
from guichet.observatory.models import Dossier, PersonalTry
from tests import factories
from tests.project.test_error_pages import assert_french_dsfr_error_page

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
NUL = "\x00"


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.clock(NOW),
]


@pytest.fixture
def client():
    """As in production: a bug would be a 500 page, not an exception raised in the test."""
    return Client(raise_request_exception=False)


@pytest.fixture
def renewal():
    return factories.make_one_site_service(ServiceKind.RENEWAL)


@pytest.fixture
def registered(renewal):
    request, _ = register_request(
        service=renewal, applicant=factories.applicant(), sites=[renewal.prefecture.sites.get()]
    )
    return request


@pytest.fixture
def dossier():
    target = factories.make_target()
    record_check(target, NOW - datetime.timedelta(days=1), Reading(NO_SLOT))
    return Dossier.objects.create(
        target=target, period_start=datetime.date(2026, 2, 1), period_end=datetime.date(2026, 3, 1)
    )


def assert_refused_page(response):
    page = assert_french_dsfr_error_page(response, 400, "Caractère non accepté")
    assert "Rien n'a été enregistré" in page
    assert "tapez-le de nouveau au clavier" in page


def assert_refused_json(response):
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "caractère" in response.json()["detail"]
    assert "Rien n'a été enregistré" in response.json()["detail"]


def test_api_services_of_a_prefecture_with_nul_in_its_code(client, renewal):
    assert_refused_json(client.get("/api/prefectures/9%004/services"))
    assert_refused_json(client.get("/api/prefectures/94/services?lang=fr%00"))


@pytest.mark.parametrize(
    "fields",
    [{"family_name": f"Dia{NUL}llo"}, {"nationality": "sénégalaise\udc80"}, {f"x{NUL}": 1}],
    ids=["nul", "lone-surrogate", "nul-in-a-key"],
)
def test_api_intake_with_nul_or_a_lone_surrogate(client, renewal, fields):
    body = json.dumps(factories.renewal_intake(renewal, **fields))  # \u0000, \udc80: valid JSON
    response = client.post(reverse("api:create_request"), body, content_type="application/json")

    assert_refused_json(response)
    assert Request.objects.count() == 0


def test_first_intake_step_with_nul(client, renewal):
    response = client.post(reverse("booking:start"), {"prefecture": f"94{NUL}"})

    assert_refused_page(response)
    assert not Session.objects.exists()  # nothing kept for the next step either
    assert Request.objects.count() == 0


def test_intake_identity_step_with_nul_keeps_nothing(client, renewal):
    client.post(reverse("booking:start"), {"prefecture": "94"})
    client.post(reverse("booking:step", args=["motif"]), {"service": renewal.pk})
    kept = Session.objects.get().get_decoded()

    response = client.post(
        reverse("booking:step", args=["identite"]),
        {"family_name": f"Diallo{NUL}", "given_names": "A", "birth_date": "1990-05-14"},
    )

    assert_refused_page(response)
    assert Session.objects.get().get_decoded() == kept


@pytest.mark.parametrize("page", ["suivi", "attestation", "annuler", "preferences"])
def test_secret_link_pages_with_nul_in_the_token(client, registered, page):
    assert_refused_page(client.get(f"/demande/{registered.access_token[:-2]}%00/{page}/"))


def test_secret_link_page_with_nul_in_the_query_or_a_form(client, registered):
    status = reverse("booking:status", args=[registered.access_token])
    assert_refused_page(client.get(f"{status}?utm=%00"))
    cancel = reverse("booking:cancel", args=[registered.access_token])

    assert_refused_page(client.post(cancel, {"reason": NUL}))

    registered.refresh_from_db()
    assert registered.is_active
    assert client.get(status).status_code == 200  # the request itself is untouched


def test_dossier_pages_with_nul(client, dossier):
    assert_refused_page(client.get(f"/observatoire/dossier/{dossier.token[:-1]}%00/"))
    assert_refused_page(client.get(f"/observatoire/dossier/{dossier.token}%00/dossier.pdf"))
    created = client.post(
        reverse("observatory:dossier_create"),
        {"target": f"{dossier.target_id}{NUL}", "period_start": "2026-02-01"},
    )
    assert_refused_page(created)
    assert Dossier.objects.count() == 1


def test_a_try_with_nul_in_its_note_adds_nothing(client, dossier):
    url = reverse("observatory:dossier", args=[dossier.token])
    upload = SimpleUploadedFile("lettre.pdf", b"%PDF-1.4\n%%EOF\n")
    fields = {"tried_on": "2026-02-10", "kind": "letter", "note": f"LRAR{NUL}", "upload": upload}

    assert_refused_page(client.post(url, fields))

    assert not PersonalTry.objects.exists()


def test_a_header_with_nul_is_refused_before_it_reaches_a_cache_key(client, registered):
    status = reverse("booking:status", args=[registered.access_token])

    assert_refused_page(client.get(status, HTTP_X_FORWARDED_FOR=f"1.2.3.4{NUL}"))


def test_ordinary_text_still_goes_through(client, renewal):
    """Accents, emoji and right-to-left names are not what is refused."""
    body = json.dumps(factories.renewal_intake(renewal, family_name="Nguyễn 😀 محمد"))
    response = client.post(reverse("api:create_request"), body, content_type="application/json")

    assert response.status_code == 201
    assert Request.objects.get().family_name.startswith("Nguyễn")
