from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """The queue's figures for one day and one scope, kept over time: the open data's rows.

    A scope is named by codes, not foreign keys, so a snapshot stays readable and its URL stable
    whatever becomes of the catalogue: department code ("" for all préfectures) and service kind
    ("" for all services). `figures` holds `figures.queue_figures`' raw output; small counts are
    suppressed when published (disclosure.py), never stored twice."""

    day = models.DateField(_("jour"))
    department_code = models.CharField(_("code du département"), max_length=3, blank=True)
    service_kind = models.CharField(_("motif"), max_length=30, blank=True)
    prefecture_name = models.CharField(_("préfecture"), max_length=120, blank=True)
    service_name = models.CharField(_("motif"), max_length=160, blank=True)
    taken_at = models.DateTimeField(_("calculé le"))
    figures = models.JSONField()

    class Meta:
        ordering = ["-day", "department_code", "service_kind"]
        verbose_name = _("instantané de la file d'attente")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department_code", "service_kind"], name="one_snapshot_per_scope"
            )
        ]
        indexes = [models.Index(fields=["department_code", "service_kind", "-day"])]
