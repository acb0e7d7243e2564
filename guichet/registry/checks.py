"""The permit-number check of renewals: a number the registry does not know is held for an agent.

A held request is registered and keeps its registration time; it enters the queue once an agent
accepts it, or is cancelled with a reason told to the person. Nothing is refused silently.
"""

from django.db import transaction
from django.utils import timezone

from guichet.backoffice import journal
from guichet.booking import history
from guichet.booking.enums import RequestStatus
from guichet.booking.identity import normalise_name
from guichet.booking.models import Request
from guichet.booking.services import cancel_request

from .models import PermitRecord


def registry_in_use(prefecture) -> bool:
    """A préfecture that imported no registry checks no number."""
    return PermitRecord.objects.filter(prefecture=prefecture).exists()


def same_person(record: PermitRecord, request: Request) -> bool:
    """Family name and birth date, as written or with other accents, case and spacing.

    Given names are not compared: people often give one of several, in another order.
    """
    return record.birth_date == request.birth_date and normalise_name(
        record.family_name
    ) == normalise_name(request.family_name)


def permit_needs_review(request: Request) -> bool:
    """The service asks for a permit number, the préfecture keeps a registry, and the number is
    not there or belongs to someone else."""
    if not request.service.needs_permit_number or not registry_in_use(request.prefecture):
        return False
    record = registry_entry_for(request)
    return record is None or not same_person(record, request)


def held_requests(prefectures):
    """The review queue: oldest registration first, as the queue itself."""
    return (
        Request.objects.filter(prefecture__in=prefectures, status=RequestStatus.HELD)
        .select_related("prefecture", "service")
        .order_by("registered_at")
    )


def registry_entry_for(request: Request) -> PermitRecord | None:
    """What the registry says of the number given."""
    return PermitRecord.objects.filter(
        prefecture=request.prefecture, permit_number=request.permit_number
    ).first()


def registry_entries_for(requests) -> dict[int, PermitRecord]:
    """request pk -> what the registry says of its number, for the agent to compare; one query."""
    records = {
        (record.prefecture_id, record.permit_number): record
        for record in PermitRecord.objects.filter(
            prefecture__in={request.prefecture_id for request in requests},
            permit_number__in={request.permit_number for request in requests},
        )
    }
    return {
        request.pk: records[key]
        for request in requests
        if (key := (request.prefecture_id, request.permit_number)) in records
    }


def accept_permit(request: Request, user) -> bool:
    """The agent checked the number (a document, another file): the request joins the queue with
    its original registration time."""
    with transaction.atomic():
        accepted = Request.objects.filter(pk=request.pk, status=RequestStatus.HELD).update(
            status=RequestStatus.WAITING
        )
        if accepted:
            history.record(request, history.PermitChecked(by="agent"))
            journal.log_permit_accepted(user, request)
    return bool(accepted)


def reject_permit(request: Request, user, reason: str) -> bool:
    """The number cannot be right: the request is cancelled and the person told why."""
    with transaction.atomic():
        held = Request.objects.select_for_update(of=("self",)).filter(
            pk=request.pk, status=RequestStatus.HELD
        )
        if not held.exists():
            return False
        cancel_request(
            request, by="agent", reason=reason, message="permit_check_rejected", now=timezone.now()
        )
        journal.log_permit_rejected(user, request, reason=reason)
    return True
