"""The open data: daily snapshots kept over time, CSV and JSON valid against their published
Table Schema (checked with frictionless), small counts empty, stable addresses."""

import csv
import io
import json

import pytest
import time_machine
from frictionless import Resource, Schema

from guichet.duework.jobs import run_due_work
from guichet.transparency.models import Snapshot
from guichet.transparency.snapshots import take_due_snapshots
from tests import queue_history
from tests.queue_history import N, day

CSV_URL = "/file-attente/donnees/file-attente.csv"
JSON_URL = "/file-attente/donnees/file-attente.json"
SCHEMA_URL = "/file-attente/donnees/schema.json"


@pytest.fixture
def history(db):
    return queue_history.build()


@pytest.fixture
def two_days(history, settings):
    """Snapshots taken on two days; small counts are those below 2."""
    settings.GUICHET_OPEN_DATA_MIN_COUNT = 2
    take_due_snapshots(day(-1))
    take_due_snapshots(N)
    return history


def validate(data: bytes, fmt: str, schema: dict):
    resource = Resource(data=data, format=fmt, schema=Schema.from_descriptor(schema))
    return resource.validate()


def test_one_snapshot_per_scope_and_day_taken_by_the_due_work(history):
    with time_machine.travel(N, tick=False):
        run_due_work(N)
        run_due_work(N)  # the next tick takes nothing again
    # National, the préfecture, and its two services.
    assert Snapshot.objects.filter(day=N.date()).count() == 4
    assert set(Snapshot.objects.values_list("department_code", "service_kind")) == {
        ("", ""),
        ("94", ""),
        ("94", "first_permit"),
        ("94", "receipt_pickup"),
    }


def test_csv_valid_against_the_published_schema_with_small_counts_empty(two_days, client):
    schema = json.loads(client.get(SCHEMA_URL).content)
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    report = validate(response.content, "csv", schema)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    # Two days × four scopes × two windows, oldest first.
    assert len(rows) == 16
    assert [row["date"] for row in rows[:8]] == [day(-1).date().isoformat()] * 8
    month = next(
        row
        for row in rows
        if row["date"] == N.date().isoformat()
        and row["code_departement"] == "94"
        and row["code_motif"] == ""
        and row["periode_jours"] == "30"
    )
    assert month["personnes_en_attente"] == "2"
    assert month["echeance_depassee"] == ""  # 1 person: below the threshold of 2
    assert month["delai_date_donnee_median_jours"] == "35.0"
    assert month["delai_date_donnee_p90_jours"] == "58.0"
    assert month["part_datee_avant_expiration"] == "0.5"
    assert month["creneaux_ouverts"] == "6"
    assert month["creneaux_perdus_fermeture"] == "1"  # desks, not people: always published
    assert month["absences"] == ""  # 1 person
    assert month["taux_absence"] == "0.25"
    assert month["personnes_datees_guichet"] == "2"
    assert month["delai_date_donnee_median_jours_guichet"] == "33.5"
    assert month["personnes_datees_telephone"] == ""


def test_json_rows_valid_against_the_same_schema(two_days, client):
    schema = json.loads(client.get(SCHEMA_URL).content)
    data = client.get(JSON_URL).json()
    assert data["licence"]["name"] == "etalab-2.0"
    assert data["schema"] == "http://testserver" + SCHEMA_URL
    assert data["minimum_count"] == 2
    names = [field["name"] for field in schema["fields"]]
    table = [names] + [[row[name] for name in names] for row in data["rows"]]
    report = Resource(data=table, schema=Schema.from_descriptor(schema)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(data["rows"]) == 16


def test_schema_names_its_licence_and_key(client, db):
    schema = json.loads(client.get(SCHEMA_URL).content)
    assert schema["licenses"][0]["name"] == "etalab-2.0"
    assert schema["primaryKey"] == ["date", "code_departement", "code_motif", "periode_jours"]
    Schema.from_descriptor(schema)  # a valid Table Schema, or frictionless raises
