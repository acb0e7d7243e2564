"""Background work run by the django-tasks worker."""

from django_tasks import task

from . import jobs


@task()
def run_due_work() -> dict:
    """Offers that expire, reminders, releases, allocation batches, messages: whatever is due."""
    return jobs.run_due_work()
