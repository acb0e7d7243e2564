"""The worker's pass (guichet/duework); `due_work_at` runs it for other apps' tests too."""

import time_machine

from guichet.duework.jobs import run_due_work


def due_work_at(now) -> dict:
    """The worker's pass as it runs at `now`, the clock stopped there."""
    with time_machine.travel(now, tick=False):
        return run_due_work(now)
