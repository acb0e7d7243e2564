"""Four weeks of the observatory's robot at work, so its public page is alive in the demo.

The robot really runs, against Guichet's local stand-in for the legacy booking module, on a
simulated clock: these are true observations of that stand-in, under a target named as a
demonstration, never of a préfecture. The stand-in answers like the modules La Cimade measured:
mostly « no slot », a rare offer (a few days to four months ahead), sometimes overloaded.
"""

import datetime
import random

from django.utils import timezone

from guichet.observatory.fake_prefecture import Availability, FakePrefecture, running
from guichet.observatory.models import Target
from guichet.observatory.robot import SimulatedClock, make_probe, run_robot

DEMO_PREFECTURE = "Préfecture fictive (démonstration)"
# One answer per hour of the stand-in, in these proportions (Evry: 7 offers in 100 tries).
ANSWERS = (("no_slot", 80), ("slots", 7), ("overloaded", 10), ("maintenance", 3))
# Days ahead of an offer's first day: within a month, in one to two months, beyond two months,
# whatever the month's length (28 to 31 days) and a day's shift between UTC and local time.
HORIZONS = ((3, 12), (16, 25), (40, 52), (75, 110))


def demo_answers(start: datetime.datetime, seed: int):
    def availability(seconds: float) -> Availability:
        hour = int(seconds // 3600)
        draw = random.Random(f"{seed}:{hour}")
        kind = draw.choices([kind for kind, _ in ANSWERS], [w for _, w in ANSWERS])[0]
        if kind != "slots":
            return Availability(kind)
        today = (start + datetime.timedelta(hours=hour)).date()
        # On one or two days (four times a day), from a few days to months ahead: La Cimade's
        # buckets all show on the public page, each on any date of the year (HORIZONS).
        low, high = draw.choice(HORIZONS)
        return Availability(
            kind,
            free=draw.randint(1, 8),
            first_day=today + datetime.timedelta(days=draw.randint(low, high)),
        )

    return availability


def seed_observatory(weeks: int = 4, seed: int = 1) -> int:
    """Run the robot over `weeks` simulated weeks ending now; returns the checks recorded."""
    if Target.objects.filter(prefecture=DEMO_PREFECTURE).exists():
        return 0
    start = timezone.now() - datetime.timedelta(weeks=weeks)
    clock = SimulatedClock(start)
    app = FakePrefecture(demo_answers(start, seed), clock=clock.monotonic)
    with running(app) as base_url:
        targets = [
            Target.objects.create(
                prefecture=DEMO_PREFECTURE,
                department_code=code,
                procedure=procedure,
                url=f"{base_url}/booking/create/{form}",
                planning=planning,
                next_check_at=start,
            )
            for code, procedure, form, planning in (
                ("94", "Titre de séjour (démonstration)", 11343, "7"),
                ("91", "Naturalisation (démonstration)", 11344, "8"),
            )
        ]
        checks = run_robot(make_probe(clock), clock, until=timezone.now(), rng=random.Random(seed))
    # The stand-in is gone once the demo is seeded: keep the history, stop the visits.
    Target.objects.filter(pk__in=[target.pk for target in targets]).update(enabled=False)
    return len(checks)
