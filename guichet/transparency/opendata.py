"""The open data: every snapshot as rows of one table, in CSV and JSON, with its Table Schema.

One row per snapshot and window (30 and 365 days). The columns are declared once, below, and
give the CSV header, the JSON keys and the schema's fields, so the three never disagree. Small
counts are empty (disclosure.py). Licence Ouverte 2.0 (Etalab).
"""

import csv
import dataclasses
import io
from collections.abc import Callable, Iterable

from django.conf import settings

from guichet.booking.enums import Channel, LossReason

from .disclosure import published, threshold
from .figures import DEADLINE_BUCKETS
from .models import Snapshot

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
CHANNEL_COLUMNS = {
    Channel.WEB: "internet",
    Channel.API: "api",
    Channel.COUNTER: "guichet",
    Channel.PHONE: "telephone",
    Channel.POST: "courrier",
    Channel.ASSOCIATION: "association",
    Channel.INVITATION: "convocation",
}
DEADLINE_COLUMNS = {
    "overdue": ("echeance_depassee", "déjà dépassée"),
    "within_30_days": ("echeance_0_30_jours", "dans 0 à 30 jours"),
    "within_90_days": ("echeance_31_90_jours", "dans 31 à 90 jours"),
    "within_180_days": ("echeance_91_180_jours", "dans 91 à 180 jours"),
    "later": ("echeance_plus_de_180_jours", "dans plus de 180 jours"),
}
LOSS_COLUMNS = {
    LossReason.NOBODY_WAITING: "creneaux_perdus_personne_en_attente",
    LossReason.NOT_TAKEN: "creneaux_perdus_non_acceptes",
    LossReason.TOO_LATE: "creneaux_perdus_liberes_trop_tard",
    LossReason.CLOSED: "creneaux_perdus_fermeture",
}


def people_with_deadline(key: str) -> Callable[[Snapshot, dict, dict], object]:
    return lambda s, f, w: f["waiting"]["deadlines"][key]


@dataclasses.dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    value: Callable[[Snapshot, dict, dict], object]
    # Columns that name the row: never empty, and together unique.
    key: bool = False


def window(key: str, *path: str):
    """The value at `path` in the row's window."""

    def read(snapshot, figures, window_figures):
        value = window_figures[key]
        for part in path:
            value = value[part]
        return value

    return read


def columns() -> list[Column]:
    people = f"(vide si entre 1 et {threshold() - 1} personnes)"
    cols = [
        Column("date", "date", "Jour du calcul (heure de Paris)", lambda s, f, w: s.day, True),
        Column(
            "code_departement",
            "string",
            "Code du département de la préfecture ; vide pour l'ensemble des préfectures",
            lambda s, f, w: s.department_code,
            True,
        ),
        Column("prefecture", "string", "Nom de la préfecture", lambda s, f, w: s.prefecture_name),
        Column(
            "code_motif",
            "string",
            "Code du motif de rendez-vous ; vide pour l'ensemble des motifs",
            lambda s, f, w: s.service_kind,
            True,
        ),
        Column("motif", "string", "Nom du motif", lambda s, f, w: s.service_name),
        Column(
            "periode_jours",
            "integer",
            "Période des délais et de la capacité : les N derniers jours",
            lambda s, f, w: w["window_days"],
            True,
        ),
        Column(
            "personnes_en_attente",
            "integer",
            f"Demandes dans la file sans date ce jour-là {people}",
            lambda s, f, w: f["waiting"]["count"],
        ),
    ]
    for key, _first, _last in DEADLINE_BUCKETS:
        name, label = DEADLINE_COLUMNS[key]
        cols.append(
            Column(
                name,
                "integer",
                f"Personnes en attente dont l'échéance est {label} {people}",
                people_with_deadline(key),
            )
        )
    for measure, label in (
        ("wait_to_date_given", "de l'enregistrement au jour de rendez-vous donné"),
        ("wait_to_appointment", "de l'enregistrement au rendez-vous tenu"),
    ):
        short = "date_donnee" if measure == "wait_to_date_given" else "rendez_vous"
        cols += [
            Column(
                f"personnes_{short}",
                "integer",
                f"Personnes comptées dans le délai {label} {people}",
                window(measure, "count"),
            ),
            Column(
                f"delai_{short}_median_jours",
                "number",
                f"Délai médian {label}, en jours",
                window(measure, "median_days"),
            ),
            Column(
                f"delai_{short}_p90_jours",
                "number",
                f"Délai {label} que 90 % des personnes n'ont pas dépassé, en jours",
                window(measure, "p90_days"),
            ),
        ]
    cols += [
        Column(
            "renouvellements_dates",
            "integer",
            f"Demandes à échéance légale datées sur la période {people}",
            window("renewals", "dated"),
        ),
        Column(
            "part_datee_avant_expiration",
            "number",
            "Part de ces demandes dont le rendez-vous est avant l'expiration du titre (0 à 1)",
            window("renewals", "share_dated_before_expiry"),
        ),
        Column(
            "renouvellements_recus",
            "integer",
            f"Demandes à échéance légale reçues au guichet sur la période {people}",
            window("renewals", "seen"),
        ),
        Column(
            "part_recue_apres_expiration",
            "number",
            "Part de ces personnes reçues après l'expiration de leur titre (0 à 1)",
            window("renewals", "share_seen_after_expiry"),
        ),
        Column(
            "creneaux_ouverts",
            "integer",
            "Créneaux ouverts sur la période (déjà passés)",
            window("capacity", "opened"),
        ),
        Column(
            "creneaux_utilises",
            "integer",
            f"Créneaux où la personne est venue {people}",
            window("capacity", "used"),
        ),
        Column(
            "absences",
            "integer",
            f"Créneaux où la personne n'est pas venue {people}",
            window("capacity", "no_show"),
        ),
    ]
    for reason in LossReason:
        cols.append(
            Column(
                LOSS_COLUMNS[reason],
                "integer",
                f"Créneaux perdus : {reason.label}",
                window("capacity", "lost", reason.value),
            )
        )
    cols.append(
        Column(
            "taux_absence",
            "number",
            "Absences rapportées aux rendez-vous tenus ou manqués (0 à 1)",
            window("no_show_rate"),
        )
    )
    for channel in Channel:
        name = CHANNEL_COLUMNS[channel]
        cols += [
            Column(
                f"personnes_datees_{name}",
                "integer",
                f"Demandes datées sur la période, canal {channel.label} {people}",
                window("by_channel", channel.value, "count"),
            ),
            Column(
                f"delai_date_donnee_median_jours_{name}",
                "number",
                f"Délai médian jusqu'au jour de rendez-vous donné, canal {channel.label}",
                window("by_channel", channel.value, "median_days"),
            ),
        ]
    return cols


def table_schema() -> dict:
    """The Table Schema (frictionless) of the CSV and of the JSON's rows."""
    return {
        "name": "guichet-file-attente",
        "title": "La file d'attente en clair : chiffres quotidiens de Guichet",
        "description": (
            "Un instantané par jour, par préfecture et motif, par préfecture et pour l'ensemble, "
            "et par période (30 et 365 jours). Les effectifs de moins de "
            f"{threshold()} personnes ne sont pas publiés (cellule vide), ni les délais et parts "
            "calculés sur moins de personnes."
        ),
        "licenses": [LICENCE],
        "fields": [
            {
                "name": col.name,
                "type": col.type,
                "description": col.description,
                **({"constraints": {"minimum": 0}} if col.type in ("integer", "number") else {}),
                **({"format": "%Y-%m-%d"} if col.type == "date" else {}),
            }
            for col in columns()
        ],
        "primaryKey": [col.name for col in columns() if col.key],
        "missingValues": [""],
    }


def rows(snapshots: Iterable[Snapshot]) -> Iterable[dict]:
    cols = columns()
    for snapshot in snapshots:
        figures = published(snapshot.figures)
        for window_figures in figures["windows"].values():
            yield {col.name: col.value(snapshot, figures, window_figures) for col in cols}


def as_csv(snapshots: Iterable[Snapshot]) -> str:
    buffer = io.StringIO()
    names = [col.name for col in columns()]
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in rows(snapshots):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def as_json(snapshots: Iterable[Snapshot], schema_url: str) -> dict:
    return {
        "licence": LICENCE,
        "schema": schema_url,
        "source": settings.SITE_URL,
        "minimum_count": threshold(),
        "rows": [
            {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}
            for row in rows(snapshots)
        ],
    }
