"""Personal data kept no longer than needed: the daily job erases exactly the requests closed
longer ago than the policy says, in place, and the published figures do not move."""

import datetime
import json
import re
from html import unescape

import pytest
import time_machine
from django.apps import apps
from django.core import serializers

from guichet.backoffice import journal
from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import Channel, RequestStatus
from guichet.booking.models import Request, RequestEvent
from guichet.booking.services import expire_unverified_requests
from guichet.observatory.evidence import read_file, store_file
from guichet.observatory.models import Dossier, PersonalTry
from guichet.privacy.models import DossierErasure, Erasure, RetentionRun
from guichet.privacy.retention import (
    ERASED_FIELDS,
    apply_retention,
    retention_date,
    run_daily_retention,
)
from guichet.transparency import opendata
from guichet.transparency.figures import Scope, queue_figures
from guichet.transparency.snapshots import take_snapshots
from tests import factories, queue_history
from tests.queue_history import N, day

# Closed: A6 at N-370, A1 at N-60, A2 at N-10, A3 at N-5, R1 at N-3, R2 at N-2 (their last
# history line). Active: A4 (dated), A5 and R3 (waiting).


@pytest.fixture
def history(db, settings):
    settings.GUICHET_RETENTION = {
        "closed_request_days": 30,
        "unconfirmed_request_days": 7,
        "dossier_days": 365,
    }
    return queue_history.build()


def personal_values(request: Request) -> set[str]:
    """What would name the person in a dump of the database: each identifying field's value."""
    values = {
        str(getattr(request, field))
        for field in ERASED_FIELDS
        if getattr(request, field) not in ("", None)
    }
    return values | {request.access_token}


def whole_database() -> str:
    """Every row of every table, as JSON."""
    return "\n".join(
        serializers.serialize("json", model.objects.all()) for model in apps.get_models()
    )


def appears(value: str, dump: str) -> bool:
    return re.search(rf"(?<![\w@.-]){re.escape(value)}(?![\w@.-])", dump) is not None


def test_the_job_erases_exactly_the_requests_closed_before_the_period(history):
    people = history.people
    kept = {name: personal_values(request) for name, request in people.items()}
    events, lines = RequestEvent.objects.count(), JournalEntry.objects.count()

    assert apply_retention(N) == {"requests": 2, "dossiers": 0}

    erased = {name for name, request in people.items() if Erasure.objects.filter(request=request)}
    assert erased == {"A6", "A1"}  # closed 370 and 60 days ago; A2 closed 10 days ago stays
    dump = whole_database()
    # What only an erased person had (not a nationality or first name others share) is gone
    # from every table; what the others have is all still there.
    still_held = set().union(*(values for name, values in kept.items() if name not in erased))
    for name, values in kept.items():
        for value in values - still_held if name in erased else values:
            assert appears(value, dump) == (name not in erased), (name, value)
    assert {"Diallo1", "Diallo6", "personne1@example.org", "PA0000006"} - still_held
    for name in erased:
        request = Request.objects.get(pk=people[name].pk)
        assert request.family_name == "effacé"
        assert request.email == ""
        assert request.messages.exclude(body="").count() == 0
    # The history is evidence and append-only: every line is still there.
    assert RequestEvent.objects.count() == events
    assert JournalEntry.objects.count() == lines
    # Run again: nothing more is due.
    assert apply_retention(N) == {"requests": 0, "dossiers": 0}


def test_the_period_counts_from_the_last_history_line(history):
    a2 = history.people["A2"]  # no-show recorded at N-10
    assert retention_date(a2) == (day(-10) + datetime.timedelta(days=30)).date()
    apply_retention(day(20) - datetime.timedelta(minutes=1))
    assert not Erasure.objects.filter(request=a2).exists()
    apply_retention(day(20) + datetime.timedelta(minutes=1))
    assert Erasure.objects.filter(request=a2).exists()
    assert retention_date(history.people["A4"]) is None  # still active: kept


def test_published_figures_do_not_move_when_data_is_erased(history, settings):
    settings.GUICHET_RETENTION = {
        "closed_request_days": 0,
        "unconfirmed_request_days": 0,
        "dossier_days": 0,
    }
    scopes = [
        Scope(),
        Scope(history.prefecture.pk),
        Scope(history.prefecture.pk, history.pickup.pk),
    ]
    before = [queue_figures(scope, now=N) for scope in scopes]
    take_snapshots(day(-1))
    csv_before = opendata.as_csv(opendata_snapshots())

    assert apply_retention(N)["requests"] == 6  # every closed request

    assert [queue_figures(scope, now=N) for scope in scopes] == before
    assert opendata.as_csv(opendata_snapshots()) == csv_before


def opendata_snapshots():
    from guichet.transparency.models import Snapshot

    return Snapshot.objects.order_by("day", "department_code", "service_kind")


def test_a_web_request_never_confirmed_goes_sooner(history):
    """Anyone can type anyone's identity on the web: what never entered the queue is kept 7 days
    here, not the 30 of a closed request."""
    web = queue_history.register(history.first, 8, Channel.WEB, day(-12))
    assert expire_unverified_requests(day(-9)) == 1  # more than 48 hours later, unconfirmed
    web.refresh_from_db()
    assert web.status == RequestStatus.EXPIRED
    assert retention_date(web) == day(-2).date()
    apply_retention(N)
    assert Erasure.objects.filter(request=web).exists()
    assert not Erasure.objects.filter(request=history.people["A2"]).exists()  # closed N-10


def test_the_daily_run_happens_once_a_day(history):
    assert run_daily_retention(N) == 2
    assert run_daily_retention(N + datetime.timedelta(hours=1)) == 0
    run = RetentionRun.objects.get()
    assert (run.day, run.requests, run.dossiers) == (N.date(), 2, 0)


def test_agents_see_each_requests_retention_date(history, client):
    agent = factories.make_agent(history.prefecture)
    factories.log_in_agent(client, agent)
    a2, a4 = history.people["A2"], history.people["A4"]
    html = unescape(client.get(f"/agent/demandes/{a2.pk}/").content.decode())
    assert "conservées jusqu'au 13 décembre 2026, puis effacées" in html  # N-10 + 30 days
    html = client.get(f"/agent/demandes/{a4.pk}/").content.decode()
    assert "conservées tant que la demande est en cours" in html
    apply_retention(N)
    html = client.get(f"/agent/demandes/{history.people['A1'].pk}/").content.decode()
    assert "effacées le 23 novembre 2026 (fin de la durée de conservation)" in html


def test_journal_lines_keep_their_facts_without_names(history):
    """An agent's line about a request names it by number only; once the request is erased,
    nothing in the line leads back to the person."""
    agent = factories.make_agent(history.prefecture)
    a1 = history.people["A1"]
    line = journal.log_attendance(agent, a1, attended=True, site="")
    apply_retention(N)
    line.refresh_from_db()
    assert line.request_id == a1.pk
    serialized = json.dumps({"detail": line.detail, "request": str(line.request)})
    for value in personal_values(a1) - {a1.access_token}:
        assert not appears(value, serialized)


def test_a_dossiers_uploads_and_notes_go_after_their_period(
    db, settings, django_capture_on_commit_callbacks
):
    """Files are stored once per content: one still cited by a younger dossier stays. Files
    go once the erasure is committed."""
    settings.GUICHET_RETENTION = {
        "closed_request_days": 365,
        "unconfirmed_request_days": 30,
        "dossier_days": 90,
    }
    target = factories.make_target()

    def dossier_with(files: list[bytes], made: datetime.datetime) -> Dossier:
        with time_machine.travel(made, tick=False):
            dossier = Dossier.objects.create(
                target=target, period_start=made.date(), period_end=made.date()
            )
            for data in files:
                name, digest = store_file(data, "png")
                PersonalTry.objects.create(
                    dossier=dossier,
                    tried_on=made.date(),
                    kind="screenshot",
                    note="Mon nom : Aminata Diallo",
                    file=name,
                    file_sha256=digest,
                )
        return dossier

    old = dossier_with([b"shared", b"old only"], day(-91))
    young = dossier_with([b"shared"], day(-89))
    old_paths = {t.file for t in old.tries.all()}
    shared = next(t.file for t in young.tries.all())

    with django_capture_on_commit_callbacks(execute=True):
        assert apply_retention(N) == {"requests": 0, "dossiers": 1}

    assert list(old.tries.values_list("note", "file")) == [("", ""), ("", "")]
    assert young.tries.get().note == "Mon nom : Aminata Diallo"
    assert read_file(shared) == b"shared"
    assert [read_file(path) for path in old_paths - {shared}] == [None]
    assert DossierErasure.objects.get().dossier == old
