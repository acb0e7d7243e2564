"""Daily snapshots of the figures: one per préfecture and service, per préfecture, and national.

The scheduled due work (duework.jobs) calls `take_due_snapshots` at every tick; it computes
only the scopes that have no snapshot today, so each is taken once a day, a run that stopped
half-way is completed by the next tick, and two schedulers write each row once (the unique
constraint and `ignore_conflicts`).
"""

from django.utils import timezone

from guichet.catalogue.models import Prefecture

from .figures import Scope, queue_figures
from .models import Snapshot


def scopes():
    """(department_code, service_kind, prefecture name, service name, Scope) of each snapshot."""
    yield "", "", "", "", Scope()
    for prefecture in Prefecture.objects.prefetch_related("services"):
        yield prefecture.department_code, "", prefecture.name, "", Scope(prefecture.pk)
        for service in prefecture.services.all():
            yield (
                prefecture.department_code,
                service.kind,
                prefecture.name,
                service.name,
                Scope(prefecture.pk, service.pk),
            )


def take_snapshots(now=None) -> int:
    """Today's snapshot of every scope not taken yet; returns how many were written."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    taken = set(Snapshot.objects.filter(day=day).values_list("department_code", "service_kind"))
    written = 0
    for code, kind, prefecture_name, service_name, scope in scopes():
        if (code, kind) in taken:
            continue
        snapshot = Snapshot(
            day=day,
            department_code=code,
            service_kind=kind,
            prefecture_name=prefecture_name,
            service_name=service_name,
            taken_at=now,
            figures=queue_figures(scope, now),
        )
        Snapshot.objects.bulk_create([snapshot], ignore_conflicts=True)
        written += 1
    return written


def take_due_snapshots(now=None) -> int:
    """The scheduled step, at every tick: one count query when today's snapshots are all taken
    (a préfecture or service added during the day gets its snapshot at the next tick)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    expected = 1 + sum(1 + prefecture.services.count() for prefecture in Prefecture.objects.all())
    if Snapshot.objects.filter(day=day).count() >= expected:
        return 0
    return take_snapshots(now)
