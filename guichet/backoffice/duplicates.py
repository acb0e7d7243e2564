"""What agents do about identities, after checking papers: settle « Ce n'est pas moi », cancel a
request with a reason, merge two requests of one person, put a paused request back in line. Each
action is journaled; the views give them only requests and disputes of the agent's préfectures
(`access.prefectures_of`).

docs/decisions/0004-identity-and-duplicates.md says why these rules.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.booking import duplicates, history, offers
from guichet.booking.enums import QUEUED_STATUSES, DisputeStatus, EventKind
from guichet.booking.models import Dispute, Request
from guichet.booking.reminders import resume_paused
from guichet.booking.services import cancel_request
from guichet.catalogue.models import Unit
from guichet.notifications.services import notify

from . import journal

# Lines other apps add to what agents compare on a request's page, as (label, function of the
# request): how long its personal data is kept (privacy/apps.py). The back-office does not import
# the apps above it.
MORE_FACTS: list[tuple[str, Callable[[Request], str]]] = []


class ActionRefused(Exception):
    """Why nothing was done, in French, for the agent."""


def open_disputes(prefectures) -> QuerySet[Dispute]:
    """Disputes waiting for an agent, oldest first, with both requests."""
    return (
        Dispute.objects.filter(prefecture__in=prefectures, status=DisputeStatus.OPEN)
        .select_related(
            "request__prefecture",
            "request__service",
            "contested__prefecture",
            "contested__service",
        )
        .order_by("opened_at", "id")
    )


def uphold_dispute(dispute: Dispute, user, note: str, now=None) -> None:
    """The papers show the contested request was made with the person's identity by someone
    else: it is cancelled and its person told why; the person's own request enters the queue
    with its own registration time and deadline, and they are told too. A date the contested
    request held is then offered down the queue as any freed unit, the person now in it."""
    now = now or timezone.now()
    with transaction.atomic():
        dispute = settle(dispute)
        restored = dispute.request
        contested = Request.objects.select_for_update(of=("self",)).get(pk=dispute.contested_id)
        freed = Unit.objects.filter(appointment__request=contested).first()
        cancel_request(
            contested,
            by="agent",
            reason=_(
                "après vérification des documents, cette demande a été faite avec l'identité "
                "d'une autre personne."
            ),
            message="request_cancelled_by_prefecture",
            reoffer=False,
            now=now,
        )
        try:
            duplicates.restore(restored, now)
        except IntegrityError as error:
            raise ActionRefused(
                _(
                    "Une autre demande de cette identité est entrée dans la file entre-temps : "
                    "annulez-la ou fusionnez les deux demandes d'abord. Rien n'a été fait."
                )
            ) from error
        Dispute.objects.filter(pk=dispute.pk).update(
            status=DisputeStatus.UPHELD, settled_at=now, settled_by=user, note=note
        )
        journal.log_dispute_upheld(
            user, dispute.prefecture, restored=restored, cancelled=contested, note=note
        )
    # The impostor's date, if any, goes down the queue only now, the person back in it; after
    # the commit, as every freed unit, so no request lock is held while waiting for the service's.
    if freed is not None:
        offers.offer_unit(freed, now=now)


def reject_dispute(dispute: Dispute, user, note: str, now=None) -> None:
    """The papers show the contested request is the person's: it keeps its place; the person
    who disputed is told, and their request stays out of the queue."""
    now = now or timezone.now()
    with transaction.atomic():
        dispute = settle(dispute)
        Dispute.objects.filter(pk=dispute.pk).update(
            status=DisputeStatus.REJECTED, settled_at=now, settled_by=user, note=note
        )
        history.record(dispute.request, history.DisputeRejected(), at=now)
        notify(
            dispute.request,
            "dispute_rejected",
            event_key=f"dispute-rejected:{dispute.request_id}",
            now=now,
        )
        journal.log_dispute_rejected(
            user, dispute.prefecture, dispute.request, kept=dispute.contested.number, note=note
        )


def settle(dispute: Dispute) -> Dispute:
    """The dispute, locked, if nobody settled it meanwhile."""
    dispute = Dispute.objects.select_for_update(of=("self",)).get(pk=dispute.pk)
    if dispute.status != DisputeStatus.OPEN:
        raise ActionRefused(_("Cette contestation a déjà été tranchée : rien n'a été fait."))
    return dispute


def cancel_by_agent(request: Request, user, reason: str, now=None) -> None:
    """Cancel any active request of the préfecture, the person told the reason."""
    now = now or timezone.now()
    with transaction.atomic():
        cancelled = cancel_request(
            request, by="agent", reason=reason, message="request_cancelled_by_prefecture", now=now
        )
        if not cancelled:
            raise ActionRefused(_("Cette demande n'est plus active : il n'y a rien à annuler."))
        journal.log_request_cancelled(user, request, reason=reason)


def resume_by_agent(request: Request, user, note: str, now=None) -> None:
    """A paused request back in line, with its registration and deadline, after the agent saw
    the person's papers (at the counter, or read out on the phone): after one release the
    person can do it themselves, after the next only the préfecture (booking/reminders.py)."""
    now = now or timezone.now()
    with transaction.atomic():
        if not resume_paused(request, now=now, by_prefecture=True):
            raise ActionRefused(
                _("Cette demande n'est pas en pause : il n'y a rien à remettre dans la file.")
            )
        journal.log_request_resumed(
            user,
            request,
            releases=request.events.filter(kind=EventKind.RELEASED).count(),
            note=note,
        )


def possible_duplicates(request: Request, prefectures) -> QuerySet[Request]:
    """Other places in line of the same service group under the same name and birth date: the
    same person with another document, or a namesake; the agent checks papers before merging."""
    return (
        Request.objects.filter(
            person_key=request.person_key,
            service_group=request.service_group,
            status__in=QUEUED_STATUSES,
            prefecture__in=prefectures,
        )
        .exclude(pk=request.pk)
        .select_related("service")
        .order_by("registered_at")
    )


def merge_requests(one: Request, other: Request, user, now=None) -> tuple[Request, Request]:
    """Two places in line of one person: the earliest registration stays, the other is
    cancelled and its person told which request kept the place. Returns (kept, cancelled)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = {
            request.pk: request
            for request in Request.objects.select_for_update(of=("self",))
            .filter(pk__in=[one.pk, other.pk])
            .select_related("prefecture", "service")
        }
        if one.pk == other.pk or len(locked) != 2:
            raise ActionRefused(_("Choisissez deux demandes différentes."))
        one, other = locked[one.pk], locked[other.pk]
        if not (one.is_queued and other.is_queued):
            raise ActionRefused(
                _(
                    "Seules deux demandes dans la file (en attente, datées ou en vérification) "
                    "peuvent être fusionnées : rien n'a été fait."
                )
            )
        if one.service_group != other.service_group:
            raise ActionRefused(
                _(
                    "Ces deux demandes ne sont pas du même type de démarche : une personne peut "
                    "avoir les deux. Rien n'a été fait."
                )
            )
        kept, cancelled = sorted((one, other), key=lambda r: (r.registered_at, r.pk))
        cancel_request(
            cancelled,
            by="agent",
            reason=_(
                "doublon : la même personne a aussi la demande %(number)s, enregistrée plus tôt, "
                "qui garde sa place."
            )
            % {"number": kept.number},
            message="request_cancelled_by_prefecture",
            now=now,
        )
        history.record(kept, history.Merged(cancelled=cancelled.number), at=now)
        journal.log_requests_merged(user, kept, cancelled)
    return kept, cancelled
