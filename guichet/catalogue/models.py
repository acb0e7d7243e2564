import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import SERVICE_GROUP, DeadlineKind, ServiceKind, SiteKind, Weekday

# Subdivisions of the `holidays` package whose public holidays differ from mainland France.
HOLIDAY_SUBDIVISIONS = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
}


class Prefecture(models.Model):
    department_code = models.CharField(_("code du département"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    time_zone = models.CharField(_("fuseau horaire"), max_length=64, default="Europe/Paris")
    allocation_interval_minutes = models.PositiveIntegerField(
        _("intervalle entre deux attributions (minutes)"), default=60
    )
    min_lead_days = models.PositiveIntegerField(
        _("délai minimal avant un rendez-vous (jours)"),
        default=2,
        help_text=_("Le temps de prévenir la personne et qu'elle s'organise."),
    )
    horizon_weeks = models.PositiveIntegerField(_("horizon d'ouverture (semaines)"), default=26)
    last_allocation_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The local day the horizon was last rolled forward (see capacity.roll_horizon).
    capacity_opened_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["department_code"]
        verbose_name = _("préfecture")

    def __str__(self):
        return f"{self.name} ({self.department_code})"

    def clean(self):
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise ValidationError({"time_zone": _("Fuseau horaire inconnu.")}) from error

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def holiday_subdivision(self) -> str | None:
        return HOLIDAY_SUBDIVISIONS.get(self.department_code)


class Site(models.Model):
    prefecture = models.ForeignKey(Prefecture, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=20, choices=SiteKind.choices)
    address = models.CharField(_("adresse"), max_length=250, blank=True)

    class Meta:
        ordering = ["prefecture", "id"]
        verbose_name = _("site")
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "name"], name="site_unique_name"),
        ]

    def __str__(self):
        return self.name


class Service(models.Model):
    """A « motif »: what the appointment is for, in one préfecture."""

    prefecture = models.ForeignKey(Prefecture, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("type"), max_length=30, choices=ServiceKind.choices)
    name = models.CharField(_("nom"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), default=20)
    documents = models.TextField(
        _("pièces à apporter"), blank=True, help_text=_("Une pièce par ligne.")
    )
    deadline_kind = models.CharField(
        _("échéance légale"), max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.NONE
    )
    target_wait_days = models.PositiveIntegerField(
        _("délai cible (jours)"),
        default=60,
        help_text=_("Sert d'échéance aux demandes qui n'ont pas d'échéance légale."),
    )
    needs_permit_number = models.BooleanField(_("numéro étranger requis"), default=False)
    active = models.BooleanField(_("ouvert aux demandes"), default=True)
    needs_reconfirmation = models.BooleanField(
        _("confirmation de présence demandée"),
        default=False,
        help_text=_(
            "La personne confirme sa venue quelques jours avant, sinon le créneau est libéré."
        ),
    )
    reconfirm_days_before = models.PositiveSmallIntegerField(
        _("confirmation demandée (jours avant)"), default=7
    )
    offer_window_hours = models.PositiveSmallIntegerField(
        _("délai pour accepter une date plus proche (heures)"), default=24
    )
    offer_short_window_hours = models.PositiveSmallIntegerField(
        _("délai court pour accepter (heures)"), default=2
    )
    offer_short_window_within_hours = models.PositiveSmallIntegerField(
        _("délai court quand le créneau est dans moins de (heures)"), default=72
    )

    class Meta:
        ordering = ["prefecture", "id"]
        verbose_name = _("motif")
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "kind"], name="service_unique_kind"),
        ]

    def __str__(self):
        return self.name

    @property
    def group(self) -> str:
        return SERVICE_GROUP[ServiceKind(self.kind)]

    @property
    def has_legal_deadline(self) -> bool:
        return self.deadline_kind != DeadlineKind.NONE

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]


class OpeningRule(models.Model):
    """Every <weekday>, from <opens_at> to <closes_at>, <desks> desks receive for one service."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="opening_rules")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="opening_rules")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens_at = models.TimeField(_("ouverture"))
    closes_at = models.TimeField(_("fermeture"))
    desks = models.PositiveSmallIntegerField(_("guichets"), default=1)
    slot_minutes = models.PositiveSmallIntegerField(_("durée d'un créneau (minutes)"), default=20)
    valid_from = models.DateField(_("à partir du"), null=True, blank=True)
    valid_until = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        ordering = ["site", "service", "weekday", "opens_at"]
        verbose_name = _("règle d'ouverture")

    def clean(self):
        if self.closes_at <= self.opens_at:
            raise ValidationError(_("La fermeture doit suivre l'ouverture."))
        if self.service.prefecture_id != self.site.prefecture_id:
            raise ValidationError(_("Le site et le motif doivent être de la même préfecture."))

    def applies_on(self, day: datetime.date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or day >= self.valid_from)
            and (self.valid_until is None or day <= self.valid_until)
        )


class Closure(models.Model):
    """Days a whole préfecture, or one site, does not receive (strike, works, bridge day)."""

    prefecture = models.ForeignKey(Prefecture, on_delete=models.CASCADE, related_name="closures")
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, null=True, blank=True, related_name="closures"
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=200)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("fermeture")

    def clean(self):
        if self.ends_on < self.starts_on:
            raise ValidationError(_("La fin doit suivre le début."))


class Unit(models.Model):
    """One seat at one desk at one time: the unit of capacity that allocation hands out."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="units")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="units")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    desk = models.PositiveSmallIntegerField(_("guichet"))

    class Meta:
        ordering = ["starts_at", "site", "desk"]
        verbose_name = _("créneau")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "service", "starts_at", "desk"], name="unit_unique_seat"
            ),
        ]
        indexes = [models.Index(fields=["service", "starts_at"])]

    def __str__(self):
        return f"{self.site} · {self.starts_at:%Y-%m-%d %H:%M} · guichet {self.desk}"
