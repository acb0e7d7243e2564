from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    WAITING = "waiting", _("En attente d'une date")
    DATED = "dated", _("Rendez-vous fixé")
    CANCELLED = "cancelled", _("Annulée")
    ATTENDED = "attended", _("Reçue au guichet")
    NO_SHOW = "no_show", _("Absente au rendez-vous")


# A person holds at most one of these per service group.
ACTIVE_STATUSES = (RequestStatus.WAITING, RequestStatus.DATED)


class Channel(models.TextChoices):
    WEB = "web", _("Site internet")
    API = "api", _("API")
    COUNTER = "counter", _("Guichet")
    PHONE = "phone", _("Téléphone")
    POST = "post", _("Courrier")
    ASSOCIATION = "association", _("Association")


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Demande enregistrée")
    DUPLICATE_SUBMISSION = "duplicate_submission", _("Nouvelle soumission de la même demande")
    DATED = "dated", _("Rendez-vous attribué")
    CANCELLED = "cancelled", _("Demande annulée")
