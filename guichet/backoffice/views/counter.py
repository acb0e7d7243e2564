"""Agents' pages at the counter: the day's agenda and the check-in screen."""

import collections
import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.booking.enums import RequestStatus
from guichet.booking.services import appointment_of
from guichet.dates import local_time

from ..access import agent_required
from ..counter import (
    Arrival,
    AttendanceRefused,
    day_agenda,
    find_request,
    local_today,
    record_arrival,
    sites_of,
)
from ..forms.counter import AgendaForm, AttendanceForm, LookupForm

# The site the agent last chose: both pages open on it.
SESSION_SITE = "backoffice_site"


def remember_site(request, site) -> None:
    """The agent's site for next time, written to the session only when it changes, not at every
    view of pages agents reload all day (each write an UPDATE and its commit)."""
    if request.session.get(SESSION_SITE) != site.pk:
        request.session[SESSION_SITE] = site.pk


def with_usual_site(request, sites):
    """The query string, with the agent's last site (or the first one) when none is chosen.

    Picked among `sites` themselves, which the form lists next: one query for both."""
    data = request.GET.copy()
    if not data.get("site"):
        remembered = request.session.get(SESSION_SITE)
        usual = next((site for site in sites if site.pk == remembered), next(iter(sites), None))
        if usual is not None:
            data["site"] = str(usual.pk)
    return data


def checkin_url(site, **query) -> str:
    return f"{reverse('backoffice:checkin')}?{urlencode({'site': site.pk, **query})}"


def status_counts(appointments) -> list[tuple[str, int]]:
    """How many people came, missed, or are still expected, in the statuses' order."""
    counts = collections.Counter(appointment.status for appointment in appointments)
    return [(str(status.label), counts[status]) for status in RequestStatus if counts[status]]


@agent_required
def agenda(request):
    sites = sites_of(request.user)
    data = with_usual_site(request, sites)
    form = AgendaForm(data, sites=sites)
    # The day defaults to today on the chosen site's clock.
    site = form.fields["site"].sites.get(data.get("site"))
    if site is not None and not data.get("day"):
        data["day"] = local_today(site.prefecture).isoformat()
    context = {"title": _("Agenda du jour"), "form": form}
    if form.is_valid():
        site, day = form.cleaned_data["site"], form.cleaned_data["day"]
        remember_site(request, site)
        appointments = day_agenda(site, day)
        one_day = datetime.timedelta(days=1)
        agenda_url = reverse("backoffice:agenda")
        context.update(
            site=site,
            day=day,
            appointments=appointments,
            counts=status_counts(appointments),
            # One reversed link for every row, the row's number added after it.
            checkin_number_url=f"{reverse('backoffice:checkin')}?site={site.pk}&number=",
            previous_url=f"{agenda_url}?{urlencode({'site': site.pk, 'day': day - one_day})}",
            next_url=f"{agenda_url}?{urlencode({'site': site.pk, 'day': day + one_day})}",
        )
    return render(request, "backoffice/agenda.html", context)


@agent_required
def checkin(request):
    sites = sites_of(request.user)
    if request.method == "POST":
        return record(request, sites)
    form = LookupForm(with_usual_site(request, sites), sites=sites)
    context = {"title": _("Accueil au guichet"), "form": form}
    if form.is_valid():
        site, typed = form.cleaned_data["site"], form.cleaned_data["number"]
        remember_site(request, site)
        found = find_request(typed, request.user) if typed else None
        if typed and found is None:
            form.add_error(
                "number",
                _(
                    "Aucune demande ne correspond à ce numéro ou à ce QR code. "
                    "Vérifiez la saisie ; rien n'a été enregistré."
                ),
            )
        elif found is not None:
            arrival = Arrival(found, appointment_of(found), site, timezone.now())
            context.update(
                arrival=arrival,
                appointment_when=local_time(
                    arrival.appointment.unit.starts_at, found.prefecture.tz, weekday=True
                )
                if arrival.appointment
                else None,
                # A clean field for the next person's number or QR code.
                form=LookupForm(initial={"site": site.pk}, sites=sites),
                present=AttendanceForm.PRESENT,
                absent=AttendanceForm.ABSENT,
            )
    return render(request, "backoffice/checkin.html", context)


def record(request, sites):
    """Record « présent(e) » or « absent(e) », then back to an empty check-in screen."""
    form = AttendanceForm(request.POST, sites=sites)
    if not form.is_valid():
        messages.error(request, _("Rien n'a été enregistré : recherchez à nouveau la demande."))
        return redirect("backoffice:checkin")
    site, number = form.cleaned_data["site"], form.cleaned_data["number"]
    found = find_request(number, request.user)
    if found is None:
        messages.error(
            request,
            _("Aucune demande ne porte le numéro %(number)s : rien n'a été enregistré.")
            % {"number": number},
        )
        return redirect(checkin_url(site))
    attended = form.cleaned_data["presence"] == AttendanceForm.PRESENT
    arrival = Arrival(found, appointment_of(found), site, timezone.now())
    person = f"{found.family_name.upper()} {found.given_names}"
    try:
        status = record_arrival(arrival, attended=attended, agent=request.user)
    except AttendanceRefused as refusal:
        messages.error(
            request,
            _("Rien n'a été enregistré pour %(person)s (demande %(number)s). %(reason)s")
            % {"person": person, "number": found.number, "reason": refusal},
        )
        return redirect(checkin_url(site, number=found.number))
    if status == (RequestStatus.ATTENDED if attended else RequestStatus.NO_SHOW):
        recorded = _("Présent(e) — reçu(e)") if attended else _("Absent(e)")
        messages.success(
            request,
            _("Enregistré : « %(recorded)s » pour %(person)s (demande %(number)s).")
            % {"recorded": recorded, "person": person, "number": found.number},
        )
    else:
        messages.error(
            request,
            _(
                "Un autre enregistrement vient d'être fait pour %(person)s (demande %(number)s) : "
                "%(status)s."
            )
            % {"person": person, "number": found.number, "status": RequestStatus(status).label},
        )
    return redirect(checkin_url(site))
