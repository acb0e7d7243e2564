"""The documents a service asks for, and each person's dossier of them, checked before the visit.

A requirement is data a préfecture's managers edit; a dossier holds one `Document` per
requirement of its request's service, with the file sent (stored outside the static files,
`storage.py`) and the agents' decision; `DocumentEvent` is its append-only history.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.append_only import AppendOnlyModel
from guichet.catalogue.models import Service

from .enums import Criterion, DocumentState, EventKind, RedoReason, Sender


class Requirement(models.Model):
    """One document a service asks for, with its condition and what makes it acceptable."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requirements")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    name = models.CharField(_("document"), max_length=200)
    condition = models.CharField(
        _("condition"),
        max_length=200,
        blank=True,
        help_text=_("Vide si le document est demandé à tous ; sinon, par exemple « si marié(e) »."),
    )
    criteria = models.JSONField(_("critères d'acceptation"), default=list, blank=True)
    details = models.CharField(_("précisions"), max_length=300, blank=True)
    active = models.BooleanField(_("demandé"), default=True)

    class Meta:
        ordering = ["service", "position", "id"]
        verbose_name = _("document demandé")
        verbose_name_plural = _("documents demandés")

    def __str__(self):
        return self.name

    @property
    def criteria_labels(self) -> list[str]:
        labels = dict(Criterion.choices)
        return [str(labels[value]) for value in self.criteria if value in labels]


class Dossier(models.Model):
    """A request's documents, sent before the visit or brought on the day."""

    request = models.OneToOneField(
        "booking.Request", on_delete=models.CASCADE, related_name="document_dossier"
    )
    bring_on_the_day = models.BooleanField(_("tout apporter le jour du rendez-vous"), default=False)
    # How many times agents sent the person the result of a check (each message's key).
    reviews = models.PositiveIntegerField(default=0, editable=False)
    files_erased_at = models.DateTimeField(_("fichiers effacés le"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier de documents")
        verbose_name_plural = _("dossiers de documents")

    def __str__(self):
        return f"{self.request}"


class Document(models.Model):
    """One document of the list in one dossier: its file (if sent) and where it stands."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="documents")
    state = models.CharField(
        _("état"), max_length=20, choices=DocumentState.choices, default=DocumentState.EXPECTED
    )
    # Relative to settings.GUICHET_DOCUMENTS_DIR; a random name, never the one sent.
    file = models.CharField(max_length=120, blank=True, editable=False)
    file_kind = models.CharField(max_length=4, blank=True, editable=False)
    file_bytes = models.PositiveIntegerField(default=0, editable=False)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    sent_by = models.CharField(_("envoyé par"), max_length=20, choices=Sender.choices, blank=True)
    reviewed_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("raison"), max_length=20, choices=RedoReason.choices, blank=True)
    note = models.CharField(_("précision de l'agent"), max_length=300, blank=True)

    class Meta:
        ordering = ["requirement__position", "requirement_id"]
        verbose_name = _("document")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "requirement"], name="one_document_per_requirement"
            ),
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self):
        return f"{self.dossier} — {self.requirement}"

    @property
    def has_file(self) -> bool:
        return bool(self.file)


class DocumentEvent(AppendOnlyModel):
    """The dossier's history, written once: who sent, declared or decided what, and when.

    Each action has its constructor below, so every line of a kind carries the same facts.
    No file name and no document number: the kind of document and the decision only.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("événement du dossier")

    @classmethod
    def write(cls, document_or_dossier, kind: str, *, user=None, at=None, **detail):
        if isinstance(document_or_dossier, Document):
            dossier, requirement = document_or_dossier.dossier, document_or_dossier.requirement
        else:
            dossier, requirement = document_or_dossier, None
        return cls.objects.create(
            dossier=dossier,
            requirement=requirement,
            at=at or timezone.now(),
            kind=kind,
            user=user,
            detail=detail,
        )

    @classmethod
    def sent(cls, document: Document, *, sender: str, user=None, replaced: bool, at=None):
        return cls.write(
            document,
            EventKind.SENT,
            user=user,
            at=at,
            sender=sender,
            file_kind=document.file_kind,
            bytes=document.file_bytes,
            replaced=replaced,
        )

    @classmethod
    def received_by_post(cls, document: Document, *, user, replaced: bool, at=None):
        return cls.write(
            document,
            EventKind.RECEIVED_BY_POST,
            user=user,
            at=at,
            file_kind=document.file_kind,
            replaced=replaced,
        )

    @classmethod
    def not_concerned(cls, document: Document, *, user=None, at=None):
        return cls.write(document, EventKind.NOT_CONCERNED, user=user, at=at)

    @classmethod
    def bring_on_the_day(cls, dossier: Dossier, *, user=None, at=None):
        return cls.write(dossier, EventKind.BRING_ON_THE_DAY, user=user, at=at)

    @classmethod
    def reviewed(cls, document: Document, *, user, at=None):
        return cls.write(
            document,
            EventKind.REVIEWED,
            user=user,
            at=at,
            decision=document.state,
            reason=document.reason,
            note=document.note,
        )

    @classmethod
    def erased(cls, dossier: Dossier, *, files: int, reason: str, at=None):
        return cls.write(dossier, EventKind.ERASED, at=at, files=files, reason=reason)
