"""`guichet observe <subcommand>`: the observatory's robot and its evidence, from the console."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guichet.observatory import corpus as corpus_module
from guichet.observatory.chain import sha256_bytes
from guichet.observatory.classify import FAMILIES, LABELS, LEGACY, UNKNOWN, classify_file
from guichet.observatory.evidence import read_file, verify_chain
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
    help = (
        "Observatory: classify pages, score and grow the corpus, verify the evidence chain, "
        "run the robot, import/export."
    )

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        classify = subcommands.add_parser("classify", help="read saved pages, one JSON line each")
        classify.add_argument("files", nargs="+", type=Path)
        classify.add_argument("--family", choices=FAMILIES, default=LEGACY)
        subcommands.add_parser("verify", help="check the whole evidence chain")
        score = subcommands.add_parser("corpus", help="score the classifiers on the corpus")
        score.add_argument("--corpus", type=Path, default=corpus_module.CORPUS_DIR)
        unknown = subcommands.add_parser("unknown", help="list the checks read as unknown")
        unknown.add_argument("--days", type=int, default=30, help="this many days back")
        label = subcommands.add_parser("label", help="file a check's page as a corpus case")
        label.add_argument("sequence", type=int, help="the check's number (see `unknown`)")
        label.add_argument("label", choices=LABELS, help="what a person reads in the page")
        label.add_argument(
            "--family", choices=list(corpus_module.FAMILIES), help="default: the target's"
        )
        label.add_argument("--earliest", type=datetime.date.fromisoformat, help="first day offered")
        label.add_argument("--corpus", type=Path, default=corpus_module.CORPUS_DIR)
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

    def handle_corpus(self, corpus, **options):
        """Accuracy per family and per label; fails (exit 1) below 100 %."""
        score = corpus_module.score(corpus_module.run(corpus_module.load_cases(corpus)))
        self.stdout.write(score.report())
        if score.wrong:
            raise CommandError(f"{len(score.wrong)} corpus pages misread")

    def handle_unknown(self, days, **options):
        """The pages an operator should label: checks read as unknown, newest first."""
        since = timezone.now() - datetime.timedelta(days=days)
        checks = Check.objects.filter(outcome=UNKNOWN, checked_at__gte=since)
        checks = checks.select_related("target").order_by("-sequence")
        for check in checks:
            page = check.evidence or "(no page kept)"
            self.stdout.write(
                f"#{check.sequence}\t{check.checked_at:%Y-%m-%d %H:%M}\t{check.target}\t"
                f"{check.rule or '-'}: {check.reason}\t{page}"
            )
        self.stdout.write(
            f"{checks.count()} unknown checks in {days} days; "
            "file one with: guichet observe label <number> <label>"
        )

    def handle_label(self, sequence, label, family, earliest, corpus, **options):
        """The check's stored page becomes a corpus case, with where it came from."""
        check = Check.objects.select_related("target").filter(sequence=sequence).first()
        if check is None:
            raise CommandError(f"no check #{sequence}")
        body = read_file(check.evidence) if check.evidence else None
        if body is None or sha256_bytes(body) != check.evidence_sha256:
            raise CommandError(f"check #{sequence}: its page is missing or altered")
        meta = {
            "source": f"check #{check.sequence} of {check.checked_at:%Y-%m-%d %H:%M}, {check.url}",
            "record_hash": check.record_hash,
            "read_then": f"{check.outcome} ({check.rule or '-'}: {check.reason})",
        }
        if check.http_status:
            meta["status"] = check.http_status
        if earliest:
            meta["earliest"] = earliest.isoformat()
        family = family or corpus_module.CORPUS_FAMILY_OF[check.target.family]
        name = f"check-{check.sequence}"
        try:
            path = corpus_module.add_case(corpus, family, label, name, body, meta)
        except (ValueError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        case = next(case for case in corpus_module.load_cases(corpus) if case.path == path)
        reading = case.read()
        verdict = "read right" if not corpus_module.Result(case, reading).mistakes else "MISREAD"
        self.stdout.write(
            f"{path}: corpus case {family}/{label}; today's classifiers read it as "
            f"{reading.label} ({reading.rule}) — {verdict}"
        )

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
