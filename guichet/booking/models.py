import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.append_only import AppendOnlyModel
from guichet.catalogue.models import Prefecture, Service, Site, Unit

from .enums import (
    ACTIVE_STATUSES,
    QUEUED_STATUSES,
    Channel,
    DisputeProof,
    DisputeStatus,
    EventKind,
    LossReason,
    OfferStatus,
    RequestStatus,
)

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
    passport_number = models.CharField(
        _("numéro de passeport ou de document de voyage"), max_length=20, blank=True
    )
    # Normalised name, birth date and document number (the permit's where the service asks for
    # it, else the passport's), hashed: the identity that holds one place in line.
    identity_key = models.CharField(max_length=64, editable=False)
    # Normalised name and birth date only, hashed: how agents find one person's two requests.
    person_key = models.CharField(max_length=64, editable=False, db_index=True)
    service_group = models.CharField(max_length=20, editable=False)
    # The request that held this identity's place when this one's contact was confirmed.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="duplicates",
    )

    email = models.EmailField(_("adresse électronique"), max_length=254, blank=True)
    phone = models.CharField(_("téléphone mobile"), max_length=20, blank=True)

    permit_expires_on = models.DateField(_("date d'expiration du titre"), null=True, blank=True)
    deadline = models.DateField(
        _("échéance"),
        help_text=_("Échéance légale, ou date d'enregistrement plus le délai cible du motif."),
    )
    registered_at = models.DateTimeField(_("enregistrée le"), editable=False)

    contact_verified_at = models.DateTimeField(_("contact confirmé le"), null=True, blank=True)
    verification_code = models.CharField(max_length=6, blank=True, editable=False)
    # A new contact the person asked for, applied once its code is confirmed.
    pending_email = models.EmailField(max_length=254, blank=True, editable=False)
    pending_phone = models.CharField(max_length=20, blank=True, editable=False)
    verification_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    accepts_offers = models.BooleanField(
        _("accepte qu'on lui propose des dates plus proches"), default=True
    )
    language = models.CharField(_("langue des messages"), max_length=8, default="fr")

    class Meta:
        ordering = ["registered_at"]
        verbose_name = _("demande")
        constraints = [
            models.UniqueConstraint(
                fields=["identity_key", "service_group"],
                condition=models.Q(status__in=QUEUED_STATUSES),
                name="one_queued_request_per_identity",
            ),
        ]
        # Also the queue a freed unit walks, most urgent first (offers.first_in_line).
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

    @property
    def is_queued(self) -> bool:
        """Holds a place in line (or an appointment): the place of its identity."""
        return self.status in QUEUED_STATUSES

    @property
    def identity_document(self) -> str:
        """The number of the document its identity includes: the permit's or the passport's."""
        return self.permit_number if self.service.needs_permit_number else self.passport_number

    def save(self, *args, **kwargs):
        if not self.number:
            self.number = new_request_number(self.prefecture.department_code)
        if not self.access_token:
            self.access_token = new_access_token()
        super().save(*args, **kwargs)


class Dispute(models.Model):
    """« Ce n'est pas moi »: the person of a request closed as a duplicate says the request
    holding their identity's place is not theirs. Agents of that request's préfecture settle it
    after checking papers."""

    # The request closed as a duplicate, whose status page opened the dispute.
    request = models.OneToOneField(Request, on_delete=models.PROTECT, related_name="dispute")
    # The request holding the identity's place, which the person says is not theirs.
    contested = models.ForeignKey(
        Request, on_delete=models.PROTECT, related_name="contesting_disputes"
    )
    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, related_name="disputes")
    opened_at = models.DateTimeField(_("déposée le"))
    account = models.TextField(_("ce qui s'est passé"), max_length=2000)
    proof = models.CharField(_("documents montrés"), max_length=20, choices=DisputeProof.choices)
    status = models.CharField(
        _("statut"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    settled_at = models.DateTimeField(_("tranchée le"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note de l'agent"), blank=True)

    class Meta:
        ordering = ["opened_at", "id"]
        verbose_name = _("contestation d'identité")
        indexes = [models.Index(fields=["prefecture", "status"])]

    def __str__(self):
        return f"{self.request} / {self.contested}"


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
    reconfirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rendez-vous")


class Offer(models.Model):
    """A freed unit proposed to one person at a time, for a limited time, with their consent."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="offers")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="offers")
    made_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    seed = models.BigIntegerField(help_text=_("tirage au sort entre échéances égales"))

    class Meta:
        ordering = ["made_at", "id"]
        verbose_name = _("proposition de date")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(status="pending"),
                name="one_pending_offer_per_unit",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status="pending"),
                name="one_pending_offer_per_request",
            ),
        ]


class LostUnit(models.Model):
    """A unit that started with nobody on it, and why: capacity the préfecture paid for, unused."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="loss")
    recorded_at = models.DateTimeField()
    reason = models.CharField(max_length=20, choices=LossReason.choices)

    class Meta:
        verbose_name = _("créneau perdu")


class RequestEvent(AppendOnlyModel):
    """The request's history: written once, never changed or deleted by the application."""

    # PROTECT: a request with a history cannot be deleted; its history is evidence.
    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("événement")
        indexes = [
            # « Released from this unit »: a few rows among the whole history (offers, date_key).
            models.Index(
                fields=["request"],
                condition=models.Q(kind=EventKind.RELEASED),
                name="booking_event_released",
            ),
        ]
