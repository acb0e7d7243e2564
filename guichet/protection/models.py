from django.db import models
from django.utils.translation import gettext_lazy as _


class SolvedChallenge(models.Model):
    """A proof-of-work already used: the unique signature lets each solution through once only.

    Rows are useless once their challenge has expired (it would be refused anyway) and are pruned.
    """

    signature = models.CharField(max_length=128, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("défi résolu")
        verbose_name_plural = _("défis résolus")
