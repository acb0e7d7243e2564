"""`guichet observe <subcommand>`: the observatory's robot and its evidence, from the console."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.observatory.classify import FAMILIES, LEGACY, classify_file
from guichet.observatory.evidence import verify_chain
from guichet.observatory.models import Check


class Command(BaseCommand):
    help = "Observatory: classify pages, verify the evidence chain, run the robot, import/export."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        classify = subcommands.add_parser("classify", help="read saved pages, one JSON line each")
        classify.add_argument("files", nargs="+", type=Path)
        classify.add_argument("--family", choices=FAMILIES, default=LEGACY)
        subcommands.add_parser("verify", help="check the whole evidence chain")

    def handle(self, *args, subcommand, **options):
        getattr(self, "handle_" + subcommand.replace("-", "_"))(**options)

    def handle_classify(self, files, family, **options):
        for path in files:
            self.stdout.write(json.dumps(classify_file(path, family), ensure_ascii=False))

    def handle_verify(self, **options):
        broken = verify_chain()
        if broken:
            raise CommandError(f"chain broken at {broken}")
        last = Check.objects.order_by("-sequence").first()
        tip = last.record_hash if last else "(empty)"
        self.stdout.write(f"chain intact: {Check.objects.count()} checks, last hash {tip}")
