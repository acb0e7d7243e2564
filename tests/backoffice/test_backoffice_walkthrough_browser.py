"""In a real browser, on the demo: a demo agent logs in with password and TOTP, types a demo
appointment's number as a QR reader would, receives the person; the journal says who did it."""

import io

import pytest
from django.core.management import call_command

from guichet.backoffice.demo_agents import DEMO_PASSWORD, DEMO_TOTP_SECRET
from guichet.backoffice.enums import JournalAction
from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import EventKind, RequestStatus
from guichet.booking.models import Request
from tests.browser import Journey

pytestmark = pytest.mark.django_db(transaction=True)


def demo_appointment():
    """`guichet demo`, small: a dated appointment of Val-de-Marne, the demo manager's préfecture."""
    call_command(
        "demo",
        requests_per_prefecture=20,
        weeks=2,
        observatory_weeks=0,
        stdout=io.StringIO(),
    )
    request = (
        Request.objects.filter(prefecture__department_code="94", status=RequestStatus.DATED)
        .order_by("appointment__unit__starts_at")
        .first()
    )
    assert request is not None
    return request


def test_a_demo_agent_logs_in_with_totp_and_checks_a_demo_appointment_in(live_server, browser_page):
    request = demo_appointment()
    page = browser_page

    journey = Journey(page, live_server.url, audit=False)
    journey.log_in("chef.94", DEMO_TOTP_SECRET, at="/agent/accueil/", password=DEMO_PASSWORD)
    # The number field takes the focus (wait for it, as an agent sees the screen before scanning);
    # then a USB QR reader types and presses Enter.
    page.wait_for_function("document.activeElement && document.activeElement.name === 'number'")
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
    assert request.events.last().detail == {"by": "chef.94"}
    entries = JournalEntry.objects.order_by("at", "id")
    assert [(e.user.username, e.action, e.request_id) for e in entries] == [
        ("chef.94", JournalAction.SIGNED_IN, None),
        ("chef.94", JournalAction.ATTENDED, request.pk),
    ]
