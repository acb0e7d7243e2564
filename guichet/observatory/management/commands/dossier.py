"""`guichet dossier`: the PDF dossier of proof for one target and period, with editable drafts."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.observatory.dossier import (
    build_dossier,
    render_dossier_pdf,
    render_exhibits,
    render_letter,
)
from guichet.observatory.models import Dossier, Target


class Command(BaseCommand):
    help = "Write the dossier PDF of one target over a period, and the letter drafts beside it."

    def add_arguments(self, parser):
        parser.add_argument("--target", type=int, required=True, help="target id")
        parser.add_argument("--from", dest="start", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--to", dest="end", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--out", type=Path, required=True, help="the PDF to write")
        parser.add_argument("--dossier", help="a person's dossier token, to add their own tries")

    def handle(self, *args, target, start, end, out, dossier=None, **options):
        if end < start:
            raise CommandError("--to must not be before --from")
        try:
            observed = Target.objects.get(pk=target)
        except Target.DoesNotExist as error:
            raise CommandError(f"unknown target: {target}") from error
        tries = []
        if dossier:
            tries = list(Dossier.objects.get(token=dossier, target=observed).tries.all())
        contents = build_dossier(observed, start, end, tries)
        out.write_bytes(render_dossier_pdf(contents))
        letter = out.with_name(f"{out.stem}-lettre-au-prefet.txt")
        exhibits = out.with_name(f"{out.stem}-bordereau-des-pieces.txt")
        letter.write_text(render_letter(contents))
        exhibits.write_text(render_exhibits(contents))
        self.stdout.write(
            f"{out}: {len(contents.checks)} checks over {len(contents.weeks)} weeks; "
            f"drafts {letter.name}, {exhibits.name}"
        )
