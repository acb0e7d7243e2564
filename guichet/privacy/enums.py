from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureReason(models.TextChoices):
    RETENTION = "retention", _("Fin de la durée de conservation")
    PERSON_ASKED = "person_asked", _("Effacement demandé par la personne")
