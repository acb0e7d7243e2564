"""In Chromium, on the demo, as a member of an accredited association would: log in with the
password and a TOTP code, file a request for a person under a mandate, follow it, revoke the
mandate, log out. axe-core checks every page; CSRF checks are on."""

import io

import pytest
from django.core.management import call_command

from guichet.associations.demo_members import DEMO_MEMBER
from guichet.associations.models import Mandate
from guichet.backoffice.demo_agents import DEMO_PASSWORD, DEMO_TOTP_SECRET
from guichet.booking.enums import Channel
from guichet.booking.models import Request
from guichet.catalogue.enums import ServiceKind
from guichet.catalogue.models import Service
from tests.browser import Journey

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_demo_member_files_follows_and_revokes_under_a_mandate(live_server, desktop_page):
    printed = io.StringIO()
    call_command("demo", requests_per_prefecture=20, weeks=2, observatory_weeks=0, stdout=printed)
    assert DEMO_MEMBER in printed.getvalue()  # the demo says how to log in as a member
    followed_by_demo = Mandate.objects.live().count()
    assert followed_by_demo > 0
    page = desktop_page
    journey = Journey(page, live_server.url)

    # Sent to the login, and back here afterwards.
    journey.log_in(DEMO_MEMBER, DEMO_TOTP_SECRET, at="/association/", password=DEMO_PASSWORD)
    assert page.locator("tbody tr").count() == followed_by_demo

    page.get_by_role("link", name="Déposer une demande pour une personne").click()
    journey.check()
    first_permit = Service.objects.get(
        prefecture__department_code="94", kind=ServiceKind.FIRST_PERMIT
    )
    page.get_by_label("Motif du rendez-vous").select_option(str(first_permit.pk))
    page.get_by_role("button", name="Choisir ce motif").click()
    journey.check()
    page.get_by_label("Nom de famille").fill("Ndiaye")
    page.get_by_label("Prénoms").fill("Awa")
    page.get_by_label("Date de naissance").fill("1990-07-14")
    page.get_by_label("Nationalité").fill("sénégalaise")
    page.get_by_label("Numéro de passeport ou de document de voyage").fill("12AB34567")
    page.get_by_label("Adresse électronique").fill("awa.ndiaye@example.org")
    page.locator("label", has_text="Formulaire de mandat signé").click()
    page.get_by_label("Fin du mandat").fill("2099-01-01")  # too far: refused, nothing lost
    page.get_by_role("button", name="Déposer la demande et enregistrer le mandat").click()
    journey.check()
    assert "un an au plus" in page.locator("main").inner_text()
    assert page.get_by_label("Nom de famille").input_value() == "Ndiaye"
    ends_on = Mandate.objects.live().first().ends_on  # the demo's own: within a year
    page.get_by_label("Fin du mandat").fill(ends_on.isoformat())
    page.get_by_role("button", name="Déposer la demande et enregistrer le mandat").click()
    page.wait_for_url("**/association/personnes/**")
    journey.check()
    filed = Request.objects.get(email="awa.ndiaye@example.org")
    assert filed.channel == Channel.ASSOCIATION
    assert "Demande enregistrée" in page.locator(".fr-alert").first.inner_text()
    assert filed.number in page.locator("main").inner_text()

    page.get_by_role("link", name="Mes personnes accompagnées").click()
    journey.check()
    page.get_by_role("link", name=filed.number).click()
    journey.check()
    page.get_by_role("button", name="Révoquer ce mandat").click()
    page.wait_for_url(f"{live_server.url}/association/")
    journey.check()
    assert "Mandat révoqué" in page.locator(".fr-alert").first.inner_text()
    assert filed.number not in page.locator("main").inner_text()
    assert not Mandate.objects.live().filter(request=filed).exists()

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/agent/connexion/")
    journey.check()
    assert not journey.refused(), journey.refused()
