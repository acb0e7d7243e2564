"""Targets in and out as YAML or CSV, so that lists of procedures can be shared and reviewed."""

from __future__ import annotations

import csv
import io

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Target

FIELDS = [
    "prefecture",
    "department_code",
    "procedure",
    "url",
    "family",
    "planning",
    "slot_sentences",
    "no_slot_sentences",
    "checks_per_day",
    "enabled",
]
FORMATS = ("yaml", "csv")


def export_targets(fmt: str) -> str:
    rows = [{name: getattr(target, name) for name in FIELDS} for target in Target.objects.all()]
    if fmt == "yaml":
        return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False)
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def parse_targets(text: str, fmt: str) -> list[dict]:
    if fmt == "yaml":
        rows = yaml.safe_load(text) or []
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValidationError("expected a list of targets")
    return rows


def as_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "oui", "on"}


@transaction.atomic
def import_targets(text: str, fmt: str) -> tuple[int, int]:
    """Create or update targets, matched on their address and procedure id; all or nothing."""
    created = updated = 0
    for number, row in enumerate(parse_targets(text, fmt), start=1):
        values = {name: row[name] for name in FIELDS if row.get(name) not in (None, "")}
        if "enabled" in values:
            values["enabled"] = as_bool(values["enabled"])
        target = (
            Target.objects.filter(
                url=values.get("url", ""), planning=values.get("planning", "")
            ).first()
            or Target()
        )
        is_new = target.pk is None
        for name, value in values.items():
            setattr(target, name, value)
        try:
            target.full_clean()
        except ValidationError as error:
            raise ValidationError(f"target {number}: {error.message_dict}") from error
        target.save()
        created, updated = created + is_new, updated + (not is_new)
    return created, updated
