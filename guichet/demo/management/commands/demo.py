import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guichet.associations.demo_members import how_to_log_in as how_members_log_in
from guichet.backoffice.demo_agents import how_to_log_in
from guichet.demo.observatory import seed_observatory
from guichet.demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Seed the demo préfectures (Hérault, Val-de-Marne, Essonne): sites, services, capacity, "
        "synthetic requests and a first allocation. Préfectures already present are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requests-per-prefecture", type=int, default=1500)
        parser.add_argument(
            "--weeks",
            type=int,
            help="weeks of capacity to open; default: each préfecture's horizon",
        )
        parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic demand")
        parser.add_argument(
            "--observatory-weeks",
            type=int,
            default=4,
            help="simulated weeks of the observatory's robot against the local stand-in",
        )

    def handle(self, *args, requests_per_prefecture, weeks, seed, observatory_weeks, **options):
        if not settings.DEBUG and settings.SECRET_KEY != settings.DEMO_SECRET_KEY:
            # A real secret and DEBUG off: a production database, where accounts with the
            # demo's published password and TOTP secret would be open doors.
            raise CommandError(
                "Refusing to seed the demo in production: its accounts have public passwords. "
                "The demo runs with DEBUG=1 (make run) or the demo secret."
            )
        started = time.monotonic()
        outcomes = seed_demo(
            requests_per_prefecture=requests_per_prefecture, weeks=weeks, seed=seed
        )
        for outcome in outcomes:
            label = f"{outcome.department_code} {outcome.name}"
            if not outcome.created:
                self.stdout.write(f"{label}: already present, nothing created")
                continue
            self.stdout.write(
                f"{label}: {outcome.units} units opened, {outcome.registered} requests registered, "
                f"{outcome.dated} dated, {outcome.waiting} waiting"
            )
        checks = seed_observatory(weeks=observatory_weeks, seed=seed)
        if checks:
            self.stdout.write(f"Observatory: {checks} checks of the local stand-in recorded.")
        created = [outcome for outcome in outcomes if outcome.created]
        if not created and not checks:
            self.stdout.write("Demo data already present: nothing created.")
            self.stdout.write(how_to_log_in())
            self.stdout.write(how_members_log_in())
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo seeded: {len(created)} préfectures, "
                f"{sum(o.units for o in created)} units, "
                f"{sum(o.registered for o in created)} requests "
                f"({sum(o.dated for o in created)} dated, "
                f"{sum(o.waiting for o in created)} waiting) "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
        self.stdout.write(how_to_log_in())
        self.stdout.write(how_members_log_in())
