"""Count capacity that went unused: every unit that started with nobody on it, and why."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from guichet.catalogue.models import Unit

from .enums import LossReason
from .models import Appointment, LostUnit, Offer


def record_lost_units(now=None) -> int:
    """Units freed too late to offer are recorded when that happens (offers.offer_unit)."""
    now = now or timezone.now()
    empty_started = (
        Unit.objects.filter(starts_at__lte=now)
        .exclude(Exists(Appointment.objects.filter(unit=OuterRef("pk"))))
        .exclude(Exists(LostUnit.objects.filter(unit=OuterRef("pk"))))
        .annotate(was_offered=Exists(Offer.objects.filter(unit=OuterRef("pk"))))
    )
    losses = [
        LostUnit(
            unit=unit,
            recorded_at=now,
            reason=LossReason.NOT_TAKEN if unit.was_offered else LossReason.NOBODY_WAITING,
        )
        for unit in empty_started.iterator()
    ]
    LostUnit.objects.bulk_create(losses, ignore_conflicts=True)
    return len(losses)
