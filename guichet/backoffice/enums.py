from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What an agent may do, each role including the ones before it."""

    AGENT = "agent", _("Agent")
    MANAGER = "manager", _("Chef de bureau")
    ADMINISTRATOR = "administrator", _("Administrateur")


ROLE_RANK = {Role.AGENT: 1, Role.MANAGER: 2, Role.ADMINISTRATOR: 3}
