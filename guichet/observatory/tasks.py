"""Background work of the observatory, run by the django-tasks worker."""

from django_tasks import task

from . import dossier_pdf


@task()
def build_dossier_pdf(dossier_id: int) -> bool:
    """A dossier's PDF, off the web's request path (seconds of CPU each)."""
    return dossier_pdf.build_pdf(dossier_id)
