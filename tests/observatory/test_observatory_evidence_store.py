"""Evidence files are named by their SHA-256, not by database ids: a new database over the same
evidence folder (`rm var/guichet.sqlite3`, then `make run`) finds its files already there."""

import datetime

import pytest
import time_machine
from django.db import transaction

from guichet.demo.observatory import seed_observatory
from guichet.observatory.chain import sha256_bytes
from guichet.observatory.classify import NO_SLOT, Reading
from guichet.observatory.evidence import evidence_dir, record_check, verify_chain
from guichet.observatory.models import Check
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)


class ThrowTheDatabaseAway(Exception):
    pass


def stored_files() -> set[str]:
    return {
        str(path.relative_to(evidence_dir()))
        for path in evidence_dir().rglob("*")
        if path.is_file()
    }


def test_the_demo_seeds_the_observatory_again_after_the_database_is_deleted():
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ThrowTheDatabaseAway), transaction.atomic():
            assert seed_observatory(weeks=1) > 0
            first = set(Check.objects.values_list("evidence", flat=True))
            raise ThrowTheDatabaseAway  # the same ids come back in the next database
        assert not Check.objects.exists()

        checks = seed_observatory(weeks=1)

    assert checks > 7 * 12  # two targets, about twelve checks a day each
    assert verify_chain() is None
    again = set(Check.objects.values_list("evidence", flat=True))
    # The same pages as before: the same files, each stored once.
    assert again == first
    assert stored_files() == again


def test_a_file_is_named_by_its_content_and_stored_once():
    target = factories.make_target()
    page = b"<html>Aucun rendez-vous</html>"
    checks = [
        record_check(target, NOW + datetime.timedelta(hours=n), Reading(NO_SLOT), body=page)
        for n in range(2)
    ]
    digest = sha256_bytes(page)
    assert (
        checks[0].evidence
        == checks[1].evidence
        == f"sha256/{digest[:2]}/{digest[2:4]}/{digest}.html"
    )
    assert stored_files() == {checks[0].evidence}
    assert (evidence_dir() / checks[0].evidence).read_bytes() == page
    assert verify_chain() is None

    (evidence_dir() / checks[0].evidence).write_bytes(b"<html>Des rendez-vous</html>")
    assert "check #1" in str(verify_chain())
