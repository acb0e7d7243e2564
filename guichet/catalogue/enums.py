from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteKind(models.TextChoices):
    PREFECTURE = "prefecture", _("Préfecture")
    SOUS_PREFECTURE = "sous_prefecture", _("Sous-préfecture")
    ANNEX = "annex", _("Annexe")
    UNIVERSITY = "university", _("Guichet universitaire")


class ServiceKind(models.TextChoices):
    FIRST_PERMIT = "first_permit", _("Première demande de titre de séjour")
    RENEWAL = "renewal", _("Renouvellement de titre de séjour")
    RESIDENT_CARD_RENEWAL = "resident_card_renewal", _("Renouvellement de carte de résident")
    NATURALISATION = "naturalisation", _("Naturalisation")
    PERMIT_PICKUP = "permit_pickup", _("Retrait de titre de séjour")
    RECEIPT_PICKUP = "receipt_pickup", _("Retrait de récépissé")
    TRAVEL_DOCUMENT = "travel_document", _("Document de circulation / titre de voyage")
    REGULARISATION = "regularisation", _("Admission exceptionnelle au séjour")


class DeadlineKind(models.TextChoices):
    """What legal deadline, if any, a request of this service carries."""

    NONE = "none", _("Aucune échéance légale")
    PERMIT_EXPIRY = "permit_expiry", _("Expiration du titre de séjour")
    RECEIPT_EXPIRY = "receipt_expiry", _("Expiration du récépissé")


class ServiceGroup(models.TextChoices):
    """One active request per identity and group: a person cannot hold two places in one line."""

    RESIDENCE = "residence", _("Séjour")
    NATURALISATION = "naturalisation", _("Naturalisation")
    PICKUP = "pickup", _("Retrait de document")
    TRAVEL = "travel", _("Document de voyage")


SERVICE_GROUP = {
    ServiceKind.FIRST_PERMIT: ServiceGroup.RESIDENCE,
    ServiceKind.RENEWAL: ServiceGroup.RESIDENCE,
    ServiceKind.RESIDENT_CARD_RENEWAL: ServiceGroup.RESIDENCE,
    ServiceKind.REGULARISATION: ServiceGroup.RESIDENCE,
    ServiceKind.NATURALISATION: ServiceGroup.NATURALISATION,
    ServiceKind.PERMIT_PICKUP: ServiceGroup.PICKUP,
    ServiceKind.RECEIPT_PICKUP: ServiceGroup.PICKUP,
    ServiceKind.TRAVEL_DOCUMENT: ServiceGroup.TRAVEL,
}


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")
