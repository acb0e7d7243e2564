"""`guichet observe <subcommand>`: the observatory's robot and its evidence, from the console."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from guichet.observatory.classify import FAMILIES, LEGACY, classify_file


class Command(BaseCommand):
    help = "Observatory: classify pages, verify the evidence chain, run the robot, import/export."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        classify = subcommands.add_parser("classify", help="read saved pages, one JSON line each")
        classify.add_argument("files", nargs="+", type=Path)
        classify.add_argument("--family", choices=FAMILIES, default=LEGACY)

    def handle(self, *args, subcommand, **options):
        getattr(self, "handle_" + subcommand.replace("-", "_"))(**options)

    def handle_classify(self, files, family, **options):
        for path in files:
            self.stdout.write(json.dumps(classify_file(path, family), ensure_ascii=False))
