"""The journal: managers read their préfecture's lines; nobody changes or deletes one, anywhere."""

import datetime

import pytest
import time_machine
from django.contrib.admin.sites import site as admin_site
from selectolax.lexbor import LexborHTMLParser

from guichet.append_only import AppendOnlyError
from guichet.backoffice import journal
from guichet.backoffice.enums import JournalAction, Role
from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import Channel
from guichet.booking.services import register_request
from tests import factories

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
NEXT_DAY = MORNING + datetime.timedelta(days=1)


@pytest.fixture
def lines():
    """In the Val-de-Marne: a login and a recording by an agent, a login by the manager the next
    day; in the Hérault: one line."""
    val_de_marne = factories.make_prefecture("94")
    herault = factories.make_prefecture("34", "Hérault")
    site = factories.make_site(val_de_marne)
    service = factories.make_service(val_de_marne)
    agent = factories.make_agent(val_de_marne, username="agent.durand")
    manager = factories.make_agent(val_de_marne, role=Role.MANAGER, username="chef.94")
    elsewhere = factories.make_agent(herault, role=Role.MANAGER, username="chef.34")
    request, _ = register_request(
        service=service, applicant=factories.applicant(), sites=[site], channel=Channel.COUNTER
    )
    with time_machine.travel(MORNING, tick=False):
        journal.log_signed_in(agent, val_de_marne)
        journal.log_attendance(agent, request, attended=True, site=site.name)
        journal.log_signed_in(elsewhere, herault)
    with time_machine.travel(NEXT_DAY, tick=False):
        journal.log_signed_in(manager, val_de_marne)
    return {"request": request, "agent": agent, "manager": manager, "elsewhere": elsewhere}


def rows(client, **query):
    response = client.get("/agent/journal/", query)
    assert response.status_code == 200
    page = LexborHTMLParser(response.content)
    return [
        [" ".join(cell.text().split()) for cell in row.css("td")]
        for row in page.css("table.journal tbody tr")
    ]


def test_a_manager_reads_the_prefectures_lines_newest_first(client, lines):
    factories.log_in_agent(client, lines["manager"])

    shown = rows(client)

    assert [(row[1], row[2]) for row in shown] == [
        ("chef.94", "connexion"),
        ("agent.durand", "présence enregistrée"),
        ("agent.durand", "connexion"),
    ]
    assert shown[1][3] == lines["request"].number
    assert shown[0][0] == "03/03/2026 09:00:00"  # Paris time


def test_filters_by_agent_action_number_and_day(client, lines):
    factories.log_in_agent(client, lines["manager"])
    agent = lines["agent"]

    by_agent = rows(client, agent=agent.pk)
    by_action = rows(client, action=JournalAction.SIGNED_IN)
    typed = lines["request"].number.lower().replace("-", " ")
    by_number = rows(client, number=typed)
    by_day = rows(client, day="2026-03-03")

    assert {row[1] for row in by_agent} == {"agent.durand"} and len(by_agent) == 2
    assert [row[1] for row in by_action] == ["chef.94", "agent.durand"]
    assert [row[2] for row in by_number] == ["présence enregistrée"]
    assert [row[1] for row in by_day] == ["chef.94"]


def test_the_journal_is_paginated(client, lines, monkeypatch):
    monkeypatch.setattr("guichet.backoffice.views.journal.JOURNAL_PAGE_SIZE", 2)
    factories.log_in_agent(client, lines["manager"])

    first, second = rows(client), rows(client, page=2)

    assert [row[1] for row in first + second] == ["chef.94", "agent.durand", "agent.durand"]


def test_a_line_cannot_be_changed_or_deleted(lines):
    entry = JournalEntry.objects.filter(request=lines["request"]).get()

    entry.action = "rien"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()

    entry.refresh_from_db()
    assert entry.action == JournalAction.ATTENDED


def test_the_admin_only_reads_the_journal(client, lines):
    administrator = factories.make_agent(None, role=Role.ADMINISTRATOR)
    factories.log_in_agent(client, administrator)
    entry = JournalEntry.objects.filter(request=lines["request"]).get()
    model_admin = admin_site._registry[JournalEntry]

    class AdminRequest:
        user = administrator

    assert not model_admin.has_add_permission(AdminRequest())
    assert not model_admin.has_change_permission(AdminRequest(), entry)
    assert not model_admin.has_delete_permission(AdminRequest(), entry)
    assert client.get("/admin/backoffice/journalentry/").status_code == 200
    assert client.get("/admin/backoffice/journalentry/add/").status_code == 403
    assert client.get(f"/admin/backoffice/journalentry/{entry.pk}/delete/").status_code == 403
    response = client.post(
        f"/admin/backoffice/journalentry/{entry.pk}/change/", {"action": "effacé"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == JournalAction.ATTENDED
    assert JournalEntry.objects.count() == 4


def test_only_administrators_manage_agents_in_the_admin(client, lines, django_user_model):
    staff_manager = lines["manager"]
    staff_manager.is_staff = True
    staff_manager.save()
    administrator = factories.make_agent(None, role=Role.ADMINISTRATOR)

    factories.log_in_agent(client, staff_manager)
    assert client.get("/admin/backoffice/agent/").status_code == 403
    factories.log_in_agent(client, administrator)
    assert client.get("/admin/backoffice/agent/").status_code == 200
