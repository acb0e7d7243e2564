import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.append_only import AppendOnlyModel

from . import classify, figures
from .chain import link_hash
from .probe import ProbeTarget


class Family(models.TextChoices):
    LEGACY = classify.LEGACY, _("module « booking/create » des sites de préfecture")
    RDV_PREFECTURE = classify.RDV_PREFECTURE, _("plateforme nationale rdv-prefecture")
    TEXT_MATCH = classify.TEXT_MATCH, _("autre système (phrases à reconnaître)")


class Outcome(models.TextChoices):
    SLOTS = classify.SLOTS, _("créneaux proposés")
    NO_SLOT = classify.NO_SLOT, _("aucun créneau")
    OVERLOADED = classify.OVERLOADED, _("service surchargé")
    CAPTCHA = classify.CAPTCHA, _("captcha")
    MAINTENANCE = classify.MAINTENANCE, _("maintenance")
    ERROR = classify.ERROR, _("erreur")
    UNKNOWN = classify.UNKNOWN, _("page non reconnue")


class Bucket(models.TextChoices):
    """La Cimade's five buckets (« À guichets fermés »), as its reports word them."""

    TWO_DATES_WITHIN_A_MONTH = (
        figures.TWO_DATES_WITHIN_A_MONTH,
        _("au moins deux dates dans le mois"),
    )
    ONE_DATE_WITHIN_A_MONTH = figures.ONE_DATE_WITHIN_A_MONTH, _("une date dans le mois")
    FIRST_DATE_IN_ONE_TO_TWO_MONTHS = (
        figures.FIRST_DATE_IN_ONE_TO_TWO_MONTHS,
        _("première date entre un et deux mois"),
    )
    FIRST_DATE_BEYOND_TWO_MONTHS = (
        figures.FIRST_DATE_BEYOND_TWO_MONTHS,
        _("première date au-delà de deux mois"),
    )
    NO_DATE = figures.NO_DATE, _("aucune date")


class Target(models.Model):
    """One procedure of one préfecture's booking website that the robot checks."""

    prefecture = models.CharField(_("préfecture"), max_length=120)
    department_code = models.CharField(_("code du département"), max_length=3)
    procedure = models.CharField(_("démarche"), max_length=200)
    url = models.URLField(_("adresse"), max_length=500)
    family = models.CharField(
        _("type de module"), max_length=20, choices=Family.choices, default=Family.LEGACY
    )
    planning = models.CharField(
        _("identifiant du motif"),
        max_length=20,
        blank=True,
        help_text=_("Valeur du bouton radio « planning » à choisir ; sinon, selon le libellé."),
    )
    slot_sentences = models.TextField(
        _("phrases signalant des créneaux"), blank=True, help_text=_("Une par ligne.")
    )
    no_slot_sentences = models.TextField(
        _("phrases signalant l'absence de créneau"), blank=True, help_text=_("Une par ligne.")
    )
    checks_per_day = models.PositiveSmallIntegerField(_("vérifications par jour"), default=12)
    enabled = models.BooleanField(_("active"), default=True)
    next_check_at = models.DateTimeField(_("prochaine vérification"), null=True, blank=True)

    class Meta:
        ordering = ["department_code", "procedure"]
        verbose_name = _("cible observée")
        verbose_name_plural = _("cibles observées")

    def __str__(self):
        return f"{self.prefecture} ({self.department_code}) — {self.procedure}"

    def probe_target(self) -> ProbeTarget:
        return ProbeTarget(
            url=self.url,
            family=self.family,
            procedure=self.procedure,
            planning=self.planning,
            slot_sentences=lines(self.slot_sentences),
            no_slot_sentences=lines(self.no_slot_sentences),
        )


def lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class Check(AppendOnlyModel):
    """One visit of the robot: its outcome and evidence, chained to the previous visit."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="checks")
    sequence = models.PositiveBigIntegerField(_("numéro"), unique=True)
    checked_at = models.DateTimeField(_("vérifié le"))
    outcome = models.CharField(_("résultat"), max_length=20, choices=Outcome.choices)
    reason = models.CharField(_("indice"), max_length=200, blank=True)
    slot_count = models.PositiveIntegerField(_("créneaux affichés"), null=True, blank=True)
    earliest = models.DateField(_("première date proposée"), null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(_("statut HTTP"), null=True, blank=True)
    # Which rule of the classifier decided (classify.Reading.rule), and La Cimade's bucket of the
    # check (figures.bucket), empty when the page said nothing of dates. Both empty in checks
    # recorded before they existed, and then left out of the hashed payload.
    rule = models.CharField(_("règle appliquée"), max_length=40, blank=True)
    bucket = models.CharField(
        _("catégorie de La Cimade"), max_length=30, choices=Bucket.choices, blank=True
    )
    url = models.URLField(_("dernière page"), max_length=500, blank=True)
    evidence = models.CharField(_("réponse enregistrée"), max_length=300, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    screenshot = models.CharField(_("capture d'écran"), max_length=300, blank=True)
    screenshot_sha256 = models.CharField(max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64)
    record_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("vérification")
        indexes = [models.Index(fields=["target", "checked_at"])]

    def __str__(self):
        return f"#{self.sequence} {self.target} {self.checked_at:%Y-%m-%d %H:%M} {self.outcome}"

    @property
    def is_offer(self) -> bool:
        return self.outcome in classify.OFFER_LABELS

    def payload(self) -> dict:
        """Everything the record asserts, as hashed in the chain.

        The rule and the bucket join the payload only when set, so that checks recorded before
        they existed keep the fingerprint they were given.
        """
        later = {key: getattr(self, key) for key in ("rule", "bucket") if getattr(self, key)}
        return later | {
            "sequence": self.sequence,
            "target": self.target_id,
            "checked_at": self.checked_at.isoformat(),
            "outcome": self.outcome,
            "reason": self.reason,
            "slot_count": self.slot_count,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "http_status": self.http_status,
            "url": self.url,
            "evidence": self.evidence,
            "evidence_sha256": self.evidence_sha256,
            "screenshot": self.screenshot,
            "screenshot_sha256": self.screenshot_sha256,
        }

    def compute_hash(self) -> str:
        return link_hash(self.payload(), self.previous_hash)


def new_dossier_token() -> str:
    return secrets.token_urlsafe(18)


class Dossier(models.Model):
    """A person's file of proof for one target and period: the robot's checks and their own."""

    token = models.CharField(max_length=32, unique=True, default=new_dossier_token, editable=False)
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="dossiers")
    period_start = models.DateField(_("du"))
    period_end = models.DateField(_("au"))
    created_at = models.DateTimeField(auto_now_add=True)
    # The PDF is built by the worker (observatory.tasks), never in a web request, and kept until
    # the dossier changes: `pdf_fingerprint` names the state it shows (dossier_pdf.fingerprint).
    pdf_file = models.CharField(_("PDF"), max_length=300, blank=True)  # under the evidence dir
    pdf_fingerprint = models.CharField(max_length=64, blank=True)
    pdf_built_at = models.DateTimeField(_("PDF préparé le"), null=True, blank=True)
    pdf_requested_fingerprint = models.CharField(max_length=64, blank=True)
    pdf_requested_at = models.DateTimeField(_("PDF demandé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier de preuves")


class TryKind(models.TextChoices):
    SCREENSHOT = "screenshot", _("capture d'écran")
    EMAIL = "email", _("courriel envoyé")
    LETTER = "letter", _("lettre recommandée")


class PersonalTry(models.Model):
    """A try the person made themselves, with its date and, if they have one, a file."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="tries")
    tried_on = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=20, choices=TryKind.choices)
    note = models.CharField(_("précisions"), max_length=300, blank=True)
    file = models.CharField(_("fichier"), max_length=300, blank=True)  # under the evidence dir
    file_sha256 = models.CharField(max_length=64, blank=True)
    added_at = models.DateTimeField(_("ajoutée le"), default=timezone.now, editable=False)
    # Files sent from one address in a day are counted: a keyed hash of the address, never the
    # address itself (views.sender_key).
    sent_from = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["tried_on", "id"]
        verbose_name = _("démarche personnelle")
        indexes = [models.Index(fields=["sent_from", "added_at"])]
