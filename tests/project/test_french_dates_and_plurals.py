"""French as people read it: « 1er décembre », and « 1 créneau » but « 5 créneaux »."""

import datetime
import re
import zoneinfo

import pypdfium2
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.backoffice.planning import Applied
from guichet.backoffice.views.planning import applied_message
from guichet.booking import validation
from guichet.booking.enums import Channel
from guichet.booking.services import allocate_service, set_preferences
from guichet.catalogue.capacity import open_capacity
from guichet.catalogue.enums import ServiceKind
from guichet.notifications import services as notifications
from tests import factories
from tests.applicant_space import dated, register, text_of, url
from tests.factories import NOW
from tests.registry.test_registry_import import permit_row, permits_csv

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Tuesday 1 and Wednesday 2 December 2026, 09:00 in Paris.
FIRST = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
SECOND = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=PARIS)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


# « 1er » for the first of a month


@pytest.mark.parametrize(
    ("start", "said"),
    [(FIRST, "mardi 1er décembre 2026 à 09:00"), (SECOND, "mercredi 2 décembre 2026 à 09:00")],
)
def test_the_status_page_says_1er_only_on_the_first_of_the_month(client, start, said):
    request = dated(start=start)

    text = text_of(client.get(url("status", request)))

    assert said in text
    assert "1 décembre" not in text


def test_the_receipt_pdf_says_1er_decembre(client):
    request = dated(start=FIRST)

    pdf = pypdfium2.PdfDocument(client.get(url("receipt_pdf", request)).content)
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)

    assert "1er décembre 2026 à 09:00" in text
    assert "1 décembre" not in text


def test_the_appointment_email_says_1er_in_french_and_1_in_english():
    french = register(n=1, channel=Channel.COUNTER)
    english = register(n=2, channel=Channel.COUNTER)
    set_preferences(english, accepts_offers=True, language="en")
    factories.make_units(french.sites.get(), french.service, FIRST, count=2)
    allocate_service(french.service, seed=1)

    notifications.send_due_messages(NOW)

    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "mardi 1er décembre 2026 à 09:" in bodies[french.email]
    assert "Tuesday 1 December 2026, 09:" in bodies[english.email]


def test_the_agenda_of_the_first_of_the_month_says_1er(client, settings):
    prefecture = factories.make_prefecture()
    site = factories.make_site(prefecture)
    factories.log_in_agent(client, factories.make_agent(prefecture))

    page = client.get(reverse("backoffice:agenda"), {"site": site.pk, "day": "2026-12-01"})

    assert "Mardi 1er décembre 2026" in text_of(page)


def test_a_waiting_request_whose_deadline_is_the_first_of_the_month_says_1er(client):
    request = register(
        channel=Channel.COUNTER,
        kind=ServiceKind.RENEWAL,
        permit_number="9400000001",
        permit_expires_on=datetime.date(2027, 1, 1),
    )

    text = text_of(client.get(url("status", request)))

    assert "L'échéance retenue pour votre demande est le 1er janvier 2027." in text


# Plurals that agree with their number


def test_the_applied_change_counts_agree_with_their_nouns():
    assert applied_message(Applied(units_opened=1, units_withdrawn=1, dated=1, offers=1)) == (
        "Changement appliqué : 1 créneau ouvert, 1 retiré, 1 demande datée, "
        "1 proposition de date plus proche envoyée."
    )
    assert applied_message(Applied(units_opened=5, units_withdrawn=5, dated=5, offers=5)) == (
        "Changement appliqué : 5 créneaux ouverts, 5 retirés, 5 demandes datées, "
        "5 propositions de date plus proche envoyées."
    )


@pytest.mark.parametrize(
    ("permits", "said"),
    [
        (1, "1 titre ajouté, 0 modifiés, 0 inchangés, 0 lignes refusées ; 0 convocations."),
        (5, "5 titres ajoutés, 0 modifiés, 0 inchangés, 0 lignes refusées ; 0 convocations."),
    ],
)
def test_the_registry_import_summary_agrees_with_its_counts(client, permits, said):
    prefecture = factories.make_prefecture()
    factories.log_in_agent(client, factories.make_agent(prefecture, role="manager"))
    far = datetime.date(2028, 6, 1)  # Too far to invite anyone yet.
    rows = [permit_row(n, far) for n in range(permits)]

    page = client.post(
        reverse("backoffice:registry_upload"),
        {"prefecture": prefecture.pk, "file": permits_csv(rows)},
        follow=True,
    )

    assert f"Import de « registre.csv » : {said}" in text_of(page)


@pytest.mark.parametrize(
    ("typed", "said"), [("1", "(vous avez saisi 1 caractère)"), ("12345", "5 caractères")]
)
def test_a_short_permit_number_is_told_in_agreeing_words(typed, said):
    service = factories.make_service(factories.make_prefecture(), ServiceKind.RENEWAL)
    context = validation.IntakeContext(prefecture=service.prefecture, service=service)

    with pytest.raises(ValidationError) as refused:
        validation.clean_permit_number(typed, context)

    assert said in refused.value.messages[0]


def test_a_closure_that_leaves_one_date_says_so_in_the_singular(client):
    """One unit a Monday: closing all Mondays but the last leaves one date instead of several."""
    prefecture = factories.make_prefecture(horizon_weeks=4)
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture)
    factories.make_opening_rule(site, service, weekday=0, desks=1, opens="09:00", closes="09:20")
    open_capacity(prefecture)
    mondays = sorted(service.units.values_list("starts_at", flat=True))
    for n in range(len(mondays) + 1):
        factories.register_at_counter(service, site, n)
    factories.log_in_agent(client, factories.make_agent(prefecture, role="manager"))
    last_closed = mondays[-2].astimezone(PARIS).date()

    preview = client.post(
        f"{reverse('backoffice:planning_closure')}?prefecture={prefecture.pk}",
        {"starts_on": "2026-11-24", "ends_on": last_closed.isoformat(), "reason": "Travaux"},
    )

    said = re.search(
        r"Avec ce changement, 1 demande recevrait une date au lieu de (\d+)\.", text_of(preview)
    )
    assert said and int(said.group(1)) > 1
