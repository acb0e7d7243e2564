from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    SOCIAL_SERVICE = "social_service", _("Service social")


class MandateScope(models.TextChoices):
    FILE_AND_FOLLOW = "file_and_follow", _("Déposer et suivre")
    FOLLOW_ONLY = "follow_only", _("Suivre seulement")


class ConsentRecord(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Formulaire de mandat signé")
    IN_PERSON = "in_person", _("Accord donné en personne")


class MandateEventKind(models.TextChoices):
    GRANTED = "granted", _("Mandat enregistré")
    REVOKED = "revoked", _("Mandat révoqué")
