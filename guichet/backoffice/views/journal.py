"""The journal: every agent action in a manager's préfectures, for managers only."""

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..access import agent_required, prefectures_of
from ..counter import normalise_request_number
from ..enums import Role
from ..forms.journal import JournalFilterForm
from ..journal import describe
from ..models import JournalEntry

JOURNAL_PAGE_SIZE = 50


@agent_required(role=Role.MANAGER)
def journal(request):
    """Every agent action in the manager's préfecture, newest first, filtered and paginated."""
    prefectures = prefectures_of(request.user)
    entries = JournalEntry.objects.filter(prefecture__in=prefectures)
    users = (
        get_user_model()
        .objects.filter(pk__in=entries.values("user").distinct())
        .order_by("username")
    )
    actions = entries.order_by("action").values_list("action", flat=True).distinct()
    form = JournalFilterForm(request.GET, users=users, actions=actions)
    if form.is_valid():
        chosen = form.cleaned_data
        if chosen["agent"]:
            entries = entries.filter(user_id=chosen["agent"])
        if chosen["action"]:
            entries = entries.filter(action=chosen["action"])
        if chosen["number"]:
            entries = entries.filter(request__number=normalise_request_number(chosen["number"]))
        if chosen["day"]:
            entries = entries.filter(at__date=chosen["day"])
    else:
        entries = entries.none()
    page = Paginator(
        entries.select_related("user", "request", "prefecture"), JOURNAL_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": _("Journal des actions"),
        "form": form,
        "page": page,
        "lines": describe(page.object_list),
        "query": query.urlencode(),
        "many_prefectures": prefectures.count() > 1,
    }
    return render(request, "backoffice/journal.html", context)
