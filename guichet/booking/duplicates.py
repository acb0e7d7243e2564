"""One place per identity, decided when a web request's contact is confirmed; « Ce n'est pas moi ».

A public submission never learns whether its identity already holds a place: it is registered
and answered like any other (`services.register_request`). Once its contact is confirmed it
enters the queue, unless a request of the same identity holds the place already: then it is
closed as a duplicate, its own page says so in neutral words, and the holder is told at the
contact registered with their request, once a day at most however many submissions come. The
person of the duplicate may answer « Ce n'est pas moi »; agents settle it after checking papers
(`guichet.backoffice.duplicates`). docs/decisions/0004-identity-and-duplicates.md says why.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.notifications.services import notify

from . import history
from .enums import RequestStatus
from .models import Dispute, Request
from .services import hold_for_review, queue_status, queued_request_of


def enter_queue(request: Request, now) -> Request | None:
    """Give a confirmed request its identity's place (the queue, or an agent's review first),
    or close it as a duplicate of the request holding that place, which is returned.

    Runs in `confirm_contact`'s transaction with the request locked; when two requests of one
    identity are confirmed at the same instant, the unique constraint lets one in.
    """
    holder = queued_request_of(request.identity_key, request.service_group)
    if holder is None:
        status = queue_status(request)
        try:
            with transaction.atomic():
                Request.objects.filter(pk=request.pk).update(status=status)
        except IntegrityError:
            holder = queued_request_of(request.identity_key, request.service_group)
            if holder is None:
                raise
        else:
            request.status = status
            if status == RequestStatus.HELD:
                hold_for_review(request, at=now)
            return None
    close_as_duplicate(request, holder, now)
    return holder


def close_as_duplicate(request: Request, holder: Request, now) -> None:
    Request.objects.filter(pk=request.pk).update(
        status=RequestStatus.DUPLICATE, duplicate_of=holder
    )
    request.status, request.duplicate_of = RequestStatus.DUPLICATE, holder
    history.record(request, history.DuplicateClosed(), at=now)
    history.record(holder, history.DuplicateSubmission(channel=request.channel), at=now)
    tell_holder(holder, now)


def tell_holder(holder: Request, now=None) -> None:
    """Someone submitted the holder's identity: the holder hears it at their own contact, with
    their link, once a day at most (a day of their préfecture), however many submissions come."""
    now = now or timezone.now()
    day = timezone.localdate(now, holder.prefecture.tz)
    notify(
        holder, "identity_used", event_key=f"identity-used:{holder.pk}:{day.isoformat()}", now=now
    )


def open_dispute(request: Request, *, account: str, proof: str, now=None) -> Dispute | None:
    """« Ce n'est pas moi », from the page of a request closed as a duplicate: once per request.

    It goes to the agents of the contested request's préfecture, who can cancel that request.
    """
    now = now or timezone.now()
    with transaction.atomic():
        request = Request.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if request.status != RequestStatus.DUPLICATE or hasattr(request, "dispute"):
            return None
        contested = request.duplicate_of
        if contested is None:  # closed as a duplicate of nothing: nothing to contest
            return None
        dispute = Dispute.objects.create(
            request=request,
            contested=contested,
            prefecture=contested.prefecture,
            opened_at=now,
            account=account,
            proof=proof,
        )
        history.record(request, history.DisputeOpened(proof=proof), at=now)
    return dispute


def restore(request: Request, now) -> None:
    """The person proved the identity's place was theirs: their request enters the queue with
    its own registration time and deadline, as if it had never been turned away.

    Raises IntegrityError if another request of the identity holds the place meanwhile.
    """
    status = queue_status(request)
    with transaction.atomic():
        Request.objects.filter(pk=request.pk, status=RequestStatus.DUPLICATE).update(status=status)
    request.status = status
    history.record(request, history.DisputeUpheld(), at=now)
    if status == RequestStatus.HELD:
        hold_for_review(request, at=now)
    notify(request, "dispute_upheld", event_key=f"dispute-upheld:{request.pk}", now=now)
