"""Accredited organisations whose members file and follow requests for a person, each under a
recorded mandate with a scope and an end date (as Aidants Connect does)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.append_only import AppendOnlyModel
from guichet.catalogue.models import Prefecture

from .enums import ConsentRecord, MandateEventKind, MandateScope, OrganisationKind

# A person renews their consent at least once a year.
LONGEST_MANDATE = datetime.timedelta(days=366)


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    accredited = models.BooleanField(_("habilitée"), default=False)
    accredited_until = models.DateField(_("habilitée jusqu'au"), null=True, blank=True)
    prefectures = models.ManyToManyField(
        Prefecture, related_name="organisations", verbose_name=_("préfectures")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation habilitée")
        verbose_name_plural = _("organisations habilitées")

    def __str__(self):
        return self.name

    def is_accredited(self, day: datetime.date) -> bool:
        return self.accredited and (self.accredited_until is None or self.accredited_until >= day)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        """Memberships whose account may log in: both the membership and the account active."""
        return self.filter(active=True, user__is_active=True)


class Membership(models.Model):
    """One account, one organisation: someone helping for two organisations has two accounts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    active = models.BooleanField(_("actif"), default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre")

    def __str__(self):
        return f"{self.user.get_username()} ({self.organisation})"


class MandateQuerySet(models.QuerySet):
    def live(self, day: datetime.date | None = None):
        """Mandates in force on `day`: not revoked, not ended, their organisation accredited."""
        day = day or timezone.localdate()
        return self.filter(
            Q(organisation__accredited_until__isnull=True)
            | Q(organisation__accredited_until__gte=day),
            organisation__accredited=True,
            revoked_at__isnull=True,
            ends_on__gte=day,
        )


class Mandate(models.Model):
    """The person's recorded consent that an organisation acts for them on one request."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mandates"
    )
    request = models.ForeignKey(
        "booking.Request", on_delete=models.PROTECT, related_name="mandates"
    )
    person_name = models.CharField(_("nom de la personne"), max_length=250)
    scope = models.CharField(_("étendue"), max_length=20, choices=MandateScope.choices)
    consent = models.CharField(
        _("recueil du consentement"), max_length=20, choices=ConsentRecord.choices
    )
    granted_at = models.DateTimeField(_("donné le"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ends_on = models.DateField(_("prend fin le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("mandat")

    def __str__(self):
        return f"{self.organisation} → {self.person_name}"


class MandateEvent(AppendOnlyModel):
    """What members did under a mandate: written once, never changed or deleted."""

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=MandateEventKind.choices)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("événement de mandat")
