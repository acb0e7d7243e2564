import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from guichet.booking.services import allocation_due
from guichet.booking.tasks import allocate_prefecture
from guichet.catalogue.models import Prefecture


class Command(BaseCommand):
    help = "Enqueue each préfecture's allocation batch when its interval has passed (runs forever)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="check once and exit")

    def handle(self, *args, interval, once, **options):
        enqueued: dict[str, object] = {}
        while True:
            close_old_connections()
            for prefecture in Prefecture.objects.all():
                pending = enqueued.get(prefecture.department_code)
                if pending is not None:
                    pending.refresh()
                    if not pending.is_finished:
                        continue
                if allocation_due(prefecture):
                    enqueued[prefecture.department_code] = allocate_prefecture.enqueue(
                        prefecture.department_code
                    )
                    self.stdout.write(f"allocation enqueued for {prefecture.department_code}")
            if once:
                return
            time.sleep(interval)
