"""Contacts as one mailbox or one phone, however they are written: the key per-contact limits count.

`name+tag@…`, `Name@…` and, at Gmail, `n.a.m.e@googlemail.com` all reach the same mailbox: a
script used them to pass the limit of 5 requests per contact (7 of 7 went through). Limits count
`canonical_contact`; what the person typed is what is stored and written to.

Dots are ignored only where the provider documents it: Gmail (gmail.com, and googlemail.com,
the same mailboxes). Plus-tags are dropped for every domain: a provider where `a+b` is another
person's mailbox than `a` is rare, and counting the two as one is only stricter.

Disposable (throw-away) domains come from the `disposable-email-domains` package: a list kept
up to date by its community, about 10,000 domains, a new release every few weeks.
"""

import functools

import phonenumbers
from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS

DOT_INSENSITIVE_DOMAINS = frozenset({"gmail.com"})
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}
DEFAULT_REGION = "FR"
# France's country codes: mainland, and overseas (Mayotte was once reached through +269).
FRENCH_COUNTRY_CODES = frozenset({33, 262, 269, 590, 594, 596})
# Overseas regions whose mobiles are dialled 06…/07… like the mainland's.
FRENCH_OVERSEAS_REGIONS = ("RE", "YT", "GP", "GF", "MQ", "BL", "MF")


def email_domain(address: str) -> str:
    return address.rpartition("@")[2].strip().rstrip(".").lower()


def canonical_email(address: str) -> str:
    """Lower-cased; the plus-tag dropped; at Gmail, dots ignored and googlemail.com → gmail.com."""
    local, _at, domain = address.strip().lower().rpartition("@")
    domain = domain.rstrip(".")
    domain = DOMAIN_ALIASES.get(domain, domain)
    local = local.split("+", 1)[0]
    if domain in DOT_INSENSITIVE_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def canonical_phone(number: str, region: str = DEFAULT_REGION) -> str:
    """E.164 (phonenumbers). A French number that is valid only as an overseas one (06 92… is
    La Réunion's, whether typed 06 92…, +33 6 92… or +262 6 92…) counts as the overseas one,
    as the intake stores it."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return "".join(char for char in number if char.isdigit() or char == "+")
    if not phonenumbers.is_valid_number(parsed) and parsed.country_code in FRENCH_COUNTRY_CODES:
        national = "0" + str(parsed.national_number)
        for overseas in FRENCH_OVERSEAS_REGIONS:
            candidate = phonenumbers.parse(national, overseas)
            if phonenumbers.is_valid_number(candidate):
                parsed = candidate
                break
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def canonical_contact(contact: str) -> str:
    """An e-mail address or a phone number in the form per-contact limits count."""
    contact = contact.strip()
    return canonical_email(contact) if "@" in contact else canonical_phone(contact)


def is_disposable(address: str) -> bool:
    """The address's domain, or a domain it belongs to, gives out throw-away mailboxes."""
    return _disposable_domain(email_domain(address))


@functools.lru_cache(maxsize=1024)
def _disposable_domain(domain: str) -> bool:
    labels = domain.split(".")
    return any(".".join(labels[start:]) in DISPOSABLE_DOMAINS for start in range(len(labels) - 1))
