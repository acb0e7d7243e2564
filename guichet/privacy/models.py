from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import ErasureReason


class Erasure(models.Model):
    """A request whose identity and contacts were erased, when and why.

    Kept apart from the request so that booking's schema does not change, and so that the
    erasures themselves can be counted and audited (docs/decisions/0011)."""

    request = models.OneToOneField(
        "booking.Request", on_delete=models.PROTECT, related_name="erasure"
    )
    at = models.DateTimeField(_("effacée le"))
    reason = models.CharField(_("motif"), max_length=20, choices=ErasureReason.choices)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("effacement de données personnelles")


class DossierErasure(models.Model):
    """An observatory dossier whose uploads and notes were erased at the end of its period."""

    dossier = models.OneToOneField(
        "observatory.Dossier", on_delete=models.CASCADE, related_name="erasure"
    )
    at = models.DateTimeField(_("effacé le"))

    class Meta:
        verbose_name = _("effacement d'un dossier de preuves")


class RetentionRun(models.Model):
    """One run of the retention job per day: what it erased, for the operator's records."""

    day = models.DateField(unique=True)
    ran_at = models.DateTimeField()
    requests = models.PositiveIntegerField(default=0)
    dossiers = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("passage de la purge")
