"""Every back-office page, present and future: login, then the code, then only one's préfecture.

The pages are found by walking the `backoffice` URL namespace, so a page added later is checked
too. Object ids in its URL must be named as the convention says (`OBJECT_OF_ANOTHER_PREFECTURE`).
"""

import datetime
import itertools

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from guichet.backoffice import journal
from guichet.backoffice.enums import Role
from guichet.backoffice.models import JournalEntry
from guichet.booking.enums import Channel, RequestStatus
from guichet.booking.models import Appointment, Request
from guichet.booking.services import allocate_service, register_request
from guichet.catalogue.models import Closure, OpeningRule, Unit
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
# Pages anyone may open: they are the way in.
PUBLIC = {"login", "second_factor", "logout"}
# Words that only the Val-de-Marne's data contains: none may appear on a page for the Hérault.
VAL_DE_MARNE_MARKERS = ("VALDEMARNAIS", "Site de Créteil")


def build_prefecture(code, name, family_name, site_name, first_n):
    prefecture = factories.make_prefecture(code, name)
    site = factories.make_site(prefecture, site_name)
    service = factories.make_service(prefecture)
    factories.make_units(site, service, NOW + datetime.timedelta(days=3), count=2)
    rule = factories.make_opening_rule(site, service)
    closure = Closure.objects.create(
        prefecture=prefecture,
        site=site,
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 5, 1),
        reason="Fête du travail",
    )
    requests = [
        register_request(
            service=service,
            applicant=factories.applicant(n, family_name=f"{family_name}{n}"),
            sites=[site],
            channel=Channel.COUNTER,
        )[0]
        for n in range(first_n, first_n + 3)
    ]
    allocate_service(service, seed=5, now=NOW)
    manager = factories.make_agent(prefecture, role=Role.MANAGER)
    journal.log_signed_in(manager, prefecture)
    dated = Request.objects.filter(pk__in=[r.pk for r in requests], status=RequestStatus.DATED)
    waiting = Request.objects.filter(pk__in=[r.pk for r in requests], status=RequestStatus.WAITING)
    assert dated.count() == 2 and waiting.count() == 1
    return {
        "prefecture": prefecture,
        "site": site,
        "service": service,
        "rule": rule,
        "closure": closure,
        "requests": [*dated, *waiting],
        "manager": manager,
    }


@pytest.fixture
def world(settings):
    """Val-de-Marne and Hérault, each with a site, a service, units, rules, closures, two dated
    requests and one waiting, a manager and a journal line."""
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
    settings.GUICHET_SESSION_MAX_HOURS = 10 * 365 * 24  # test_session_limits.py has them
    settings.GUICHET_SESSION_IDLE_MINUTES = 10 * 365 * 24 * 60
    with time_machine.travel(NOW, tick=False):
        return {
            "94": build_prefecture("94", "Val-de-Marne", "Valdemarnais", "Site de Créteil", 1),
            "34": build_prefecture("34", "Hérault", "Heraultais", "Site de Montpellier", 10),
        }


def make_organisation(world):
    from guichet.associations.models import Organisation

    return [Organisation.objects.create(name="Association du Val-de-Marne", kind="association")]


def make_mandate(world):
    from guichet.associations.models import Mandate

    organisation = make_organisation(world)[0]
    request = world["94"]["requests"][0]
    return [
        Mandate.objects.create(
            organisation=organisation,
            request=request,
            person_name=request.family_name,
            scope="file_and_follow",
            consent="signed_form",
            granted_at=NOW,
            granted_by=world["94"]["manager"],
            ends_on=datetime.date(2027, 1, 1),
        )
    ]


def make_permit(world):
    from guichet.registry.models import PermitRecord, RegistryImport

    prefecture = world["94"]["prefecture"]
    batch = RegistryImport.objects.create(
        prefecture=prefecture,
        imported_by=world["94"]["manager"],
        imported_at=NOW,
        file_name="titres.csv",
        sha256="0" * 64,
    )
    return [
        PermitRecord.objects.create(
            prefecture=prefecture,
            permit_number="9400000001",
            family_name="VALDEMARNAIS",
            given_names="Aminata",
            birth_date=datetime.date(1990, 1, 1),
            expires_on=datetime.date(2026, 6, 1),
            imported_at=NOW,
            batch=batch,
        )
    ]


# For each URL kwarg, the Val-de-Marne's objects of that kind (every one is tried).
OBJECT_OF_ANOTHER_PREFECTURE = {
    "request_id": lambda world: world["94"]["requests"],
    "site_id": lambda world: [world["94"]["site"]],
    "service_id": lambda world: [world["94"]["service"]],
    "rule_id": lambda world: [world["94"]["rule"]],
    "closure_id": lambda world: [world["94"]["closure"]],
    "prefecture_id": lambda world: [world["94"]["prefecture"]],
    "organisation_id": make_organisation,
    "mandate_id": make_mandate,
    "permit_id": make_permit,
}


def walk(patterns, kwargs=()):
    for entry in patterns:
        names = (
            (*kwargs, *entry.pattern.converters)
            if hasattr(entry.pattern, "converters")
            else (
                *kwargs,
                *entry.pattern.regex.groupindex,
            )
        )
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, names)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, tuple(names)


def backoffice_pages():
    """(url name, url kwargs) of every page of the back-office namespace, included modules too."""
    _, resolver = get_resolver().namespace_dict["backoffice"]
    return [page for page in walk(resolver.url_patterns) if page[0] not in PUBLIC]


def urls_of_another_prefecture(world, name, kwargs):
    """The page's URLs filled with every combination of the Val-de-Marne's objects."""
    unknown = [kwarg for kwarg in kwargs if kwarg not in OBJECT_OF_ANOTHER_PREFECTURE]
    if unknown:
        pytest.fail(
            f"backoffice:{name} has URL kwargs {unknown} that this test cannot fill: name object "
            f"ids {sorted(OBJECT_OF_ANOTHER_PREFECTURE)}, or add a builder for the new kind here."
        )
    choices = [[obj.pk for obj in OBJECT_OF_ANOTHER_PREFECTURE[k](world)] for k in kwargs]
    return [
        reverse(f"backoffice:{name}", kwargs=dict(zip(kwargs, ids, strict=True)))
        for ids in itertools.product(*choices)
    ]


def any_url(name, kwargs):
    """A URL of the page, whatever its objects: only the way in is checked."""
    return reverse(f"backoffice:{name}", kwargs={kwarg: 1 for kwarg in kwargs})


def hostile_form(world):
    """What an agent of the Hérault could post to reach the Val-de-Marne's objects."""
    val_de_marne = world["94"]
    request = val_de_marne["requests"][0]
    return {
        "site": val_de_marne["site"].pk,
        "sites": val_de_marne["site"].pk,
        "service": val_de_marne["service"].pk,
        "prefecture": val_de_marne["prefecture"].pk,
        "request": request.pk,
        "request_id": request.pk,
        "number": request.number,
        "presence": "absent",
        "day": "2026-03-05",
    }


def val_de_marne_state(world):
    """Everything of the Val-de-Marne a page could change."""
    prefecture = world["94"]["prefecture"]
    requests = Request.objects.filter(prefecture=prefecture)
    return {
        "requests": sorted(requests.values_list("pk", "status", "deadline")),
        "appointments": sorted(
            Appointment.objects.filter(request__in=requests).values_list("request", "unit")
        ),
        "units": Unit.objects.filter(site__prefecture=prefecture).count(),
        "rules": sorted(
            OpeningRule.objects.filter(site__prefecture=prefecture).values_list(
                "pk", "weekday", "desks"
            )
        ),
        "closures": sorted(Closure.objects.filter(prefecture=prefecture).values_list("pk")),
        "journal": JournalEntry.objects.filter(prefecture=prefecture).count(),
    }


def shows_val_de_marne(world, response):
    """The Val-de-Marne's words on the page; not the number posted, which a form may echo."""
    content = response.content.decode()
    numbers = [request.number for request in world["94"]["requests"][1:]]
    return [marker for marker in (*VAL_DE_MARNE_MARKERS, *numbers) if marker in content]


def test_every_page_is_checked():
    names = {name for name, _ in backoffice_pages()}

    assert {"agenda", "checkin", "journal"} <= names


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for name, kwargs in backoffice_pages():
        url = any_url(name, kwargs)
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code == 405:  # this page only answers the other method
                continue
            assert response.status_code == 302, (name, method.__name__)
            assert response["Location"].startswith("/agent/connexion/?next="), name


def test_a_password_only_session_is_sent_to_the_code(client, world):
    client.force_login(world["34"]["manager"])

    for name, kwargs in backoffice_pages():
        url = any_url(name, kwargs)
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code == 405:
                continue
            assert response.status_code == 302, (name, method.__name__)
            assert response["Location"].startswith("/agent/connexion/code/?next="), name


def test_an_herault_manager_is_refused_every_val_de_marne_object(client, world):
    factories.log_in_agent(client, world["34"]["manager"])
    before = val_de_marne_state(world)

    for name, kwargs in backoffice_pages():
        if not kwargs:
            continue
        for url in urls_of_another_prefecture(world, name, kwargs):
            for method in (client.get, client.post):
                response = method(url, hostile_form(world))
                assert response.status_code in (403, 404, 405), (url, method.__name__)
                assert shows_val_de_marne(world, response) == [], url

    assert val_de_marne_state(world) == before


def test_an_herault_manager_sees_nothing_of_the_val_de_marne_on_list_pages(client, world):
    factories.log_in_agent(client, world["34"]["manager"])
    before = val_de_marne_state(world)

    for name, kwargs in backoffice_pages():
        if kwargs:
            continue
        url = reverse(f"backoffice:{name}")
        for method in (client.get, client.post):
            response = method(url, hostile_form(world), follow=True)
            assert response.status_code in (200, 403, 405), (url, method.__name__)
            assert shows_val_de_marne(world, response) == [], (url, method.__name__)

    assert val_de_marne_state(world) == before


def test_the_val_de_marne_manager_does_see_its_own_data(client, world):
    """The markers above are on the pages when one may see them: their absence means something."""
    factories.log_in_agent(client, world["94"]["manager"])
    dated = world["94"]["requests"][0]
    site = world["94"]["site"]

    checkin = client.get("/agent/accueil/", {"site": site.pk, "number": dated.number})
    agenda = client.get("/agent/", {"site": site.pk, "day": "2026-03-05"})

    assert set(shows_val_de_marne(world, checkin)) >= {"VALDEMARNAIS", "Site de Créteil"}
    assert world["94"]["requests"][1].number in shows_val_de_marne(world, agenda)


def test_an_administrator_sees_every_prefecture(client, world):
    admin = factories.make_agent(None, role=Role.ADMINISTRATOR)
    factories.log_in_agent(client, admin)
    dated = world["94"]["requests"][0]

    response = client.get(
        "/agent/accueil/", {"site": world["94"]["site"].pk, "number": dated.number}
    )

    assert "VALDEMARNAIS" in shows_val_de_marne(world, response)


def test_a_plain_agent_is_refused_the_journal(client, world):
    factories.log_in_agent(client, factories.make_agent(world["34"]["prefecture"]))

    assert client.get("/agent/journal/").status_code == 403
