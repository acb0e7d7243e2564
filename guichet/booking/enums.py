from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("En attente de confirmation du contact")
    # The permit number was not found in the préfecture's registry: an agent checks it first.
    HELD = "held", _("En attente de vérification par un agent")
    WAITING = "waiting", _("En attente d'une date")
    DATED = "dated", _("Rendez-vous fixé")
    CANCELLED = "cancelled", _("Annulée")
    ATTENDED = "attended", _("Reçue au guichet")
    NO_SHOW = "no_show", _("Absente au rendez-vous")
    EXPIRED = "expired", _("Expirée (contact non confirmé)")


# A person holds at most one of these per service group.
ACTIVE_STATUSES = (
    RequestStatus.UNVERIFIED,
    RequestStatus.HELD,
    RequestStatus.WAITING,
    RequestStatus.DATED,
)


class Channel(models.TextChoices):
    WEB = "web", _("Site internet")
    API = "api", _("API")
    COUNTER = "counter", _("Guichet")
    PHONE = "phone", _("Téléphone")
    POST = "post", _("Courrier")
    ASSOCIATION = "association", _("Association")
    # Registered by the préfecture itself before the person asked: a proactive renewal.
    INVITATION = "invitation", _("Convocation de la préfecture")


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Demande enregistrée")
    DUPLICATE_SUBMISSION = "duplicate_submission", _("Nouvelle soumission de la même demande")
    DATED = "dated", _("Rendez-vous attribué")
    CANCELLED = "cancelled", _("Demande annulée")
    CONTACT_CONFIRMED = "contact_confirmed", _("Coordonnées confirmées")
    HELD = "held", _("Numéro étranger à vérifier par un agent")
    PERMIT_CHECKED = "permit_checked", _("Numéro étranger vérifié par un agent")
    CONTACT_CHANGED = "contact_changed", _("Coordonnées modifiées")
    EXPIRED = "expired", _("Demande expirée faute de confirmation")
    OFFER_MADE = "offer_made", _("Date plus proche proposée")
    MOVED_EARLIER = "moved_earlier", _("Rendez-vous avancé")
    OFFER_DECLINED = "offer_declined", _("Date plus proche refusée")
    OFFER_EXPIRED = "offer_expired", _("Proposition expirée sans réponse")
    RECONFIRMATION_ASKED = "reconfirmation_asked", _("Confirmation de présence demandée")
    RECONFIRMED = "reconfirmed", _("Présence confirmée")
    RELEASED = "released", _("Créneau libéré faute de confirmation")
    ATTENDED = "attended", _("Reçue au guichet")
    NO_SHOW = "no_show", _("Absente au rendez-vous")
    PREFERENCES_CHANGED = "preferences_changed", _("Préférences modifiées")


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("En attente de réponse")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Refusée")
    EXPIRED = "expired", _("Expirée")
    WITHDRAWN = "withdrawn", _("Retirée")


class LossReason(models.TextChoices):
    NOBODY_WAITING = "nobody_waiting", _("Personne ne pouvait prendre ce créneau")
    NOT_TAKEN = "not_taken", _("Proposé, mais personne ne l'a accepté à temps")
    TOO_LATE = "too_late", _("Libéré trop tard pour être proposé")
    CLOSED = "closed", _("Retiré par une fermeture")
