"""`guichet observe verify` accepts an intact chain and names the first altered record or file."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from guichet.append_only import AppendOnlyError
from guichet.observatory.classify import NO_SLOT, SLOTS, Reading
from guichet.observatory.evidence import evidence_dir, record_check
from guichet.observatory.models import Check
from tests import factories
from tests.append_only import as_the_tables_owner

pytestmark = pytest.mark.django_db
START = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def checks():
    target = factories.make_target()
    readings = [Reading(NO_SLOT), Reading(SLOTS, slot_count=2), Reading(NO_SLOT)]
    return [
        record_check(
            target,
            START + datetime.timedelta(hours=2 * n),
            reading,
            body=f"<html>page {n}</html>".encode(),
            screenshot=b"\x89PNG fake " + bytes([n]),
        )
        for n, reading in enumerate(readings)
    ]


def verify():
    out = io.StringIO()
    call_command("observe", "verify", stdout=out)
    return out.getvalue()


def test_intact_chain_is_accepted(checks):
    assert [check.previous_hash for check in checks[1:]] == [c.record_hash for c in checks[:-1]]
    assert f"3 checks, last hash {checks[-1].record_hash}" in verify()


def test_altered_record_is_named(checks):
    with as_the_tables_owner("observatory_check"):
        Check.objects.filter(pk=checks[1].pk).update(outcome=NO_SLOT)
    with pytest.raises(CommandError, match=r"check #2 .*record altered"):
        verify()


def test_altered_evidence_file_is_named(checks):
    (evidence_dir() / checks[2].evidence).write_bytes(b"<html>slots!</html>")
    with pytest.raises(
        CommandError, match=rf"check #3 .*evidence file altered: {checks[2].evidence}"
    ):
        verify()


def test_altered_screenshot_is_named(checks):
    (evidence_dir() / checks[0].screenshot).write_bytes(b"\x89PNG other")
    with pytest.raises(CommandError, match=rf"check #1 .*altered: {checks[0].screenshot}"):
        verify()


def test_removed_record_breaks_the_next_link(checks):
    with as_the_tables_owner("observatory_check"):
        Check.objects.filter(pk=checks[1].pk)._raw_delete(Check.objects.db)
    with pytest.raises(CommandError, match=r"check #3 .*previous-record hash"):
        verify()


def test_the_application_never_rewrites_a_check(checks):
    checks[0].outcome = SLOTS
    with pytest.raises(AppendOnlyError):
        checks[0].save()
    with pytest.raises(AppendOnlyError):
        checks[0].delete()
