"""Import the préfecture's registry of permits from a CSV file.

Line by line, with a report: every valid line is imported and every refused line is listed with
its messages, so one mistyped phone number does not block ten thousand permits; the corrected
file can then be imported again, since importing the same lines twice changes nothing. A file
that cannot be read at all (encoding, missing columns) is refused whole.
"""

import csv
import hashlib
import io
import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.backoffice import journal
from guichet.booking.validation import IntakeContext, apply_rules, messages_of, parse_date
from guichet.catalogue.models import Prefecture, Service

from .invitations import invite_renewals
from .models import PermitRecord, RegistryImport

COLUMNS = (
    "permit_number",
    "family_name",
    "given_names",
    "birth_date",
    "expires_on",
    "email",
    "phone",
)
# Checked by the intake's own rules; `expires_on` may be past (the number is still checked).
INTAKE_FIELDS = ("permit_number", "family_name", "given_names", "birth_date", "email", "phone")
COMPARED = ("family_name", "given_names", "birth_date", "expires_on", "email", "phone")
# A report lists this many refused lines at most; the count covers them all.
MAX_REPORTED_ERRORS = 500


class FileRefused(Exception):
    pass


def read_rows(content: bytes) -> csv.DictReader:
    """UTF-8 with or without BOM, `;` or `,`, a header naming every column."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            _("Le fichier n'est pas encodé en UTF-8. Enregistrez-le en « CSV UTF-8 ».")
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise FileRefused(
            _("Colonnes manquantes dans la première ligne : %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    reader.fieldnames = header
    return reader


def clean_row(row: dict, context: IntakeContext) -> tuple[dict, dict[str, list[str]]]:
    """The intake's rules on one line: (clean values, messages of the fields refused)."""
    cleaned, errors = apply_rules(row, context, INTAKE_FIELDS)
    # A permit without a contact is still checked at renewal; it is only not invited.
    errors.pop("contact", None)
    try:
        cleaned["expires_on"] = parse_date(row.get("expires_on"))
        if cleaned["expires_on"] is None:
            errors["expires_on"] = [_("Indiquez la date d'expiration du titre.")]
    except ValidationError as error:
        errors["expires_on"] = messages_of(error)
    return cleaned, errors


def import_permits(prefecture: Prefecture, file, user, now=None) -> RegistryImport:
    """Import a CSV of permits for one préfecture, then invite the renewals now due."""
    now = now or timezone.now()
    content = file.read()
    batch = RegistryImport(
        prefecture=prefecture,
        imported_by=user,
        imported_at=now,
        file_name=os.path.basename(getattr(file, "name", "") or "registre.csv")[:255],
        sha256=hashlib.sha256(content).hexdigest(),
    )
    try:
        rows = read_rows(content)
    except FileRefused as error:
        batch.errors = [{"line": 0, "errors": {"file": [str(error)]}}]
        batch.save()
        journal.log_registry_import(user, batch)
        return batch
    # Every line is a permit: its number is required, as for a renewal.
    context = IntakeContext(
        prefecture=prefecture, service=Service(prefecture=prefecture, needs_permit_number=True)
    )
    with transaction.atomic():
        batch.save()
        existing = {record.permit_number: record for record in prefecture.permits.all()}
        seen: dict[str, int] = {}
        created, updated = [], []
        for row in rows:
            line = rows.line_num
            cleaned, errors = clean_row(row, context)
            number = cleaned.get("permit_number", "")
            if number in seen:
                errors["permit_number"] = [
                    _("Ce numéro figure déjà ligne %(line)d.") % {"line": seen[number]}
                ]
            if errors:
                batch.rejected += 1
                if len(batch.errors) < MAX_REPORTED_ERRORS:
                    batch.errors.append({"line": line, "errors": errors})
                continue
            seen[number] = line
            values = {field: cleaned[field] for field in COMPARED}
            record = existing.get(number)
            if record is None:
                created.append(
                    PermitRecord(
                        prefecture=prefecture,
                        permit_number=number,
                        imported_at=now,
                        batch=batch,
                        **values,
                    )
                )
            elif any(getattr(record, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(record, field, value)
                record.imported_at, record.batch = now, batch
                updated.append(record)
            else:
                batch.unchanged += 1
        PermitRecord.objects.bulk_create(created, batch_size=1000)
        PermitRecord.objects.bulk_update(
            updated, [*COMPARED, "imported_at", "batch"], batch_size=1000
        )
        batch.created, batch.updated = len(created), len(updated)
        batch.save()
    batch.invited = invite_renewals(prefecture, now)
    RegistryImport.objects.filter(pk=batch.pk).update(invited=batch.invited)
    journal.log_registry_import(user, batch)
    return batch
