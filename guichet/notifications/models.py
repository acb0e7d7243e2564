from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import MessageChannel, MessageStatus


class Message(models.Model):
    """Every message to a person, recorded before it is sent and kept with its outcome.

    `key` names the event the message tells about (e.g. "offer:12:email"): a second notification
    of the same event finds the row and sends nothing, so a replayed job never sends twice.
    The text is rendered once, at queueing, so a retry sends exactly what was decided; a message
    queued in bulk (an allocation batch's) is stored with what it is about in `context` and
    rendered once, by the sender, before its first attempt (`notifications.services.rendered`).
    """

    key = models.CharField(max_length=120, unique=True)
    request = models.ForeignKey(
        "booking.Request", on_delete=models.CASCADE, related_name="messages"
    )
    channel = models.CharField(_("canal"), max_length=10, choices=MessageChannel.choices)
    template = models.CharField(_("modèle"), max_length=60)
    language = models.CharField(_("langue"), max_length=8)
    to = models.CharField(_("destinataire"), max_length=254)
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    body = models.TextField(_("texte"))
    calendar = models.TextField(_("invitation .ics"), blank=True)
    # Until rendered: {"refs": {name: [model label, pk]}, "calendar": builder name or absent}.
    context = models.JSONField(default=dict, blank=True, editable=False)
    status = models.CharField(
        _("statut"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.template} → {self.to} ({self.status})"
