"""What a request must contain to be registered: one set of rules for the web pages and the API.

Each rule takes what the person typed and returns the clean value, or raises a ValidationError
whose message, in French, tells the person what to change. `validate_intake` applies every rule
to a whole request and gathers the messages field by field.
"""

import dataclasses
import datetime
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet import languages
from guichet.catalogue import cache
from guichet.catalogue.enums import DeadlineKind
from guichet.catalogue.models import Prefecture, Service, Site
from guichet.protection.contacts import is_disposable

from .identity import normalise_document_number
from .models import Request
from .services import Applicant


def column_length(name: str) -> int:
    """What a request's column holds: longer text is refused with a message, never cut."""
    length = getattr(Request._meta.get_field(name), "max_length", None)
    if length is None:
        raise TypeError(f"Request.{name} has no maximum length")
    return length


FAMILY_NAME_MAX = column_length("family_name")
GIVEN_NAMES_MAX = column_length("given_names")
NATIONALITY_MAX = column_length("nationality")
EMAIL_MAX = column_length("email")
PERMIT_NUMBER_LENGTH = 10
PASSPORT_NUMBER_MIN = 5
PASSPORT_NUMBER_MAX = column_length("passport_number")
# Room for the spaces and dashes people type between groups of characters.
PASSPORT_TYPED_MAX = 30
# Longer than any way of writing a phone number, spaces and dots included.
PHONE_TYPED_MAX = 30
DATE_TYPED_MAX = 10
OLDEST_BIRTH_DATE = datetime.date(1900, 1, 1)
LONGEST_PERMIT_YEARS = 10

# Zero-width joiners are part of how some scripts are written; other format characters
# (bidirectional overrides, invisible separators) only serve to hide what a name says.
ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d"}

# French overseas mobile ranges: dialled as 06…/07… at home, but reached through their own
# country code from abroad.
OVERSEAS_MOBILE_PREFIXES = {
    "0639": "+262",  # Mayotte
    "0690": "+590",  # Guadeloupe, Saint-Martin, Saint-Barthélemy
    "0691": "+590",
    "0692": "+262",  # La Réunion
    "0693": "+262",
    "0694": "+594",  # Guyane
    "0696": "+596",  # Martinique
    "0697": "+596",
}
OVERSEAS_COUNTRY_CODES = ("262", "269", "590", "594", "596")
PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")


@dataclasses.dataclass
class IntakeContext:
    """What the rules of one field may depend on: where, for what, and which day it is there."""

    prefecture: Prefecture
    service: Service | None = None
    today: datetime.date | None = None
    # The préfecture's sites, when read along with the motif (`open_service_of`).
    sites: list[Site] | None = None

    def __post_init__(self):
        if self.today is None:
            self.today = timezone.localdate(timezone=self.prefecture.tz)

    @property
    def day(self) -> datetime.date:
        """`today`, set at creation: the préfecture's day unless the rules were asked another."""
        assert self.today is not None  # __post_init__ set it
        return self.today

    @property
    def motif(self) -> Service:
        """The service: the rules that depend on it run only once it is chosen."""
        if self.service is None:
            raise ValueError("this rule needs the motif, chosen at an earlier step")
        return self.service

    def offered_sites(self) -> list[Site]:
        """The préfecture's sites, read once."""
        if self.sites is None:
            self.sites = list(Site.objects.filter(prefecture=self.prefecture).order_by("pk"))
        return self.sites


# --- Where and what for -------------------------------------------------------------------


def find_prefecture(code) -> Prefecture:
    prefecture = Prefecture.objects.filter(department_code=str(code or "").strip()).first()
    if prefecture is None:
        raise ValidationError(
            _("Nous ne connaissons pas cette préfecture. Choisissez-la dans la liste.")
        )
    return prefecture


def service_id_of(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def find_service(prefecture: Prefecture, service_id) -> Service:
    """An open « motif » of this préfecture: another préfecture's or a closed one is refused."""
    service_id = service_id_of(service_id)
    service = prefecture.services.filter(pk=service_id, active=True).first() if service_id else None
    if service is None:
        raise ValidationError(
            _(
                "Ce motif de rendez-vous n'existe pas ou n'est plus ouvert aux demandes "
                "dans cette préfecture. Choisissez un motif dans la liste."
            )
        )
    return service


def open_service_of(code, service_id, *, fresh=False) -> tuple[Service, list[Site]] | None:
    """The open « motif » `service_id` of the préfecture `code`, with its préfecture and the
    préfecture's sites: the intake looks them all up at every request, in one query kept a
    minute in the process unless `fresh` (`catalogue.cache`)."""
    service_id = service_id_of(service_id)
    found = cache.service_and_sites(service_id, fresh=fresh) if service_id else None
    if found is None:
        return None
    service, _sites = found
    if not service.active or service.prefecture.department_code != str(code or "").strip():
        return None
    return found


def clean_sites(site_ids, context: IntakeContext) -> list[Site]:
    """At least one site, every one of them a site of the chosen préfecture."""
    if not site_ids:
        raise ValidationError(_("Cochez au moins un lieu où vous pouvez vous rendre."))
    offered = {site.pk: site for site in context.offered_sites()}
    try:
        wanted = {int(site_id) for site_id in site_ids}
    except (TypeError, ValueError):
        wanted = None
    if wanted is None or not wanted <= offered.keys():
        raise ValidationError(
            _("Un des lieux choisis n'accueille pas les demandes de cette préfecture.")
        )
    return [site for pk, site in offered.items() if pk in wanted]


# --- Who -------------------------------------------------------------------------------------


def clean_text(value, *, max_length: int, missing: str, needs_letter: bool = True) -> str:
    """Trim, refuse invisible control characters, refuse what does not fit."""
    text = unicodedata.normalize("NFC", str(value or ""))
    if any(
        unicodedata.category(char).startswith("C") and char not in ALLOWED_FORMAT_CHARACTERS
        for char in text
        if char not in " \t\r\n"
    ):
        raise ValidationError(
            _("Ce champ contient des caractères invisibles ou spéciaux. Retapez-le à la main.")
        )
    text = " ".join(text.split())
    if not text:
        raise ValidationError(missing)
    if len(text) > max_length:
        raise ValidationError(
            _("Ce champ est trop long : %(max)d caractères au plus (vous en avez saisi %(n)d).")
            % {"max": max_length, "n": len(text)}
        )
    if needs_letter and not any(char.isalpha() for char in text):
        raise ValidationError(_("Ce champ doit contenir au moins une lettre."))
    return text


def clean_family_name(value, context: IntakeContext) -> str:
    return clean_text(
        value,
        max_length=FAMILY_NAME_MAX,
        missing=_("Indiquez votre nom de famille, comme sur votre passeport ou votre titre."),
    )


def clean_given_names(value, context: IntakeContext) -> str:
    return clean_text(
        value,
        max_length=GIVEN_NAMES_MAX,
        missing=_("Indiquez vos prénoms, comme sur votre passeport ou votre titre."),
    )


def clean_nationality(value, context: IntakeContext) -> str:
    return clean_text(value, max_length=NATIONALITY_MAX, missing=_("Indiquez votre nationalité."))


def parse_date(value) -> datetime.date | None:
    """A date typed as JJ/MM/AAAA or AAAA-MM-JJ (what a date field of a browser sends)."""
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    if len(text) > DATE_TYPED_MAX:
        raise ValidationError(_("Saisissez la date au format JJ/MM/AAAA, par exemple 14/07/1990."))
    if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        day, month, year = (int(part) for part in match.groups())
    elif match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValidationError(_("Saisissez la date au format JJ/MM/AAAA, par exemple 14/07/1990."))
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise ValidationError(
            _("Cette date n'existe pas dans le calendrier. Vérifiez le jour et le mois.")
        ) from error


def clean_birth_date(value, context: IntakeContext) -> datetime.date:
    birth_date = parse_date(value)
    if birth_date is None:
        raise ValidationError(_("Indiquez votre date de naissance."))
    if birth_date > context.day:
        raise ValidationError(_("Cette date de naissance est dans le futur. Vérifiez l'année."))
    if birth_date < OLDEST_BIRTH_DATE:
        raise ValidationError(_("Cette date de naissance est trop ancienne. Vérifiez l'année."))
    return birth_date


def clean_permit_number(value, context: IntakeContext) -> str:
    """The 10 digits of the « numéro étranger », asked only where the service needs it."""
    if not context.motif.needs_permit_number:
        return ""
    digits = re.sub(r"\s", "", str(value or ""))
    if not digits:
        raise ValidationError(
            _(
                "Indiquez votre numéro étranger : les 10 chiffres écrits sur votre titre "
                "de séjour ou votre récépissé."
            )
        )
    if not (digits.isascii() and digits.isdigit() and len(digits) == PERMIT_NUMBER_LENGTH):
        raise ValidationError(
            ngettext(
                "Le numéro étranger compte exactement 10 chiffres, sans lettre "
                "(vous avez saisi %(n)d caractère).",
                "Le numéro étranger compte exactement 10 chiffres, sans lettre "
                "(vous avez saisi %(n)d caractères).",
                len(digits),
            )
            % {"n": len(digits)}
        )
    return digits


def clean_passport_number(value, context: IntakeContext) -> str:
    """The number of the passport (or travel document) the person holds, which makes their
    identity; asked where the service does not identify people by their permit number.

    Normalised: uppercase letters and digits only, spaces, dots, dashes and slashes dropped.
    """
    if context.motif.needs_permit_number:
        return ""
    typed = str(value or "")
    number = normalise_document_number(typed)
    if not number:
        raise ValidationError(
            _(
                "Indiquez le numéro de votre passeport ou de votre document de voyage : il est "
                "écrit sur la page où figure votre photo."
            )
        )
    if (
        len(typed) > PASSPORT_TYPED_MAX
        or not re.fullmatch(r"[A-Z0-9]+", number)
        or not PASSPORT_NUMBER_MIN <= len(number) <= PASSPORT_NUMBER_MAX
    ):
        raise ValidationError(
            _(
                "Ce numéro de passeport n'est pas valide : il compte de %(min)d à %(max)d "
                "lettres (sans accent) et chiffres. Recopiez-le tel qu'il est écrit sur la page "
                "où figure votre photo, par exemple 12AB34567."
            )
            % {"min": PASSPORT_NUMBER_MIN, "max": PASSPORT_NUMBER_MAX}
        )
    return number


# --- How to reach the person -------------------------------------------------------------------


def clean_email(value, context: IntakeContext | None = None) -> str:
    email = str(value or "").strip()
    if not email:
        return ""
    if len(email) > EMAIL_MAX:
        raise ValidationError(
            _("Cette adresse électronique est trop longue : %(max)d caractères au plus.")
            % {"max": EMAIL_MAX}
        )
    EmailValidator(
        message=_(
            "Cette adresse électronique n'est pas valide. Elle s'écrit comme "
            "nom@exemple.fr, sans espace."
        )
    )(email)
    if is_disposable(email):
        raise ValidationError(
            _(
                "Les adresses électroniques jetables ou temporaires ne sont pas acceptées : la "
                "préfecture doit pouvoir vous écrire jusqu'à votre rendez-vous. Indiquez une "
                "adresse que vous consultez, ou un numéro de portable."
            )
        )
    return email


def clean_phone(value, context: IntakeContext | None = None) -> str:
    """A French mobile number, mainland or overseas, returned in international form (+33…)."""
    typed = str(value or "").strip()
    if not typed:
        return ""
    wrong = ValidationError(
        _(
            "Ce numéro n'est pas un numéro de portable français. Saisissez-le comme "
            "06 12 34 56 78 ou +33 6 12 34 56 78 (outre-mer : +262, +590, +594, +596, +269)."
        )
    )
    if len(typed) > PHONE_TYPED_MAX:
        raise wrong
    number = PHONE_SEPARATORS.sub("", typed)
    if number.startswith("00"):
        number = "+" + number[2:]
    if re.fullmatch(r"0[67]\d{8}", number):
        return OVERSEAS_MOBILE_PREFIXES.get(number[:4], "+33") + number[1:]
    if re.fullmatch(r"\+33[67]\d{8}", number):
        return number
    if any(re.fullmatch(rf"\+{code}[67]\d{{8}}", number) for code in OVERSEAS_COUNTRY_CODES):
        return number
    raise wrong


def check_contact(email: str, phone: str) -> None:
    """The préfecture must be able to send the date: an e-mail address, a mobile, or both."""
    if not email and not phone:
        raise ValidationError(
            _(
                "Indiquez au moins une adresse électronique ou un numéro de portable : "
                "c'est par là que vous recevrez votre date de rendez-vous."
            )
        )


# --- When the right to stay ends --------------------------------------------------------------


def expiry_label(service: Service) -> str:
    """The date asked, with the paper's French name beside a translation."""
    if service.deadline_kind == DeadlineKind.RECEIPT_EXPIRY:
        return languages.with_french(_("Date de fin de validité de votre récépissé"), "récépissé")
    return languages.with_french(_("Date d'expiration de votre titre de séjour"), "titre de séjour")


def clean_permit_expires_on(value, context: IntakeContext) -> datetime.date | None:
    """The legal deadline of the request, asked only where the service has one."""
    if not context.motif.has_legal_deadline:
        return None
    expires_on = parse_date(value)
    if expires_on is None:
        raise ValidationError(
            _("Indiquez la date écrite sur votre document, après « valable jusqu'au ».")
        )
    if expires_on < context.day:
        raise ValidationError(
            _(
                "Cette date est déjà passée : votre document a expiré. Ce formulaire ne peut "
                "pas enregistrer votre demande, mais la préfecture peut vous aider. Contactez-la "
                "ou présentez-vous au guichet avec vos documents : un agent étudiera votre "
                "situation."
            )
        )
    latest = add_years(context.day, LONGEST_PERMIT_YEARS)
    if expires_on > latest:
        raise ValidationError(
            _("Aucun titre n'est valable plus de 10 ans. Vérifiez l'année de cette date.")
        )
    return expires_on


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- A whole request ----------------------------------------------------------------------------

# Every field a person fills, with its rule, in the order the pages ask them.
FIELD_RULES = {
    "family_name": clean_family_name,
    "given_names": clean_given_names,
    "birth_date": clean_birth_date,
    "nationality": clean_nationality,
    "permit_number": clean_permit_number,
    "passport_number": clean_passport_number,
    "email": clean_email,
    "phone": clean_phone,
    "permit_expires_on": clean_permit_expires_on,
    "sites": clean_sites,
}


class IntakeInvalid(Exception):
    """The messages to show, field by field; `unknown` when the préfecture or motif is not found."""

    def __init__(self, errors: dict[str, list[str]], unknown: bool = False):
        super().__init__(errors)
        self.errors = errors
        self.unknown = unknown


@dataclasses.dataclass
class ValidIntake:
    """A request ready for `register_request`."""

    service: Service
    applicant: Applicant
    sites: list[Site]

    @property
    def contacts(self) -> list[str]:
        """The person's e-mail and phone, in the form used to count their submissions."""
        return [c for c in (self.applicant.email.lower(), self.applicant.phone) if c]


def messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def apply_rules(
    data: dict, context: IntakeContext, fields, *, contact_required: bool = True
) -> tuple[dict, dict[str, list[str]]]:
    """Run the rule of each field in `fields`: (clean values, messages of the fields refused).

    Someone filing for a person (an agent, an association) may have no contact to give."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in fields:
        try:
            cleaned[name] = FIELD_RULES[name](data.get(name), context)
        except ValidationError as error:
            errors[name] = messages_of(error)
    asks_contact = contact_required and "email" in fields and "phone" in fields
    if asks_contact and not {"email", "phone"} & errors.keys():
        try:
            check_contact(cleaned["email"], cleaned["phone"])
        except ValidationError as error:
            errors["contact"] = messages_of(error)
    return cleaned, errors


def validate_intake(data: dict, today: datetime.date | None = None) -> ValidIntake:
    """Check a whole request at once; raise IntakeInvalid with every message if anything is wrong.

    `data` holds what was typed: prefecture (department code), service (id), the person's fields,
    and sites (a list of site ids).
    """
    try:
        return checked_intake(data, today, fresh=False)
    except IntakeInvalid:
        # The motif and sites may have been read a minute ago: a person is refused only on
        # what the database says now (a site opened meanwhile is accepted).
        return checked_intake(data, today, fresh=True)


def checked_intake(data: dict, today: datetime.date | None, *, fresh: bool) -> ValidIntake:
    found = open_service_of(data.get("prefecture"), data.get("service"), fresh=fresh)
    sites = None
    if found:
        service, sites = found
    else:  # say which of the two is unknown
        try:
            prefecture = find_prefecture(data.get("prefecture"))
        except ValidationError as error:
            raise IntakeInvalid({"prefecture": messages_of(error)}, unknown=True) from error
        try:
            service = find_service(prefecture, data.get("service"))
        except ValidationError as error:
            raise IntakeInvalid({"service": messages_of(error)}, unknown=True) from error
    prefecture = service.prefecture
    context = IntakeContext(prefecture=prefecture, service=service, today=today, sites=sites)
    cleaned, errors = apply_rules(data, context, FIELD_RULES)
    if errors:
        raise IntakeInvalid(errors)
    sites = cleaned.pop("sites")
    # Messages will be in the language the person filled the request in (changeable later on
    # the preferences page); French when Guichet does not speak it.
    return ValidIntake(
        service=service, applicant=Applicant(**cleaned, language=languages.current()), sites=sites
    )
