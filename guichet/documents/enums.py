from django.db import models
from django.utils.translation import gettext_lazy as _


class Criterion(models.TextChoices):
    """What makes a document acceptable, as the préfecture's list says it."""

    ORIGINAL = "original", _("original à présenter le jour du rendez-vous")
    COPY = "copy", _("photocopie lisible")
    RECENT = "recent", _("de moins de 3 mois")
    ALL_PAGES = "all_pages", _("toutes les pages")
    BOTH_SIDES = "both_sides", _("recto et verso")
    VALID = "valid", _("en cours de validité")
    TRANSLATED = "translated", _("traduit par un traducteur agréé")


class DocumentState(models.TextChoices):
    """Where one document of the list stands, as the person and the agents read it."""

    EXPECTED = "expected", _("À envoyer")
    SENT = "sent", _("Envoyé, en attente de vérification")
    ACCEPTED = "accepted", _("Accepté")
    REDO = "redo", _("À refaire")
    MISSING = "missing", _("Manquant")
    NOT_CONCERNED = "not_concerned", _("Ne me concerne pas")


# A dossier is complete when every document of its list is in one of these states.
COMPLETE_STATES = (DocumentState.ACCEPTED, DocumentState.NOT_CONCERNED)


class Decision(models.TextChoices):
    """What an agent decides on one document."""

    ACCEPTED = DocumentState.ACCEPTED, _("Accepté")
    REDO = DocumentState.REDO, _("À refaire")
    MISSING = DocumentState.MISSING, _("Manquant")


class RedoReason(models.TextChoices):
    """Why a document must be sent again: the reasons agents give most."""

    UNREADABLE = "unreadable", _("illisible ou flou")
    INCOMPLETE = "incomplete", _("incomplet : des pages ou un côté manquent")
    TOO_OLD = "too_old", _("trop ancien ou expiré")
    WRONG_DOCUMENT = "wrong_document", _("ce n'est pas le document demandé")
    NAME_MISMATCH = "name_mismatch", _("le nom ne correspond pas à la demande")
    NOT_TRANSLATED = "not_translated", _("traduction par un traducteur agréé manquante")
    OTHER = "other", _("autre raison (précisée ci-dessous)")


class Sender(models.TextChoices):
    """Who put a file in the dossier."""

    PERSON = "person", _("la personne")
    ASSOCIATION = "association", _("l'association qui l'accompagne")
    POST = "post", _("un agent, reçu par courrier")


class EventKind(models.TextChoices):
    """The dossier's history: one kind per action, each written by its own constructor."""

    SENT = "sent", _("document envoyé")
    RECEIVED_BY_POST = "received_by_post", _("document reçu par courrier")
    NOT_CONCERNED = "not_concerned", _("document déclaré sans objet")
    BRING_ON_THE_DAY = "bring_on_the_day", _("documents apportés le jour du rendez-vous")
    REVIEWED = "reviewed", _("document vérifié")
    ERASED = "erased", _("fichiers effacés à la fin de leur conservation")
