import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from guichet.duework.tasks import run_due_work


class Command(BaseCommand):
    help = "Enqueue the due-work task for the worker at a steady pace (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="tick once and exit")

    def handle(self, *args, interval, once, **options):
        pending = None
        while True:
            close_old_connections()
            if pending is not None:
                pending.refresh()
            # Never stack runs: a tick while the last run waits or works adds nothing.
            if pending is None or pending.is_finished:
                pending = run_due_work.enqueue()
                self.stdout.write("due work enqueued")
            if once:
                return
            time.sleep(interval)
