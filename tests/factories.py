"""Small builders for tests: a préfecture with one site, one service and a few open units."""

import datetime

from guichet.booking.services import Applicant
from guichet.catalogue.enums import DeadlineKind, ServiceKind, SiteKind
from guichet.catalogue.models import OpeningRule, Prefecture, Service, Site, Unit

# The tests' usual present, and the first unit after the two-day lead time
# (Monday 7 December 2026, 09:00 Paris).
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
FIRST_UNIT = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)
# Every agent's and member's password (make_agent, make_member).
PASSWORD = "mot-de-passe-long-1"


def make_prefecture(code="94", name="Val-de-Marne", time_zone="Europe/Paris", **fields):
    prefecture, _ = Prefecture.objects.get_or_create(
        department_code=code, defaults={"name": name, "time_zone": time_zone, **fields}
    )
    return prefecture


def make_site(prefecture, name="Préfecture", kind=SiteKind.PREFECTURE):
    site, _ = Site.objects.get_or_create(prefecture=prefecture, name=name, defaults={"kind": kind})
    return site


SERVICE_DEFAULTS = {
    ServiceKind.FIRST_PERMIT: ("Première demande", DeadlineKind.NONE, False),
    ServiceKind.RENEWAL: ("Renouvellement", DeadlineKind.PERMIT_EXPIRY, True),
    ServiceKind.NATURALISATION: ("Naturalisation", DeadlineKind.NONE, False),
    ServiceKind.RECEIPT_PICKUP: ("Retrait de récépissé", DeadlineKind.RECEIPT_EXPIRY, False),
    ServiceKind.REGULARISATION: ("Admission exceptionnelle", DeadlineKind.NONE, False),
}


def make_service(prefecture, kind=ServiceKind.FIRST_PERMIT, target_wait_days=60):
    name, deadline_kind, needs_permit_number = SERVICE_DEFAULTS[kind]
    service, _ = Service.objects.get_or_create(
        prefecture=prefecture,
        kind=kind,
        defaults={
            "name": name,
            "deadline_kind": deadline_kind,
            "needs_permit_number": needs_permit_number,
            "target_wait_days": target_wait_days,
            "documents": "Passeport\nJustificatif de domicile",
        },
    )
    return service


def make_one_site_service(kind=ServiceKind.FIRST_PERMIT):
    """A service of the préfecture (94), which has one site."""
    prefecture = make_prefecture()
    make_site(prefecture)
    return make_service(prefecture, kind)


def make_units(site, service, first_start: datetime.datetime, count: int, minutes=20):
    """`count` consecutive units at one desk, from `first_start` (an aware datetime)."""
    step = datetime.timedelta(minutes=minutes)
    return Unit.objects.bulk_create(
        Unit(
            site=site,
            service=service,
            starts_at=first_start + i * step,
            ends_at=first_start + (i + 1) * step,
            desk=1,
        )
        for i in range(count)
    )


def make_opening_rule(site, service, weekday=0, desks=2, opens="09:00", closes="12:00", slot=20):
    return OpeningRule.objects.create(
        site=site,
        service=service,
        weekday=weekday,
        opens_at=datetime.time.fromisoformat(opens),
        closes_at=datetime.time.fromisoformat(closes),
        desks=desks,
        slot_minutes=slot,
    )


def applicant(n=1, **fields):
    """A distinct synthetic person for each n, with their own passport."""
    data = {
        "family_name": f"Diallo{n}",
        "given_names": "Aminata",
        "birth_date": datetime.date(1990, 1, 1) + datetime.timedelta(days=n),
        "nationality": "sénégalaise",
        "passport_number": f"PA{n:07d}",
        "email": f"personne{n}@example.org",
    }
    data.update(fields)
    return Applicant(**data)


def intake_data(service, site, n=1):
    """What the API receives for the n-th person of `applicant` (their name, passport and
    e-mail), asking for `service` at `site`."""
    return {
        "prefecture": service.prefecture.department_code,
        "service": service.pk,
        "family_name": f"Diallo{n}",
        "given_names": "Aminata",
        "birth_date": "1990-05-14",
        "nationality": "sénégalaise",
        "passport_number": f"PA{n:07d}",
        "email": f"personne{n}@example.org",
        "sites": [site.pk],
    }


def renewal_intake(service, /, **fields):
    """What the API receives for a renewal (a permit number, a phone) at every site of the
    service's préfecture; `fields` change or add answers."""
    return {
        "prefecture": service.prefecture.department_code,
        "service": service.pk,
        "family_name": "Diallo",
        "given_names": "Aminata",
        "birth_date": "1990-05-14",
        "nationality": "sénégalaise",
        "permit_number": "1234567890",
        "phone": "06 12 34 56 78",
        "permit_expires_on": "2026-06-30",
        "sites": [site.pk for site in service.prefecture.sites.all()],
        **fields,
    }


def register_at_counter(service, site, n, **fields):
    """A request an agent registered (so already verified): it enters allocation at once."""
    from guichet.booking.enums import Channel
    from guichet.booking.services import register_request

    return register_request(
        service=service, applicant=applicant(n, **fields), sites=[site], channel=Channel.COUNTER
    )[0]


def register_online(service, site=None, n=1, **fields):
    """A request sent on the web (at the préfecture's one site unless `site` says): unverified
    until the person types the code they received."""
    from guichet.booking.services import register_request

    sites = [site or service.prefecture.sites.get()]
    return register_request(service=service, applicant=applicant(n, **fields), sites=sites)[0]


def make_reconfirming_service(slot, units=2):
    """A préfecture (94) whose service asks people to reconfirm their date, with `units` units at
    `slot`, made at NOW: (prefecture, site, service)."""
    import time_machine

    with time_machine.travel(NOW, tick=False):
        prefecture = make_prefecture()
        site = make_site(prefecture)
        service = make_service(prefecture)
        service.needs_reconfirmation = True
        service.save()
        make_units(site, service, slot, units)
    return prefecture, site, service


def make_target():
    """A page the observatory watches: the Val-d'Oise's booking page for permits."""
    from guichet.observatory.models import Target

    return Target.objects.create(
        prefecture="Val-d'Oise", department_code="95", procedure="Titre", url="http://127.0.0.1/"
    )


def make_agent(prefecture=None, role="agent", username=None):
    """A user with an agent profile and a confirmed TOTP secret (`user.second_factor.secret`)."""
    import pyotp
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from guichet.backoffice.models import Agent, SecondFactor

    username = username or f"{role}-{prefecture.department_code if prefecture else 'all'}"
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Agent.objects.create(user=user, prefecture=prefecture, role=role)
    SecondFactor.objects.create(
        user=user, secret=pyotp.random_base32(), confirmed_at=timezone.now()
    )
    return user


def log_in_agent(client, user):
    """Log in with password and second factor done, as the login pages would leave the session."""
    from guichet.backoffice.access import SECOND_FACTOR_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = True
    session.save()
    return client


def date_of(request):
    """When the request's appointment starts, read again from the database (None: no date)."""
    request.refresh_from_db()
    return request.appointment.unit.starts_at if hasattr(request, "appointment") else None


def make_organisation(prefecture, name="La Cimade", **fields):
    """An accredited association working in `prefecture`."""
    from guichet.associations.enums import OrganisationKind
    from guichet.associations.models import Organisation

    organisation = Organisation.objects.create(
        name=name, kind=OrganisationKind.ASSOCIATION, accredited=True, **fields
    )
    organisation.prefectures.add(prefecture)
    return organisation


def make_mandate(member, request, **fields):
    """The member's organisation follows `request` for 90 days from today, on a signed form."""
    from django.utils import timezone

    from guichet.associations.enums import ConsentRecord, MandateScope
    from guichet.associations.models import Mandate

    values = {
        "person_name": "Aminata DIALLO",
        "scope": MandateScope.FOLLOW_ONLY,
        "consent": ConsentRecord.SIGNED_FORM,
        "granted_at": timezone.now(),
        "ends_on": timezone.localdate() + datetime.timedelta(days=90),
    }
    return Mandate.objects.create(
        organisation=member.membership.organisation,
        request=request,
        granted_by=member,
        **{**values, **fields},
    )


def make_member(organisation, username=None):
    """A member's account with a confirmed second factor, as the login pages expect."""
    import pyotp
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from guichet.associations.models import Membership
    from guichet.backoffice.models import SecondFactor

    user = get_user_model().objects.create_user(
        username=username or f"membre-{organisation.pk}", password=PASSWORD
    )
    SecondFactor.objects.create(
        user=user, secret=pyotp.random_base32(), confirmed_at=timezone.now()
    )
    Membership.objects.create(user=user, organisation=organisation)
    return user
