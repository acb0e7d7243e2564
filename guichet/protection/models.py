from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """A bucket of a sliding-window counter, or a mark set once (slot 0), in the database store
    of `protection.counters` (used when REDIS_URL is not set).

    (key, slot) is unique so one INSERT … ON CONFLICT DO UPDATE changes a row atomically; rows
    past `expires_at` no longer count and are deleted by the due work.
    """

    key = models.CharField(max_length=200)
    slot = models.BigIntegerField()
    count = models.IntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("compteur")
        verbose_name_plural = _("compteurs")
        constraints = [
            models.UniqueConstraint(fields=["key", "slot"], name="protection_counter_key_slot")
        ]
