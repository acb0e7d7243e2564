from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.append_only import AppendOnlyModel
from guichet.catalogue.models import Prefecture

from .enums import ROLE_RANK, JournalAction, Role


class Agent(models.Model):
    """A préfecture's staff member: sees and acts on one préfecture only (administrators: all)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent"
    )
    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.PROTECT, null=True, blank=True, related_name="agents"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.AGENT)

    class Meta:
        verbose_name = _("agent")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role=Role.ADMINISTRATOR) | models.Q(prefecture__isnull=False),
                name="agent_has_a_prefecture_unless_administrator",
            ),
        ]

    def __str__(self):
        return f"{self.user.get_username()} ({self.get_role_display()})"

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]


class SecondFactor(models.Model):
    """The TOTP secret of anyone who logs into the back-office or the associations' space."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factor"
    )
    # Base32; confirmed once the person typed a first valid code from their app.
    secret = models.CharField(max_length=64, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("second facteur")

    def __str__(self):
        return str(self.user)


class JournalEntry(AppendOnlyModel):
    """Who did what, when, on which request: written once, never changed or deleted."""

    at = models.DateTimeField(_("le"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent"),
    )
    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.PROTECT, null=True, related_name="journal"
    )
    action = models.CharField(_("action"), max_length=60, choices=JournalAction.choices)
    request = models.ForeignKey(
        "booking.Request", on_delete=models.PROTECT, null=True, blank=True, related_name="journal"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal des actions")
        indexes = [models.Index(fields=["prefecture", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"
