"""The intake JSON API: catalogue, registration, the same person twice, and French errors."""

import datetime

import pytest
from django.urls import reverse

from guichet.booking.enums import Channel
from guichet.booking.models import Request
from guichet.catalogue.enums import ServiceKind
from tests.factories import make_prefecture, make_service, make_site, renewal_intake

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def renewal():
    prefecture = make_prefecture()
    make_site(prefecture, "Préfecture")
    make_site(prefecture, "Sous-préfecture de Nogent")
    return make_service(prefecture, ServiceKind.RENEWAL)


def post(client, data):
    return client.post(reverse("api:create_request"), data, content_type="application/json")


def test_prefectures_are_listed(client, renewal):
    make_prefecture("974", "La Réunion", time_zone="Indian/Reunion")

    listed = client.get("/api/prefectures").json()

    assert listed == [
        {"code": "94", "name": "Val-de-Marne", "time_zone": "Europe/Paris"},
        {"code": "974", "name": "La Réunion", "time_zone": "Indian/Reunion"},
    ]


def test_open_services_of_a_prefecture_are_listed_with_their_sites(client, renewal):
    closed = make_service(renewal.prefecture, ServiceKind.NATURALISATION)
    closed.active = False
    closed.save()

    [service] = client.get("/api/prefectures/94/services").json()

    assert service["id"] == renewal.pk
    assert service["needs_permit_number"] is True
    assert service["deadline_kind"] == "permit_expiry"
    assert service["documents"] == ["Passeport", "Justificatif de domicile"]
    assert [site["name"] for site in service["sites"]] == [
        "Préfecture",
        "Sous-préfecture de Nogent",
    ]


def test_services_of_an_unknown_prefecture_is_404(client, renewal):
    response = client.get("/api/prefectures/999/services")

    assert response.status_code == 404
    assert "préfecture" in response.json()["detail"]


def test_a_request_is_registered_with_201(client, renewal):
    response = post(client, renewal_intake(renewal))

    assert response.status_code == 201
    body = response.json()
    request = Request.objects.get()
    assert body["number"] == request.number
    assert set(body) == {"number", "status", "registered_at", "receipt_url", "status_url"}
    assert body["status"] == request.status
    assert body["receipt_url"].endswith(reverse("booking:receipt", args=[request.access_token]))
    assert body["status_url"].endswith(reverse("booking:status", args=[request.access_token]))
    assert datetime.datetime.fromisoformat(body["registered_at"]) == NOW
    assert request.channel == Channel.API
    assert request.phone == "+33612345678"
    assert request.deadline == datetime.date(2026, 6, 30)


def test_the_same_person_again_gets_a_request_of_their_own_and_nothing_of_the_first(
    client, renewal
):
    """Once 200 with the holder's number and `existing`, and their link sent again each time:
    now a 201 like any submission; whether it gets the place is decided at confirmation."""
    first = post(client, renewal_intake(renewal)).json()

    again = post(client, renewal_intake(renewal, family_name="DIALLO", email="autre@example.org"))

    assert again.status_code == 201
    body = again.json()
    assert body["number"] != first["number"]
    assert first["status_url"] not in body.values()
    held = Request.objects.get(number=first["number"])
    assert not held.messages.exclude(template="verify_contact").exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"birth_date": "2026-02-30"}, "birth_date", "n'existe pas"),
        ({"permit_expires_on": "2026-01-15"}, "permit_expires_on", "la préfecture peut vous aider"),
        ({"email": "aminata@", "phone": ""}, "email", "n'est pas valide"),
        ({"phone": "01 45 67 89 10"}, "phone", "portable français"),
        ({"permit_number": ""}, "permit_number", "Indiquez votre numéro étranger"),
        ({"family_name": "D" * 101}, "family_name", "100 caractères au plus"),
        ({"given_names": "A" * 5000}, "given_names", "150 caractères au plus"),
        ({"email": "", "phone": ""}, "contact", "au moins une adresse"),
        ({"sites": []}, "sites", "au moins un lieu"),
        ({"sites": [10**20]}, "sites", "n'accueille pas"),
    ],
)
def test_wrong_answers_get_422_with_french_messages_and_nothing_written(
    client, renewal, fields, field, words
):
    response = post(client, renewal_intake(renewal, **fields))

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Certaines informations sont à corriger."
    assert list(body["errors"]) == [field]
    assert words in body["errors"][field][0]
    assert Request.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"), [("prefecture", "999"), ("service", 987654), ("service", 10**20)]
)
def test_unknown_prefecture_or_service_is_404(client, renewal, field, value):
    response = post(client, renewal_intake(renewal, **{field: value}))

    assert response.status_code == 404
    assert field in response.json()["errors"]
    assert Request.objects.count() == 0


def test_the_openapi_schema_documents_the_fields(client):
    schema = client.get("/api/openapi.json").json()

    fields = schema["components"]["schemas"]["RequestIn"]["properties"]
    assert "10 chiffres" in fields["permit_number"]["description"]
    assert "ALTCHA" in fields["altcha"]["description"]


def test_a_malformed_payload_gets_a_french_error_and_writes_nothing(client, renewal):
    wrong_type = post(client, {**renewal_intake(renewal), "service": "abc"})
    not_json = post(client, "{not json")

    assert wrong_type.status_code == 422
    assert wrong_type.json()["errors"]["service"] == ["Type de valeur incorrect."]
    assert not_json.status_code == 400
    assert "JSON valide" in not_json.json()["detail"]
    assert Request.objects.count() == 0
