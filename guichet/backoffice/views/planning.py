"""Capacity planning pages: the préfecture's rules and closures; propose, preview, apply."""

import hashlib

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from guichet.catalogue.models import Closure, OpeningRule

from .. import planning
from ..access import agent_required, prefecture_or_403, prefectures_of
from ..enums import Role
from ..forms.planning import CHANGE_FORMS

TITLES = {
    "session": gettext_lazy("Ajouter une séance exceptionnelle"),
    "rule": gettext_lazy("Ajouter une règle d'ouverture"),
    "closure": gettext_lazy("Ajouter une fermeture"),
}


def chosen_prefecture(request):
    """The préfecture in the query string, else the agent's own (an administrator's first)."""
    chosen = request.GET.get("prefecture") or request.agent.prefecture_id
    if chosen is None:
        first = prefectures_of(request.user).first()
        if first is None:
            raise Http404
        return first
    if not str(chosen).isdigit():
        raise Http404
    return prefecture_or_403(request.user, chosen)


def planning_url(name: str, prefecture, **kwargs) -> str:
    return f"{reverse(name, kwargs=kwargs)}?prefecture={prefecture.pk}"


@agent_required
def planning_list(request):
    prefecture = chosen_prefecture(request)
    today = timezone.localdate(timezone=prefecture.tz)
    rules = (
        OpeningRule.objects.filter(site__prefecture=prefecture)
        .exclude(valid_until__lt=today)
        .select_related("site", "service")
        .order_by("site", "service", "valid_from", "weekday", "opens_at")
    )
    closures = Closure.objects.filter(prefecture=prefecture, ends_on__gte=today).select_related(
        "site"
    )
    return render(
        request,
        "backoffice/planning/list.html",
        {
            "title": _("Capacité d'accueil"),
            "prefecture": prefecture,
            "rules": rules,
            "closures": closures,
            "can_change": request.agent.has_role(Role.MANAGER),
            "change_links": [
                (TITLES[kind], planning_url(f"backoffice:planning_{kind}", prefecture))
                for kind in TITLES
            ],
        },
    )


def fingerprint(form) -> str:
    """The proposed values, so that only a change whose effect was shown can be applied.

    Keeping the appointments a closure falls on is the one choice made after seeing the effect.
    """
    values = [
        f"{name}={form.data.get(name, '')}" for name in form.fields if name != "keep_appointments"
    ]
    return hashlib.sha256("\n".join(values).encode()).hexdigest()


@agent_required(role=Role.MANAGER)
def planning_change(request, kind):
    prefecture = chosen_prefecture(request)
    form_class = CHANGE_FORMS[kind]
    effect = None
    if request.method != "POST":
        form = form_class(prefecture=prefecture)
    else:
        form = form_class(request.POST, prefecture=prefecture)
        if form.is_valid():
            change = form.instance
            shown = request.POST.get("previewed") == fingerprint(form)
            if "apply" in request.POST and shown:
                try:
                    applied = planning.apply(
                        prefecture,
                        change,
                        request.user,
                        keep_appointments=form.cleaned_data.get("keep_appointments", False),
                    )
                except planning.AppointmentsOnClosure:
                    messages.error(
                        request,
                        _(
                            "Des personnes ont déjà un rendez-vous ces jours-là : cochez la case "
                            "pour les maintenir, ou choisissez d'autres jours."
                        ),
                    )
                else:
                    messages.success(request, applied_message(applied))
                    return redirect(planning_url("backoffice:planning", prefecture))
            elif "apply" in request.POST:
                messages.warning(
                    request,
                    _("Les valeurs ont changé : vérifiez leur effet avant d'appliquer."),
                )
            effect = planning.preview(prefecture, change)
    return render(
        request,
        "backoffice/planning/change.html",
        {
            "title": TITLES[kind],
            "kind": kind,
            "prefecture": prefecture,
            "form": form,
            "effect": effect,
            "previewed": fingerprint(form) if effect else "",
            "action_url": planning_url(f"backoffice:planning_{kind}", prefecture),
            "back_url": planning_url("backoffice:planning", prefecture),
        },
    )


def applied_message(applied: planning.Applied) -> str:
    """Each count agrees with its noun: « 1 créneau ouvert », « 5 créneaux ouverts »."""
    counts = [
        ngettext("%(n)d créneau ouvert", "%(n)d créneaux ouverts", applied.units_opened)
        % {"n": applied.units_opened},
        ngettext("%(n)d retiré", "%(n)d retirés", applied.units_withdrawn)
        % {"n": applied.units_withdrawn},
        ngettext("%(n)d demande datée", "%(n)d demandes datées", applied.dated)
        % {"n": applied.dated},
        ngettext(
            "%(n)d proposition de date plus proche envoyée",
            "%(n)d propositions de date plus proche envoyées",
            applied.offers,
        )
        % {"n": applied.offers},
    ]
    return _("Changement appliqué : %(counts)s.") % {"counts": ", ".join(counts)}
