import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.models import Prefecture, Service, Site, Unit

from .enums import ACTIVE_STATUSES, Channel, EventKind, RequestStatus

# Crockford's base 32 without I, L, O, U: easy to read aloud on the phone.
NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_request_number(department_code: str) -> str:
    body = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"{department_code}-{body[:4]}-{body[4:]}"


def new_access_token() -> str:
    return secrets.token_urlsafe(24)


class Request(models.Model):
    """A « demande de rendez-vous »: registered at once, dated later by a batch allocation."""

    number = models.CharField(_("numéro"), max_length=16, unique=True, editable=False)
    access_token = models.CharField(max_length=64, unique=True, editable=False)
    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, related_name="requests")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="requests")
    sites = models.ManyToManyField(Site, related_name="+", verbose_name=_("sites acceptés"))
    channel = models.CharField(_("canal"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("statut"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.WAITING
    )

    family_name = models.CharField(_("nom de famille"), max_length=100)
    given_names = models.CharField(_("prénoms"), max_length=150)
    birth_date = models.DateField(_("date de naissance"))
    nationality = models.CharField(_("nationalité"), max_length=100)
    permit_number = models.CharField(_("numéro étranger"), max_length=10, blank=True)
    # Normalised name and birth date, hashed: how one person is recognised across submissions.
    identity_key = models.CharField(max_length=64, editable=False)
    service_group = models.CharField(max_length=20, editable=False)

    email = models.EmailField(_("adresse électronique"), max_length=254, blank=True)
    phone = models.CharField(_("téléphone mobile"), max_length=20, blank=True)

    permit_expires_on = models.DateField(_("date d'expiration du titre"), null=True, blank=True)
    deadline = models.DateField(
        _("échéance"),
        help_text=_("Échéance légale, ou date d'enregistrement plus le délai cible du motif."),
    )
    registered_at = models.DateTimeField(_("enregistrée le"), editable=False)

    class Meta:
        ordering = ["registered_at"]
        verbose_name = _("demande")
        constraints = [
            models.UniqueConstraint(
                fields=["identity_key", "service_group"],
                condition=models.Q(status__in=ACTIVE_STATUSES),
                name="one_active_request_per_identity",
            ),
        ]
        indexes = [models.Index(fields=["prefecture", "service", "status", "deadline"])]

    def __str__(self):
        return self.number

    @property
    def initials(self) -> str:
        """What a public page may show of a person: initials only."""
        names = [*self.given_names.split(), *self.family_name.split()]
        return ". ".join(name[0].upper() for name in names if name) + "."

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def save(self, *args, **kwargs):
        if not self.number:
            self.number = new_request_number(self.prefecture.department_code)
        if not self.access_token:
            self.access_token = new_access_token()
        super().save(*args, **kwargs)


class AllocationBatch(models.Model):
    """One run of the allocation for one préfecture and service: its seed makes it replayable."""

    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, related_name="batches")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="batches")
    ran_at = models.DateTimeField()
    seed = models.BigIntegerField()
    engine_version = models.CharField(max_length=40)
    waiting = models.PositiveIntegerField(help_text=_("demandes en attente au début"))
    free_units = models.PositiveIntegerField()
    dated = models.PositiveIntegerField()

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("lot d'attribution")


class Appointment(models.Model):
    """A request placed on a unit. One unit holds one appointment: the database enforces it."""

    request = models.OneToOneField(Request, on_delete=models.CASCADE, related_name="appointment")
    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="appointment")
    batch = models.ForeignKey(
        AllocationBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField()

    class Meta:
        verbose_name = _("rendez-vous")


class AppendOnlyError(Exception):
    pass


class RequestEvent(models.Model):
    """The request's history: written once, never changed or deleted by the application."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("événement")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("history rows are written once")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("history rows are never deleted")
