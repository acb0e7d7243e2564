"""The three demo préfectures: their sites, services, opening hours and closures.

Capacity is deliberately short for naturalisation and regularisation, as in real préfectures,
so that the demo shows a waiting list and ranks, not only dated requests.
"""

import dataclasses
import datetime

from guichet.catalogue.enums import DeadlineKind, ServiceKind, SiteKind, Weekday

MON, TUE, WED, THU, FRI = (
    Weekday.MONDAY,
    Weekday.TUESDAY,
    Weekday.WEDNESDAY,
    Weekday.THURSDAY,
    Weekday.FRIDAY,
)
WEEKDAYS = (MON, TUE, WED, THU, FRI)
MORNING = ("09:00", "12:00")
AFTERNOON = ("13:30", "16:00")


@dataclasses.dataclass(frozen=True)
class ServiceSpec:
    name: str
    description: str
    duration_minutes: int
    documents: tuple[str, ...]
    deadline_kind: str = DeadlineKind.NONE
    target_wait_days: int = 60
    needs_permit_number: bool = False


@dataclasses.dataclass(frozen=True)
class Opening:
    """Every one of `weekdays`, from `hours[0]` to `hours[1]`, `desks` desks for one service."""

    service: ServiceKind
    weekdays: tuple[int, ...]
    hours: tuple[str, str]
    desks: int
    slot_minutes: int

    @property
    def opens_at(self) -> datetime.time:
        return datetime.time.fromisoformat(self.hours[0])

    @property
    def closes_at(self) -> datetime.time:
        return datetime.time.fromisoformat(self.hours[1])


@dataclasses.dataclass(frozen=True)
class SiteSpec:
    name: str
    kind: str
    address: str
    openings: tuple[Opening, ...]


@dataclasses.dataclass(frozen=True)
class ClosureSpec:
    """Closed `days` days from the Monday `weeks_ahead` weeks after the demo is seeded."""

    reason: str
    weeks_ahead: int
    days: int
    site: str | None = None  # a site's name; None closes the whole préfecture


@dataclasses.dataclass(frozen=True)
class PrefectureSpec:
    department_code: str
    name: str
    sites: tuple[SiteSpec, ...]
    closures: tuple[ClosureSpec, ...]


IDENTITY = "Passeport en cours de validité (pages d'identité, visas et tampons d'entrée)"
ADDRESS = "Justificatif de domicile de moins de 3 mois (facture, quittance de loyer ou attestation d'hébergement avec la pièce d'identité de l'hébergeant)"  # noqa: E501
PHOTOS = "3 photos d'identité récentes et conformes aux normes"
STAMP = "Timbre fiscal électronique (timbres.impots.gouv.fr)"
CURRENT_PERMIT = "Titre de séjour en cours de validité (original et copie recto verso)"

SERVICES = {
    ServiceKind.FIRST_PERMIT: ServiceSpec(
        name="Première demande de titre de séjour",
        description="Dépôt d'un premier dossier de titre de séjour, quel qu'en soit le motif.",
        duration_minutes=30,
        documents=(
            IDENTITY,
            "Acte de naissance avec filiation, traduit par un traducteur agréé",
            ADDRESS,
            PHOTOS,
            "Justificatifs du motif de séjour (contrat de travail, inscription, livret de famille)",
            STAMP,
        ),
        target_wait_days=60,
    ),
    ServiceKind.RENEWAL: ServiceSpec(
        name="Renouvellement de titre de séjour",
        description="À demander entre le 120e et le 60e jour avant l'expiration du titre.",
        duration_minutes=20,
        documents=(
            CURRENT_PERMIT,
            IDENTITY,
            ADDRESS,
            PHOTOS,
            "Justificatifs de situation (bulletins de salaire, certificat de scolarité)",
            STAMP,
        ),
        deadline_kind=DeadlineKind.PERMIT_EXPIRY,
        needs_permit_number=True,
    ),
    ServiceKind.RESIDENT_CARD_RENEWAL: ServiceSpec(
        name="Renouvellement de carte de résident",
        description="Renouvellement de la carte de résident de dix ans.",
        duration_minutes=20,
        documents=(
            "Carte de résident en cours de validité (original et copie recto verso)",
            IDENTITY,
            ADDRESS,
            PHOTOS,
            STAMP,
        ),
        deadline_kind=DeadlineKind.PERMIT_EXPIRY,
        needs_permit_number=True,
    ),
    ServiceKind.NATURALISATION: ServiceSpec(
        name="Naturalisation — entretien d'assimilation",
        description="Entretien individuel après le dépôt du dossier de naturalisation.",
        duration_minutes=60,
        documents=(
            IDENTITY,
            CURRENT_PERMIT,
            "Acte de naissance avec filiation, traduit par un traducteur agréé",
            "Avis d'imposition des trois dernières années",
            "Diplôme ou attestation de niveau de français B1",
            "Timbre fiscal de 55 €",
        ),
        target_wait_days=180,
    ),
    ServiceKind.PERMIT_PICKUP: ServiceSpec(
        name="Retrait de titre de séjour",
        description="Remise du titre fabriqué, après le SMS annonçant qu'il est disponible.",
        duration_minutes=10,
        documents=(
            "SMS ou courrier annonçant que le titre est prêt",
            "Récépissé ou ancien titre de séjour",
            IDENTITY,
            "Timbre fiscal, s'il n'a pas été fourni au dépôt",
        ),
        target_wait_days=30,
    ),
    ServiceKind.RECEIPT_PICKUP: ServiceSpec(
        name="Retrait de récépissé",
        description="Nouveau récépissé avant l'expiration du précédent, le temps de l'instruction.",
        duration_minutes=10,
        documents=("Récépissé en cours de validité", IDENTITY, ADDRESS),
        deadline_kind=DeadlineKind.RECEIPT_EXPIRY,
        target_wait_days=30,
    ),
    ServiceKind.TRAVEL_DOCUMENT: ServiceSpec(
        name="Document de circulation / titre de voyage",
        description="Document de circulation pour mineur étranger, titre de voyage pour réfugié.",
        duration_minutes=20,
        documents=(
            "Titre de séjour ou carte de réfugié du demandeur ou des parents",
            "Acte de naissance du mineur, le cas échéant",
            ADDRESS,
            "2 photos d'identité récentes",
            STAMP,
        ),
    ),
    ServiceKind.REGULARISATION: ServiceSpec(
        name="Admission exceptionnelle au séjour",
        description="Régularisation au titre du travail ou de la vie privée et familiale.",
        duration_minutes=45,
        documents=(
            IDENTITY,
            ADDRESS,
            "Preuves de présence en France, au moins une par semestre",
            "Bulletins de salaire ou promesse d'embauche (formulaire Cerfa n° 15186)",
            "Avis d'imposition",
            PHOTOS,
        ),
        target_wait_days=120,
    ),
}


def desk(service, weekdays, hours, desks=1, slot=20) -> Opening:
    return Opening(service, tuple(weekdays), hours, desks, slot)


K = ServiceKind

PREFECTURES = (
    PrefectureSpec(
        department_code="34",
        name="Hérault",
        sites=(
            SiteSpec(
                "Préfecture de l'Hérault — Montpellier",
                SiteKind.PREFECTURE,
                "34 place des Martyrs de la Résistance, 34000 Montpellier",
                (
                    desk(K.FIRST_PERMIT, WEEKDAYS, MORNING, desks=3, slot=30),
                    desk(K.RENEWAL, WEEKDAYS, MORNING, desks=2),
                    desk(K.RENEWAL, WEEKDAYS, AFTERNOON, desks=2),
                    desk(K.RESIDENT_CARD_RENEWAL, (TUE, THU), ("13:30", "16:30")),
                    desk(K.NATURALISATION, (TUE,), MORNING, slot=60),
                    desk(K.PERMIT_PICKUP, (MON, WED, FRI), AFTERNOON, desks=2, slot=10),
                    desk(K.RECEIPT_PICKUP, WEEKDAYS, ("13:30", "15:00"), slot=10),
                    desk(K.TRAVEL_DOCUMENT, (WED,), MORNING),
                    desk(K.REGULARISATION, (THU,), ("09:00", "10:30"), slot=45),
                ),
            ),
            SiteSpec(
                "Sous-préfecture de Béziers",
                SiteKind.SOUS_PREFECTURE,
                "Boulevard Édouard Herriot, 34500 Béziers",
                (
                    desk(K.FIRST_PERMIT, (MON, TUE, THU), MORNING, slot=30),
                    desk(K.RENEWAL, (MON, TUE, WED, THU), MORNING),
                    desk(K.PERMIT_PICKUP, (FRI,), MORNING, slot=10),
                    desk(K.RECEIPT_PICKUP, (FRI,), ("09:00", "11:00"), slot=10),
                ),
            ),
            SiteSpec(
                "Sous-préfecture de Lodève",
                SiteKind.SOUS_PREFECTURE,
                "2 place Alsace-Lorraine, 34700 Lodève",
                (
                    desk(K.RENEWAL, (TUE,), MORNING),
                    desk(K.PERMIT_PICKUP, (TUE,), ("13:30", "15:30"), slot=15),
                ),
            ),
            SiteSpec(
                "Guichet étudiants — Université de Montpellier",
                SiteKind.UNIVERSITY,
                "Campus Triolet, place Eugène Bataillon, 34090 Montpellier",
                (
                    desk(K.FIRST_PERMIT, (TUE, THU), ("09:30", "12:30"), desks=2, slot=30),
                    desk(K.RENEWAL, (TUE, THU), ("13:30", "16:30"), desks=2),
                ),
            ),
        ),
        closures=(
            ClosureSpec(
                "Travaux de mise en accessibilité de l'accueil",
                weeks_ahead=3,
                days=5,
                site="Sous-préfecture de Lodève",
            ),
        ),
    ),
    PrefectureSpec(
        department_code="94",
        name="Val-de-Marne",
        sites=(
            SiteSpec(
                "Préfecture du Val-de-Marne — Créteil",
                SiteKind.PREFECTURE,
                "21-29 avenue du Général de Gaulle, 94000 Créteil",
                (
                    desk(K.FIRST_PERMIT, WEEKDAYS, MORNING, desks=4, slot=30),
                    desk(K.RENEWAL, WEEKDAYS, MORNING, desks=3),
                    desk(K.RENEWAL, WEEKDAYS, AFTERNOON, desks=3),
                    desk(K.RESIDENT_CARD_RENEWAL, (MON, WED), ("13:30", "16:30"), desks=2),
                    desk(K.NATURALISATION, (MON, THU), MORNING, slot=60),
                    desk(K.PERMIT_PICKUP, WEEKDAYS, AFTERNOON, desks=2, slot=10),
                    desk(K.RECEIPT_PICKUP, WEEKDAYS, ("09:00", "10:30"), slot=10),
                    desk(K.TRAVEL_DOCUMENT, (TUE,), ("13:30", "16:30")),
                    desk(K.REGULARISATION, (FRI,), ("09:00", "10:30"), slot=45),
                ),
            ),
            SiteSpec(
                "Sous-préfecture de Nogent-sur-Marne",
                SiteKind.SOUS_PREFECTURE,
                "4 avenue de Lattre de Tassigny, 94130 Nogent-sur-Marne",
                (
                    desk(K.FIRST_PERMIT, (TUE, THU), MORNING, slot=30),
                    desk(K.RENEWAL, WEEKDAYS, MORNING, desks=2),
                    desk(K.PERMIT_PICKUP, (WED,), AFTERNOON, slot=10),
                    desk(K.RECEIPT_PICKUP, WEEKDAYS, ("13:30", "14:30"), slot=10),
                ),
            ),
            SiteSpec(
                "Sous-préfecture de L'Haÿ-les-Roses",
                SiteKind.SOUS_PREFECTURE,
                "2 avenue Larroumès, 94240 L'Haÿ-les-Roses",
                (
                    desk(K.RENEWAL, WEEKDAYS, MORNING),
                    desk(K.PERMIT_PICKUP, (TUE, THU), AFTERNOON, slot=10),
                    desk(K.TRAVEL_DOCUMENT, (THU,), MORNING),
                ),
            ),
        ),
        closures=(
            ClosureSpec(
                "Déménagement du service des étrangers",
                weeks_ahead=5,
                days=4,
                site="Sous-préfecture de Nogent-sur-Marne",
            ),
        ),
    ),
    PrefectureSpec(
        department_code="91",
        name="Essonne",
        sites=(
            SiteSpec(
                "Préfecture de l'Essonne — Évry-Courcouronnes",
                SiteKind.PREFECTURE,
                "Boulevard de France, 91000 Évry-Courcouronnes",
                (
                    desk(K.FIRST_PERMIT, WEEKDAYS, MORNING, desks=3, slot=30),
                    desk(K.RENEWAL, WEEKDAYS, MORNING, desks=2),
                    desk(K.RENEWAL, WEEKDAYS, AFTERNOON, desks=2),
                    desk(K.RESIDENT_CARD_RENEWAL, (TUE, THU), ("13:30", "16:30")),
                    desk(K.NATURALISATION, (WED,), MORNING, slot=60),
                    desk(K.PERMIT_PICKUP, WEEKDAYS, AFTERNOON, desks=2, slot=10),
                    desk(K.RECEIPT_PICKUP, WEEKDAYS, ("13:30", "15:00"), slot=10),
                    desk(K.TRAVEL_DOCUMENT, (MON,), ("13:30", "16:30")),
                    desk(K.REGULARISATION, (TUE,), ("09:00", "10:30"), slot=45),
                ),
            ),
            SiteSpec(
                "Sous-préfecture d'Étampes",
                SiteKind.SOUS_PREFECTURE,
                "2 rue Van Loo, 91150 Étampes",
                (
                    desk(K.FIRST_PERMIT, (MON, THU), MORNING, slot=30),
                    desk(K.RENEWAL, (TUE, THU), MORNING),
                    desk(K.PERMIT_PICKUP, (FRI,), ("09:00", "11:00"), slot=10),
                ),
            ),
            SiteSpec(
                "Sous-préfecture de Palaiseau",
                SiteKind.SOUS_PREFECTURE,
                "6 rue Émile Zola, 91120 Palaiseau",
                (
                    desk(K.FIRST_PERMIT, WEEKDAYS, MORNING, slot=30),
                    desk(K.RENEWAL, WEEKDAYS, MORNING),
                    desk(K.RENEWAL, WEEKDAYS, AFTERNOON),
                    desk(K.PERMIT_PICKUP, (WED,), AFTERNOON, slot=10),
                    desk(K.RECEIPT_PICKUP, WEEKDAYS, ("09:00", "10:00"), slot=10),
                ),
            ),
        ),
        closures=(
            ClosureSpec(
                "Formation des agents au nouveau logiciel de gestion des titres",
                weeks_ahead=2,
                days=1,
            ),
        ),
    ),
)
