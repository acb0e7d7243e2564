"""On PostgreSQL the database itself refuses to change or delete history: the journal, requests'
events, mandate events and the observatory's chained checks. `QuerySet.update()`, bulk deletes and
plain SQL go around the models' own refusal; the triggers stop them all."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from guichet.associations.enums import MandateEventKind, MandateScope
from guichet.associations.models import MandateEvent
from guichet.associations.services import record_mandate_event
from guichet.backoffice import journal
from guichet.backoffice.enums import JournalAction
from guichet.backoffice.models import JournalEntry
from guichet.booking.models import RequestEvent
from guichet.observatory.classify import Reading
from guichet.observatory.evidence import record_check
from guichet.observatory.models import Check, Target
from tests import factories
from tests.postgres import ONLY_ON_POSTGRES

pytestmark = [
    *ONLY_ON_POSTGRES,
    pytest.mark.django_db,
]


@pytest.fixture
def history(world):
    """One row in each append-only table."""
    prefecture, site, service = world
    agent = factories.make_agent(prefecture)
    request = factories.register_at_counter(service, site, 1)
    entry = journal.log_attendance(agent, request, attended=True, site="")
    member = factories.make_member(factories.make_organisation(prefecture))
    mandate = factories.make_mandate(member, request, scope=MandateScope.FILE_AND_FOLLOW)
    record_mandate_event(mandate, member, MandateEventKind.GRANTED)
    target = Target.objects.create(
        prefecture="Val-de-Marne", department_code="94", procedure="Titre", url="http://x/"
    )
    record_check(target, timezone.now(), Reading(label="no_slot"))
    return {"request": request, "entry": entry}


def refusal(sql: str, params=()) -> str | None:
    """The database's refusal of the statement, None if it ran (in a savepoint: the test goes on
    after a refusal)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return str(error)
    return None


def refused(sql: str, params=()) -> bool:
    return refusal(sql, params) is not None


def test_the_journal_refuses_update_and_delete_in_sql(history):
    entry = history["entry"]

    assert refused("UPDATE backoffice_journalentry SET action = 'rien' WHERE id = %s", [entry.pk])
    assert refused("DELETE FROM backoffice_journalentry WHERE id = %s", [entry.pk])

    entry.refresh_from_db()
    assert entry.action == JournalAction.ATTENDED


@pytest.mark.parametrize(
    "model, change",
    [
        (RequestEvent, {"kind": "cancelled"}),
        (JournalEntry, {"action": "rien"}),
        (MandateEvent, {"kind": "revoked"}),
        (Check, {"outcome": "slots"}),
    ],
)
def test_querysets_cannot_update_or_delete_history(history, model, change):
    before = list(model.objects.values())
    assert before

    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.update(**change)
    # Bulk deletes go around the model's delete() too.
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.all()._raw_delete(model.objects.db)

    assert list(model.objects.values()) == before


def test_a_request_with_a_history_cannot_be_deleted_in_sql(world):
    """Its events point to it (the database has no cascade) and cannot be deleted first."""
    _, site, service = world
    request = factories.register_at_counter(service, site, 2)

    why = refusal(
        "SET CONSTRAINTS ALL IMMEDIATE;"
        "DELETE FROM notifications_message WHERE request_id = %(id)s;"
        "DELETE FROM booking_request_sites WHERE request_id = %(id)s;"
        "DELETE FROM booking_request WHERE id = %(id)s",
        {"id": request.pk},
    )

    assert why is not None and "booking_requestevent" in why
    assert "is append-only" in refusal(
        "DELETE FROM booking_requestevent WHERE request_id = %s", [request.pk]
    )
    assert RequestEvent.objects.filter(request=request).exists()


def test_new_history_is_still_written(history):
    """Appending is what the tables are for."""
    request = history["request"]

    journal.log_attendance(history["entry"].user, request, attended=False, site="")

    assert JournalEntry.objects.filter(request=request).count() == 2
