"""The agenda remembers the agent's site without writing the session on every view: a write
(an UPDATE and its commit) per page view of a page agents reload all day."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


def session_writes(client, path: str, query: dict) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, query).status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("path", ["/agent/", "/agent/accueil/"])
def test_the_site_is_written_to_the_session_only_when_it_changes(client, world, path):
    prefecture, site, _ = world
    other = factories.make_site(prefecture, "Sous-préfecture de Nogent")
    factories.log_in_agent(client, factories.make_agent(prefecture))
    day = {"day": "2026-11-23"} if path == "/agent/" else {}

    assert session_writes(client, path, {"site": site.pk, **day})  # a new choice: remembered
    assert session_writes(client, path, {"site": site.pk, **day}) == []
    assert session_writes(client, path, day) == []  # the remembered site, unchanged
    assert session_writes(client, path, {"site": other.pk, **day})
    assert client.session["backoffice_site"] == other.pk
