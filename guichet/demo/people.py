"""Synthetic applicants: plausible names, nationalities and birth dates, all made up.

Names are combined within one origin so that a person reads as someone who could exist
(« Aminata Diallo, guinéenne »), without describing any real person.
"""

import dataclasses
import datetime
import random

from guichet.booking.enums import Channel
from guichet.booking.identity import normalise_name
from guichet.booking.validation import clean_phone


@dataclasses.dataclass(frozen=True)
class Origin:
    weight: int
    nationalities: tuple[str, ...]
    given_names: tuple[str, ...]
    family_names: tuple[str, ...]


ORIGINS = (
    Origin(
        30,
        ("algérienne", "marocaine", "tunisienne"),
        ("Karim", "Yasmine", "Mohamed", "Fatima", "Youssef", "Nour", "Samira", "Hamza", "Leïla"),
        ("Benali", "El Amrani", "Haddad", "Mansouri", "Bouzid", "Cherif", "Ait Ahmed", "Zeroual"),
    ),
    Origin(
        25,
        ("sénégalaise", "malienne", "guinéenne", "ivoirienne", "camerounaise", "congolaise"),
        ("Aminata", "Mamadou", "Fatoumata", "Moussa", "Aïssatou", "Ibrahima", "Kadiatou", "Oumar"),
        ("Diallo", "Traoré", "Koné", "Camara", "Cissé", "Bah", "Sow", "Mbarga", "Kabila"),
    ),
    Origin(
        10,
        ("chinoise", "vietnamienne"),
        ("Wei", "Mei", "Jing", "Hao", "Linh", "Minh", "Thu", "Quang"),
        ("Wang", "Zhang", "Chen", "Liu", "Nguyen", "Tran", "Pham", "Le"),
    ),
    Origin(
        8,
        ("turque",),
        ("Ayşe", "Mehmet", "Elif", "Emre", "Zeynep", "Mustafa"),
        ("Yılmaz", "Demir", "Kaya", "Şahin", "Çelik", "Öztürk"),
    ),
    Origin(
        8,
        ("ukrainienne", "russe", "géorgienne"),
        ("Olena", "Dmytro", "Iryna", "Andriy", "Natalia", "Giorgi", "Tamar"),
        ("Kovalenko", "Shevchenko", "Bondarenko", "Ivanova", "Beridze", "Melnyk"),
    ),
    Origin(
        7,
        ("brésilienne", "colombienne", "péruvienne"),
        ("João", "Ana", "Gabriela", "Luis", "Carlos", "María José"),
        ("Silva", "Santos", "Pereira", "Gómez", "Rodríguez", "Quispe"),
    ),
    Origin(
        7,
        ("afghane", "indienne", "bangladaise", "sri-lankaise"),
        ("Ahmad", "Zahra", "Priya", "Arjun", "Rahim", "Tahmina", "Kavya"),
        ("Haidari", "Rahimi", "Sharma", "Patel", "Hossain", "Rahman", "Perera"),
    ),
    Origin(
        5,
        ("haïtienne", "comorienne"),
        ("Jean-Baptiste", "Marie-Claire", "Wilner", "Nadia", "Soifiat", "Ali"),
        ("Joseph", "Pierre-Louis", "Charles", "Saïd Ahmed", "Mohamed", "Youssouf"),
    ),
)

# Most people file on the web; a few at the counter, by phone, by post or through an association.
CHANNELS = {
    Channel.WEB: 78,
    Channel.COUNTER: 7,
    Channel.PHONE: 6,
    Channel.POST: 3,
    Channel.ASSOCIATION: 6,
}


@dataclasses.dataclass(frozen=True)
class Person:
    family_name: str
    given_names: str
    birth_date: datetime.date
    nationality: str
    email: str
    phone: str


def mobile_number(rng: random.Random) -> str:
    """A number from 06 39 98 00 00 – 99 99, which ARCEP keeps for fiction: it reaches no one.

    Stored as the intake stores every number, in international form."""
    return clean_phone(f"063998{rng.randrange(10_000):04d}")


def synthetic_person(rng: random.Random, today: datetime.date) -> Person:
    """Someone aged 18 to 70, most often in their thirties, reachable at example.org."""
    origin = rng.choices(ORIGINS, weights=[origin.weight for origin in ORIGINS])[0]
    given = rng.choice(origin.given_names)
    if rng.random() < 0.2:
        given = f"{given} {rng.choice(origin.given_names)}"
    family = rng.choice(origin.family_names)
    age_days = int(rng.triangular(18, 70, 32) * 365.25)
    email_name = ".".join(normalise_name(name).replace(" ", "-") for name in (given, family))
    return Person(
        family_name=family,
        given_names=given,
        birth_date=today - datetime.timedelta(days=age_days),
        nationality=rng.choice(origin.nationalities),
        email=f"{email_name}{rng.randint(1, 999)}@example.org",
        phone=mobile_number(rng) if rng.random() < 0.6 else "",
    )


def channel_of(rng: random.Random) -> str:
    return rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0]
