"""Background work of the booking service, run by the django-tasks worker."""

from django_tasks import task

from guichet.catalogue.models import Prefecture

from . import services


@task()
def allocate_prefecture(department_code: str) -> int:
    """Run the allocation batches of one préfecture; returns how many requests were dated."""
    prefecture = Prefecture.objects.get(department_code=department_code)
    return sum(batch.dated for batch in services.allocate_prefecture(prefecture))
