from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.booking.models import Request
from guichet.catalogue.models import Prefecture


class RegistryImport(models.Model):
    """One CSV file of permits a manager uploaded: what it changed and which lines it refused."""

    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.PROTECT, related_name="registry_imports"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    imported_at = models.DateTimeField(_("le"))
    file_name = models.CharField(_("fichier"), max_length=255)
    sha256 = models.CharField(max_length=64)
    created = models.PositiveIntegerField(_("créés"), default=0)
    updated = models.PositiveIntegerField(_("modifiés"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangés"), default=0)
    rejected = models.PositiveIntegerField(_("refusés"), default=0)
    invited = models.PositiveIntegerField(_("convocations"), default=0)
    # [{"line": 12, "errors": {"birth_date": ["…"]}}, …]; a refused file: [{"line": 0, …}].
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("import du registre")

    def __str__(self):
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class PermitRecord(models.Model):
    """A residence permit the préfecture issued, as its registry knows it."""

    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, related_name="permits")
    permit_number = models.CharField(_("numéro étranger"), max_length=10)
    family_name = models.CharField(_("nom de famille"), max_length=100)
    given_names = models.CharField(_("prénoms"), max_length=150)
    birth_date = models.DateField(_("date de naissance"))
    expires_on = models.DateField(_("date d'expiration"))
    email = models.EmailField(_("adresse électronique"), max_length=254, blank=True)
    phone = models.CharField(_("téléphone mobile"), max_length=20, blank=True)
    imported_at = models.DateTimeField(_("importé le"))
    batch = models.ForeignKey(
        RegistryImport, on_delete=models.PROTECT, related_name="permits", verbose_name=_("import")
    )
    # The expiry the préfecture last invited a renewal for: a renewed permit is invited again.
    invited_for = models.DateField(_("convocation pour l'expiration du"), null=True, blank=True)
    invited_request = models.ForeignKey(
        Request, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["expires_on", "id"]
        verbose_name = _("titre du registre")
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "permit_number"], name="permit_unique_number"
            ),
        ]
        indexes = [models.Index(fields=["prefecture", "expires_on"])]

    def __str__(self):
        return self.permit_number
