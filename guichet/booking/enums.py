from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("En attente de confirmation du contact")
    # The permit number was not found in the préfecture's registry: an agent checks it first.
    HELD = "held", _("En attente de vérification par un agent")
    WAITING = "waiting", _("En attente d'une date")
    DATED = "dated", _("Rendez-vous fixé")
    # Its date was released for lack of reconfirmation: it keeps its registration and deadline
    # but gets no new date until the person says they still need one (booking/reminders.py).
    PAUSED = "paused", _("En pause : rendez-vous libéré faute de confirmation")
    CANCELLED = "cancelled", _("Annulée")
    ATTENDED = "attended", _("Reçue au guichet")
    NO_SHOW = "no_show", _("Absente au rendez-vous")
    EXPIRED = "expired", _("Expirée (contact non confirmé)")
    LAPSED = "lapsed", _("Close : pas de réponse après la libération du rendez-vous")
    # Its contact was confirmed while another request of the same identity held the place.
    DUPLICATE = (
        "duplicate",
        _("Non entrée dans la file : une demande existe déjà pour cette identité"),
    )


# Requests still going somewhere: the person may cancel them or change their contact.
ACTIVE_STATUSES = (
    RequestStatus.UNVERIFIED,
    RequestStatus.HELD,
    RequestStatus.WAITING,
    RequestStatus.DATED,
    RequestStatus.PAUSED,
)
# Places in line. A person holds at most one of these per service group; an unverified request
# is not one yet, since anyone can submit one for anyone (docs/decisions/0004). A paused request
# keeps its identity's place: the person gets it back by saying they still need a date.
QUEUED_STATUSES = (
    RequestStatus.HELD,
    RequestStatus.WAITING,
    RequestStatus.DATED,
    RequestStatus.PAUSED,
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
    DUPLICATE_SUBMISSION = (
        "duplicate_submission",
        _("Nouvelle demande déposée avec la même identité"),
    )
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
    STILL_NEEDED = (
        "still_needed",
        _("Toujours besoin d'un rendez-vous : demande remise dans la file d'attente"),
    )
    # The person may do it once by themselves; after that only the préfecture (reminders.py).
    RESUMED_BY_PREFECTURE = (
        "resumed_by_prefecture",
        _("Remise dans la file d'attente par la préfecture, documents vérifiés"),
    )
    LAPSED = "lapsed", _("Demande close : pas de réponse après la libération du rendez-vous")
    ATTENDED = "attended", _("Reçue au guichet")
    NO_SHOW = "no_show", _("Absente au rendez-vous")
    PREFERENCES_CHANGED = "preferences_changed", _("Préférences modifiées")
    DUPLICATE_CLOSED = (
        "duplicate_closed",
        _("Non entrée dans la file : une demande existe déjà pour cette identité"),
    )
    DISPUTE_OPENED = "dispute_opened", _("Contestation « Ce n'est pas moi » déposée")
    DISPUTE_UPHELD = (
        "dispute_upheld",
        _("Contestation reconnue par un agent : la demande entre dans la file"),
    )
    DISPUTE_REJECTED = "dispute_rejected", _("Contestation rejetée après vérification")
    MERGED = "merged", _("Doublon fusionné par un agent : cette demande garde sa place")


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


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("À examiner")
    UPHELD = "upheld", _("Reconnue : la demande contestée est annulée")
    REJECTED = "rejected", _("Rejetée : la demande contestée est maintenue")


class DisputeProof(models.TextChoices):
    """How a person who says « Ce n'est pas moi » will show their papers to an agent."""

    COUNTER = "counter", _("Au guichet de la préfecture, avec mes documents")
    POST = "post", _("Par courrier, avec une copie de mes documents")
    ASSOCIATION = "association", _("Par une association qui m'accompagne")
