"""The agenda's badges: each row's status and dossier, coloured by what they mean at the counter,
as the check-in screen shows them."""

import datetime
import zoneinfo

import pytest
from selectolax.lexbor import LexborHTMLParser

from guichet.booking.models import Appointment, Request
from guichet.booking.services import allocate_service
from guichet.documents.models import Document, Dossier
from guichet.documents.services import dossier_of
from tests import factories
from tests.documents_space import with_list
from tests.factories import NOW

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DAY = NOW.date() + datetime.timedelta(days=14)

# Each row: its request's status, its documents' states (None: no dossier), whether the person
# brings everything on the day; then the badges expected, colour and text.
ROWS = [
    ("dated", None, False, "info", "Rendez-vous fixé", None),
    ("attended", ["accepted", "accepted", "not_concerned"], False, "success", "Reçue au guichet",
     ("success", "Dossier complet")),
    ("no_show", ["sent", "sent", "expected"], False, "error", "Absente au rendez-vous",
     ("info", "Documents à vérifier : 2")),
    ("paused", ["expected"] * 3, True, "warning",
     "En pause : rendez-vous libéré faute de confirmation",
     ("warning", "Documents apportés le jour même")),
    ("cancelled", ["redo", "accepted", "missing"], False, "info", "Annulée",
     ("warning", "Dossier incomplet")),
]  # fmt: skip


NOT_COLOURS = {"fr-badge--sm", "fr-badge--no-icon"}


def colour_of(badge) -> str:
    """« success » for a badge of class fr-badge--success: its one colour."""
    names = badge.attributes["class"].split()
    (colour,) = [n for n in names if n.startswith("fr-badge--") and n not in NOT_COLOURS]
    return colour.removeprefix("fr-badge--")


def test_each_row_shows_its_status_and_its_dossier_as_badges(client, clock):
    prefecture = factories.make_prefecture()
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture)
    with_list(service)
    first = datetime.datetime.combine(DAY, datetime.time(9), tzinfo=PARIS)
    factories.make_units(site, service, first, len(ROWS), minutes=15)
    for n in range(len(ROWS)):
        factories.register_at_counter(service, site, n)
    allocate_service(service, seed=1, now=NOW)
    appointments = Appointment.objects.select_related("request").order_by("unit__starts_at")
    for appointment, (status, states, bring, *_) in zip(appointments, ROWS, strict=True):
        Request.objects.filter(pk=appointment.request_id).update(status=status)
        if states is not None:
            dossier = dossier_of(appointment.request)
            Dossier.objects.filter(pk=dossier.pk).update(bring_on_the_day=bring)
            documents = dossier.documents.order_by("requirement__position")
            for document, state in zip(documents, states, strict=True):
                Document.objects.filter(pk=document.pk).update(state=state)
    factories.log_in_agent(client, factories.make_agent(prefecture))

    response = client.get("/agent/", {"site": site.pk, "day": DAY.isoformat()})

    rows = LexborHTMLParser(response.content).css("table tbody tr")
    shown = []
    for row in rows:
        status_cell, documents_cell = row.css("td")[5], row.css("td")[7]
        status = status_cell.css_first("p.fr-badge.fr-badge--sm.fr-badge--no-icon")
        summary = documents_cell.css_first("span.fr-badge.fr-badge--sm.dossier-summary")
        shown.append(
            (
                colour_of(status),
                status.text(),
                summary and (colour_of(summary), summary.text()),
            )
        )
    assert shown == [(colour, text, summary) for *_, colour, text, summary in ROWS]
