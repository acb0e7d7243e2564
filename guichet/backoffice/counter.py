"""The counter's rules: what an agent may see, the day's agenda, and receiving a person.

Every query goes through `access.prefectures_of(user)`, or `own_prefecture(user)` when that is one
préfecture: an agent sees their préfecture only.
"""

import dataclasses
import datetime
import re
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import QuerySet
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from guichet.booking.enums import RequestStatus
from guichet.booking.models import Appointment, Request
from guichet.booking.receipts import check_receipt
from guichet.booking.services import record_attendance
from guichet.catalogue.models import Prefecture, Site

from . import journal
from .access import own_prefecture, prefectures_of
from .planning import day_bounds

# The part of a request number after the department code (see `new_request_number`).
NUMBER_BODY_LENGTH = 8
# Letters that Crockford's base 32 leaves out because they read like digits.
LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def sites_of(user) -> QuerySet[Site]:
    """The sites this user may see, each with its préfecture: an agent's came with them, so their
    sites are read alone (no subquery, no join; one préfecture: in the order of their ids)."""
    own = own_prefecture(user)
    if own is not None:
        return own.sites.order_by("pk")
    return Site.objects.filter(prefecture__in=prefectures_of(user)).select_related("prefecture")


def local_today(prefecture: Prefecture, now=None) -> datetime.date:
    """Today on the préfecture's clock: overseas counters open on their own day."""
    return timezone.localdate(now or timezone.now(), prefecture.tz)


@dataclasses.dataclass(frozen=True)
class AgendaRow:
    """One appointment of the day as the agenda shows it, its texts written once here: an
    agenda has a hundred rows and more, each filter or tag of its template run per row."""

    time: str  # « 09:20 » on the préfecture's clock
    desk: int
    request_id: int
    number: str
    person: str  # « FAMILY Given names »
    service: str
    status: str
    status_label: str
    language: str  # the person's language, named in the agent's


def day_agenda(site: Site, day: datetime.date) -> list[AgendaRow]:
    """The appointments of one site on one local day, in the order people are expected: in one
    query of the columns shown, however many they are."""
    opens, closes = day_bounds(site.prefecture, day, day)
    tz = site.prefecture.tz
    found = (
        Appointment.objects.filter(
            unit__site=site, unit__starts_at__gte=opens, unit__starts_at__lt=closes
        )
        .order_by("unit__starts_at", "unit__desk")
        .values_list(
            "unit__starts_at",
            "unit__desk",
            "request_id",
            "request__number",
            "request__family_name",
            "request__given_names",
            "request__service__name",
            "request__status",
            "request__language",
        )
    )
    # Each status and language named once, those of the day only.
    statuses: dict[str, str] = {}
    languages: dict[str, str] = {}
    rows = []
    for starts_at, desk, request_id, number, family, given, service, status, language in found:
        if status not in statuses:
            statuses[status] = str(RequestStatus(status).label)
        if language not in languages:
            languages[language] = str(get_language_info(language)["name_translated"])
        rows.append(
            AgendaRow(
                time=starts_at.astimezone(tz).strftime("%H:%M"),
                desk=desk,
                request_id=request_id,
                number=number,
                person=f"{family.upper()} {given}",
                service=service,
                status=status,
                status_label=statuses[status],
                language=languages[language],
            )
        )
    return rows


def normalise_request_number(typed: str) -> str:
    """« 94 abcd efgh », « 94-ABCD-EFGH » or « 94ABCDEFGH »: the same number, as printed."""
    compact = re.sub(r"[^0-9A-Z]", "", typed.upper())
    department, body = compact[:-NUMBER_BODY_LENGTH], compact[-NUMBER_BODY_LENGTH:]
    if not department:
        return compact
    body = body.translate(LOOKALIKES)
    return f"{department}-{body[:4]}-{body[4:]}"


def receipt_token_in(typed: str) -> str | None:
    """The signed token of a receipt's QR code, whether the scanner typed the link or the token."""
    text = typed.strip()
    if "/" in text:
        try:
            match = resolve(urlsplit(text).path)
        except Resolver404:
            return None
        return match.kwargs["signed"] if match.view_name == "booking:verify" else None
    # A request number never holds a ".", a signed token always does.
    return text if "." in text else None


def find_request(typed: str, user) -> Request | None:
    """The request an agent typed, pasted or scanned: its number, or its receipt's QR code."""
    token = receipt_token_in(typed)
    if token is not None:
        found = check_receipt(token)
        number = found.number if found else None
    else:
        number = normalise_request_number(typed)
    if not number:
        return None
    return (
        Request.objects.filter(prefecture__in=prefectures_of(user), number=number)
        .select_related("prefecture", "service")
        .first()
    )


@dataclasses.dataclass(frozen=True)
class Arrival:
    """A person at the counter of `site`, at `now`, with their request: what to check first."""

    request: Request
    appointment: Appointment | None
    site: Site | None
    now: datetime.datetime

    @property
    def appointment_day(self) -> datetime.date | None:
        if self.appointment is None:
            return None
        return timezone.localdate(self.appointment.unit.starts_at, self.request.prefecture.tz)

    @property
    def is_expected_today(self) -> bool:
        return self.appointment_day == local_today(self.request.prefecture, self.now)

    @property
    def is_at_another_site(self) -> bool:
        if self.appointment is None or self.site is None:
            return False
        return self.appointment.unit.site_id != self.site.pk

    @property
    def awaits_attendance(self) -> bool:
        """Nobody recorded yet whether the person came."""
        return self.appointment is not None and self.request.status == RequestStatus.DATED

    @property
    def may_be_marked_absent(self) -> bool:
        """Nobody is absent before their appointment has begun."""
        appointment = self.appointment
        return (
            self.awaits_attendance
            and appointment is not None
            and self.now >= appointment.unit.starts_at
        )


class AttendanceRefused(Exception):
    """Nothing was recorded; the message says why, for the agent."""


def record_arrival(arrival: Arrival, *, attended: bool, agent) -> str:
    """Record that the person came, or did not, in the journal too; returns the status afterwards.

    Another agent may have recorded it a moment before: the status afterwards says what stands,
    and only the recording that changed it is journaled.
    """
    if arrival.appointment is None:
        raise AttendanceRefused(_("Cette demande n'a pas de rendez-vous."))
    if not arrival.awaits_attendance:
        raise AttendanceRefused(
            _("C'est déjà enregistré : %(status)s.")
            % {"status": arrival.request.get_status_display()}
        )
    if not (attended or arrival.may_be_marked_absent):
        raise AttendanceRefused(
            _("Le rendez-vous n'a pas encore commencé : la personne ne peut pas être absente.")
        )
    with transaction.atomic():
        # Locked: of two agents recording at once, one records and the other sees what stands.
        status = (
            Request.objects.select_for_update(of=("self",))
            .values_list("status", flat=True)
            .get(pk=arrival.request.pk)
        )
        if status != RequestStatus.DATED:
            return status
        record_attendance(
            arrival.request, attended=attended, by=agent.get_username(), now=arrival.now
        )
        site = arrival.site.name if arrival.site else ""
        journal.log_attendance(agent, arrival.request, attended=attended, site=site)
    return RequestStatus.ATTENDED if attended else RequestStatus.NO_SHOW
