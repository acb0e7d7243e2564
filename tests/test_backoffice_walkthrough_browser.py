"""In a real browser: an agent logs in with password and TOTP, types a number as a QR reader
would, receives the person; the journal says who did it."""

import datetime

import pyotp
import pytest
from django.utils import timezone

from guichet.backoffice.enums import JournalAction
from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import Channel, EventKind, RequestStatus
from guichet.booking.services import allocate_service, register_request
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def dated_request():
    prefecture = factories.make_prefecture()
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    factories.make_units(site, service, start, count=1)
    request, _ = register_request(
        service=service, applicant=factories.applicant(), sites=[site], channel=Channel.COUNTER
    )
    allocate_service(service, seed=3)
    request.refresh_from_db()
    assert request.status == RequestStatus.DATED
    return request


def test_agent_logs_in_with_totp_and_checks_a_person_in(live_server, browser_page):
    request = dated_request()
    user = factories.make_agent(request.prefecture, username="agent.martin")
    page = browser_page

    page.goto(f"{live_server.url}/agent/accueil/")
    page.get_by_label("Identifiant").fill("agent.martin")
    page.get_by_label("Mot de passe").fill("mot-de-passe-long-1")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/agent/connexion/code/**")
    page.get_by_label("Code à 6 chiffres").fill(pyotp.TOTP(user.second_factor.secret).now())
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url("**/agent/accueil/")
    # The number field has the focus: a USB QR reader types, then presses Enter.
    page.keyboard.type(request.number.lower())
    page.keyboard.press("Enter")
    page.wait_for_selector("#arrival-title")
    assert request.family_name.upper() in page.inner_text(".counter-identity")
    assert "Ce rendez-vous n'est pas aujourd'hui" in page.inner_text(".counter-warning")

    page.get_by_role("button", name="Présent(e) — reçu(e)").click()
    page.wait_for_selector(".fr-alert--success")

    assert request.number in page.inner_text(".fr-alert--success")
    request.refresh_from_db()
    assert request.status == RequestStatus.ATTENDED
    assert request.events.last().kind == EventKind.ATTENDED
    assert request.events.last().detail == {"by": "agent.martin"}
    entries = JournalEntry.objects.order_by("at", "id")
    assert [(e.user.username, e.action, e.request_id) for e in entries] == [
        ("agent.martin", JournalAction.SIGNED_IN, None),
        ("agent.martin", JournalAction.ATTENDED, request.pk),
    ]
