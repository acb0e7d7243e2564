from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What an agent may do, each role including the ones before it."""

    AGENT = "agent", _("Agent")
    MANAGER = "manager", _("Chef de bureau")
    ADMINISTRATOR = "administrator", _("Administrateur")


ROLE_RANK = {Role.AGENT: 1, Role.MANAGER: 2, Role.ADMINISTRATOR: 3}


class JournalAction(models.TextChoices):
    """What an agent did, as the journal names it for managers."""

    SIGNED_IN = "signed_in", _("connexion")
    ATTENDED = "attended", _("présence enregistrée")
    NO_SHOW = "no_show", _("absence enregistrée")
    REQUEST_REGISTERED = "request_registered", _("demande enregistrée pour une personne")
    DUPLICATE_REGISTRATION = "duplicate_registration", _("demande déjà enregistrée retrouvée")
    DUPLICATE_REGISTRATION_ELSEWHERE = (
        "duplicate_registration_elsewhere",
        _("demande déjà enregistrée dans une autre préfecture"),
    )
    CAPACITY_RULE_ADDED = "capacity_rule_added", _("ouverture ajoutée")
    CAPACITY_CLOSURE_ADDED = "capacity_closure_added", _("fermeture ajoutée")
    REGISTRY_IMPORT = "registry_import", _("registre des titres importé")
    PERMIT_CHECK_ACCEPTED = "permit_check_accepted", _("numéro étranger accepté après vérification")
    PERMIT_CHECK_REJECTED = "permit_check_rejected", _("numéro étranger refusé après vérification")
    REQUEST_CANCELLED = "request_cancelled", _("demande annulée par un agent")
    REQUESTS_MERGED = "requests_merged", _("doublons d'une même personne fusionnés")
    DISPUTE_UPHELD = "dispute_upheld", _("contestation d'identité reconnue")
    DISPUTE_REJECTED = "dispute_rejected", _("contestation d'identité rejetée")
    REQUEST_RESUMED = "request_resumed", _("remise dans la file")
    DOCUMENTS_CHECKED = "documents_checked", _("documents vérifiés avant le rendez-vous")
    DOCUMENT_RECEIVED_BY_POST = "document_received_by_post", _("document reçu par courrier")
    DOCUMENT_LIST_CHANGED = "document_list_changed", _("liste des documents d'un motif modifiée")
