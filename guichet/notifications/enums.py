from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("Courriel")
    SMS = "sms", _("SMS")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("À envoyer")
    SENDING = "sending", _("Envoi en cours")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec définitif")
    UNCERTAIN = "uncertain", _("Issue inconnue (envoi interrompu)")
    SKIPPED = "skipped", _("Non envoyé (historique des données de démonstration)")
