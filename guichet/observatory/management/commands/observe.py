"""`guichet observe <subcommand>`: the observatory's robot and its evidence, from the console."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from guichet.observatory.classify import FAMILIES, LEGACY, classify_file
from guichet.observatory.evidence import verify_chain
from guichet.observatory.fake_prefecture import (
    KINDS,
    Availability,
    FakePrefecture,
    cycling,
    make_fake_server,
)
from guichet.observatory.models import Check
from guichet.observatory.robot import SystemClock, make_probe, run_robot
from guichet.observatory.screenshot import chromium_available, render_screenshot
from guichet.observatory.targets_io import FORMATS, export_targets, import_targets


class Command(BaseCommand):
    help = "Observatory: classify pages, verify the evidence chain, run the robot, import/export."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        classify = subcommands.add_parser("classify", help="read saved pages, one JSON line each")
        classify.add_argument("files", nargs="+", type=Path)
        classify.add_argument("--family", choices=FAMILIES, default=LEGACY)
        subcommands.add_parser("verify", help="check the whole evidence chain")
        fake = subcommands.add_parser("fake-prefecture", help="serve the local stand-in")
        fake.add_argument("--port", type=int, default=8765)
        fake.add_argument("--availability", choices=(*KINDS, "cycle"), default="cycle")
        fake.add_argument("--free", type=int, default=3, help="free slots shown when offering")
        run = subcommands.add_parser("run", help="check due targets, within bounds")
        run.add_argument("--minutes", type=float, default=0, help="keep going this long")
        run.add_argument("--max-checks", type=int, help="stop after this many checks")
        run.add_argument("--no-screenshots", action="store_true")
        load = subcommands.add_parser("import", help="create or update targets from YAML or CSV")
        load.add_argument("file", type=Path)
        dump = subcommands.add_parser("export", help="write the targets as YAML or CSV")
        dump.add_argument("--format", choices=FORMATS, default="yaml")

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

    def handle_fake_prefecture(self, port, availability, free, **options):
        """Serve the stand-in on 127.0.0.1 only, until interrupted."""
        if availability == "cycle":
            app = FakePrefecture(cycling)
        else:
            first_day = datetime.date.today() + datetime.timedelta(days=30)
            app = FakePrefecture(lambda now: Availability(availability, free, first_day))
        server = make_fake_server(app, port)
        self.stdout.write(
            f"stand-in préfecture on http://127.0.0.1:{server.server_port}/booking/create/11343 "
            f"({availability}); Ctrl-C to stop"
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()

    def handle_run(self, minutes, max_checks, no_screenshots, **options):
        clock = SystemClock()
        shots = not no_screenshots and settings.GUICHET_OBSERVATORY_SCREENSHOTS
        if shots and not chromium_available():
            self.stderr.write("Chromium not found: checks are recorded without screenshots")
        checks = run_robot(
            make_probe(clock),
            clock,
            until=clock.now() + datetime.timedelta(minutes=minutes),
            max_checks=max_checks,
            screenshotter=render_screenshot if shots and chromium_available() else None,
        )
        for check in checks:
            self.stdout.write(str(check))
        if not checks:
            self.stdout.write("no target was due")

    def handle_import(self, file, **options):
        fmt = "csv" if file.suffix.lower() == ".csv" else "yaml"
        try:
            created, updated = import_targets(file.read_text(encoding="utf-8"), fmt)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"{created} targets created, {updated} updated")

    def handle_export(self, format, **options):  # noqa: A002 - the option's name
        self.stdout.write(export_targets(format), ending="")
