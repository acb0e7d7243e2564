"""Count capacity that went unused: every unit that started with nobody on it, and why."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from guichet.catalogue.models import Unit

from .enums import EventKind, LossReason, OfferStatus
from .models import Appointment, LostUnit, Offer, RequestEvent


def record_lost_units(now=None) -> int:
    now = now or timezone.now()
    empty_started = (
        Unit.objects.filter(starts_at__lte=now)
        .exclude(Exists(Appointment.objects.filter(unit=OuterRef("pk"))))
        .exclude(Exists(LostUnit.objects.filter(unit=OuterRef("pk"))))
    )
    losses = []
    for unit in empty_started.iterator():
        if Offer.objects.filter(unit=unit).exclude(status=OfferStatus.ACCEPTED).exists():
            reason = LossReason.NOT_TAKEN
        elif RequestEvent.objects.filter(
            kind__in=(EventKind.DATED, EventKind.MOVED_EARLIER), detail__unit=unit.pk
        ).exists():
            reason = LossReason.TOO_LATE
        else:
            reason = LossReason.NOBODY_WAITING
        losses.append(LostUnit(unit=unit, recorded_at=now, reason=reason))
    LostUnit.objects.bulk_create(losses, ignore_conflicts=True)
    return len(losses)
