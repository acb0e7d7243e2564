"""Registry import: line by line with a report, idempotent, inviting exactly the renewals due."""

import datetime
import io
import random

import pytest
import time_machine

from guichet.booking.enums import Channel, RequestStatus
from guichet.booking.models import Request
from guichet.notifications.models import Message
from guichet.registry.imports import import_permits
from guichet.registry.models import PermitRecord, RegistryImport

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 23)
# The registry file's first line as the préfecture exports it (written out here, not read from
# registry.imports, so that a change of the expected format fails these tests).
HEADER = "permit_number,family_name,given_names,birth_date,expires_on,email,phone".split(",")


def permit_row(n: int, expires_on: datetime.date, **fields) -> dict:
    row = {
        "permit_number": f"{9400000000 + n}",
        "family_name": f"Keita{n}",
        "given_names": "Moussa",
        "birth_date": (datetime.date(1980, 1, 1) + datetime.timedelta(days=n)).isoformat(),
        "expires_on": expires_on.isoformat(),
        "email": f"titre{n}@example.org",
        "phone": "",
    }
    row.update(fields)
    return row


def permits_csv(rows, delimiter=",", bom=False, name="registre.csv") -> io.BytesIO:
    lines = [delimiter.join(HEADER)] + [delimiter.join(row[c] for c in HEADER) for row in rows]
    content = ("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n"
    file = io.BytesIO(content.encode())
    file.name = name
    return file


def random_permits(count: int, seed: int) -> list[dict]:
    """Permits expiring from yesterday to 400 days ahead, as a real registry spreads them."""
    draw = random.Random(seed)
    return [
        permit_row(n, TODAY + datetime.timedelta(days=draw.randint(-1, 400))) for n in range(count)
    ]


def snapshot():
    return (
        sorted(
            PermitRecord.objects.values_list(
                "permit_number", "expires_on", "email", "invited_for", "invited_request", "batch"
            )
        ),
        sorted(Request.objects.values_list("number", "status", "registered_at")),
        Message.objects.count(),
    )


@time_machine.travel(NOW, tick=False)
def test_a_thousand_permits_invite_exactly_those_in_the_window_once(prefecture, manager):
    rows = random_permits(1000, seed=20261123)
    in_window = {
        row["permit_number"]
        for row in rows
        if TODAY < datetime.date.fromisoformat(row["expires_on"]) <= TODAY + datetime.timedelta(120)
    }
    assert 0 < len(in_window) < 1000

    first = import_permits(prefecture, permits_csv(rows), manager)

    assert (first.created, first.updated, first.unchanged, first.rejected) == (1000, 0, 0, 0)
    assert first.invited == len(in_window)
    invited = Request.objects.filter(channel=Channel.INVITATION)
    assert set(invited.values_list("permit_number", flat=True)) == in_window
    assert set(invited.values_list("status", flat=True)) == {RequestStatus.WAITING}
    assert Message.objects.filter(template="renewal_invitation").count() == len(in_window)
    before = snapshot()

    second = import_permits(prefecture, permits_csv(rows), manager)

    assert (second.created, second.updated, second.unchanged, second.invited) == (0, 0, 1000, 0)
    assert second.sha256 == first.sha256
    assert snapshot() == before


@time_machine.travel(NOW, tick=False)
def test_semicolons_bom_and_french_dates_read_the_same(prefecture, manager):
    row = permit_row(1, datetime.date(2027, 9, 30), birth_date="02/01/1980")
    import_permits(prefecture, permits_csv([row], delimiter=";", bom=True), manager)

    again = import_permits(prefecture, permits_csv([{**row, "birth_date": "1980-01-02"}]), manager)

    record = PermitRecord.objects.get()
    assert record.birth_date == datetime.date(1980, 1, 2)
    assert record.expires_on == datetime.date(2027, 9, 30)
    assert again.unchanged == 1


@time_machine.travel(NOW, tick=False)
def test_refused_lines_are_reported_and_the_others_imported(prefecture, manager):
    far = datetime.date(2028, 1, 1)
    rows = [
        permit_row(1, far),
        permit_row(2, far, permit_number="94ABC"),
        permit_row(3, far, birth_date="31/02/1980"),
        permit_row(4, far, permit_number=f"{9400000000 + 1}"),
        permit_row(5, far, email="", phone="06 12 34 56 78"),
    ]

    batch = import_permits(prefecture, permits_csv(rows), manager)

    assert (batch.created, batch.rejected) == (2, 3)
    assert [(e["line"], sorted(e["errors"])) for e in batch.errors] == [
        (3, ["permit_number"]),
        (4, ["birth_date"]),
        (5, ["permit_number"]),
    ]
    assert "ligne 2" in batch.errors[2]["errors"]["permit_number"][0]
    assert PermitRecord.objects.get(permit_number="9400000005").phone == "+33612345678"


@time_machine.travel(NOW, tick=False)
def test_a_changed_line_updates_its_permit(prefecture, manager):
    far = datetime.date(2028, 1, 1)
    import_permits(prefecture, permits_csv([permit_row(1, far), permit_row(2, far)]), manager)

    batch = import_permits(
        prefecture,
        permits_csv([permit_row(1, far, email="nouvelle@example.org"), permit_row(2, far)]),
        manager,
    )

    assert (batch.created, batch.updated, batch.unchanged) == (0, 1, 1)
    record = PermitRecord.objects.get(permit_number="9400000001")
    assert (record.email, record.batch) == ("nouvelle@example.org", batch)


@time_machine.travel(NOW, tick=False)
def test_a_file_without_the_columns_is_refused_whole(prefecture, manager):
    file = io.BytesIO(b"numero;nom\r\n9400000001;Keita\r\n")
    file.name = "export.csv"

    batch = import_permits(prefecture, file, manager)

    assert PermitRecord.objects.count() == 0
    assert batch.errors[0]["line"] == 0
    assert "permit_number" in batch.errors[0]["errors"]["file"][0]
    assert RegistryImport.objects.count() == 1


def test_import_command(prefecture, manager, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "registre.csv"
    path.write_bytes(permits_csv([permit_row(1, datetime.date(2030, 1, 1))]).getvalue())

    call_command("import_permits", str(path), "--prefecture", "94", "--user", manager.username)

    assert PermitRecord.objects.filter(prefecture=prefecture).count() == 1
    assert "1 created" in capsys.readouterr().out
