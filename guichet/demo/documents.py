"""The demo services' lists of documents, as préfectures publish them: each with its condition
and what makes it acceptable (guichet.documents; managers edit them in the back-office)."""

from guichet.catalogue.enums import ServiceKind
from guichet.documents.enums import Criterion as C
from guichet.documents.models import Requirement
from guichet.documents.services import publish_list

# (name, condition, criteria, details)
PASSPORT = (
    "Passeport",
    "",
    (C.VALID, C.ALL_PAGES, C.ORIGINAL),
    "pages d'identité, visas et tampons d'entrée",
)
ADDRESS = (
    "Justificatif de domicile",
    "",
    (C.RECENT,),
    "facture d'électricité, de gaz ou de téléphone fixe, quittance de loyer ; hébergé(e) : "
    "attestation d'hébergement, pièce d'identité et justificatif de l'hébergeant",
)
PHOTOS = (
    "3 photos d'identité",
    "",
    (C.RECENT, C.ORIGINAL),
    "norme ISO/IEC 19794-5, photographe agréé ANTS",
)
STAMP = (
    "Timbre fiscal électronique",
    "",
    (),
    "acheté sur timbres.impots.gouv.fr ; le numéro suffit",
)
BIRTH = (
    "Acte de naissance avec filiation",
    "",
    (C.ALL_PAGES, C.TRANSLATED),
    "copie intégrale, avec les noms des parents",
)
MARRIAGE = (
    "Acte de mariage",
    "si marié(e)",
    (C.RECENT, C.TRANSLATED),
    "ou livret de famille",
)
CHILDREN = ("Actes de naissance des enfants", "si vous avez des enfants", (C.TRANSLATED,), "")
PERMIT = ("Titre de séjour actuel", "", (C.BOTH_SIDES, C.ORIGINAL), "")

LISTS = {
    ServiceKind.FIRST_PERMIT: (
        PASSPORT,
        BIRTH,
        MARRIAGE,
        CHILDREN,
        ADDRESS,
        PHOTOS,
        ("Justificatifs du motif de séjour", "", (C.COPY,), "contrat de travail, inscription, …"),
        STAMP,
    ),
    ServiceKind.RENEWAL: (
        PERMIT,
        PASSPORT,
        ADDRESS,
        PHOTOS,
        MARRIAGE,
        (
            "Justificatifs de situation",
            "",
            (C.COPY,),
            "3 derniers bulletins de salaire ou certificat de scolarité de l'année",
        ),
        STAMP,
    ),
    ServiceKind.RESIDENT_CARD_RENEWAL: (
        ("Carte de résident actuelle", "", (C.BOTH_SIDES, C.ORIGINAL), ""),
        PASSPORT,
        ADDRESS,
        PHOTOS,
        STAMP,
    ),
    ServiceKind.NATURALISATION: (
        PASSPORT,
        PERMIT,
        BIRTH,
        MARRIAGE,
        ("Avis d'imposition des trois dernières années", "", (C.ALL_PAGES,), ""),
        ("Diplôme ou attestation de niveau de français B1", "", (C.ORIGINAL,), ""),
        ("Timbre fiscal de 55 €", "", (), ""),
    ),
    ServiceKind.PERMIT_PICKUP: (
        ("SMS ou courrier annonçant que le titre est prêt", "", (), ""),
        ("Récépissé ou ancien titre de séjour", "", (C.ORIGINAL,), ""),
        PASSPORT,
        ("Timbre fiscal", "s'il n'a pas été fourni au dépôt", (), ""),
    ),
    ServiceKind.RECEIPT_PICKUP: (
        ("Récépissé actuel", "", (C.VALID, C.ORIGINAL), ""),
        PASSPORT,
        ADDRESS,
    ),
    ServiceKind.TRAVEL_DOCUMENT: (
        (
            "Titre de séjour ou carte de réfugié",
            "",
            (C.VALID, C.BOTH_SIDES),
            "du demandeur ou des parents",
        ),
        (
            "Acte de naissance du mineur",
            "pour un document de circulation pour mineur",
            (C.TRANSLATED,),
            "",
        ),
        ADDRESS,
        ("2 photos d'identité", "", (C.RECENT,), ""),
        STAMP,
    ),
    ServiceKind.REGULARISATION: (
        PASSPORT,
        ADDRESS,
        (
            "Preuves de présence en France",
            "",
            (C.COPY,),
            "au moins une par semestre, datées et nominatives",
        ),
        (
            "Bulletins de salaire ou promesse d'embauche",
            "pour une admission au titre du travail",
            (C.COPY,),
            "formulaire Cerfa n° 15186",
        ),
        MARRIAGE,
        ("Avis d'imposition", "", (C.ALL_PAGES,), ""),
        PHOTOS,
    ),
}


def add_document_lists(services: dict) -> None:
    """Each demo service's list (`services`: kind -> Service)."""
    Requirement.objects.bulk_create(
        Requirement(
            service=service,
            position=10 * (n + 1),
            name=name,
            condition=condition,
            criteria=[str(c) for c in criteria],
            details=details,
        )
        for kind, service in services.items()
        for n, (name, condition, criteria, details) in enumerate(LISTS.get(kind, ()))
    )
    for service in services.values():
        publish_list(service)
