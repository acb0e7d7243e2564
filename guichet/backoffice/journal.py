"""The agents' journal: every action on a request or on capacity, for managers to read."""

from django.utils import timezone

from .enums import JournalAction
from .models import JournalEntry


def record(user, action: JournalAction, *, prefecture=None, request=None, **detail) -> JournalEntry:
    """Write one line; `prefecture` defaults to the request's."""
    return JournalEntry.objects.create(
        at=timezone.now(),
        user=user,
        prefecture=prefecture or (request.prefecture if request is not None else None),
        action=action,
        request=request,
        detail=detail,
    )
