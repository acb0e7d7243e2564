"""`guichet simulate`: run a scenario under today's booking (legacy) or Guichet's batches."""

import dataclasses
import json
from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from guichet.simulator.outcome import Metrics
from guichet.simulator.run import POLICIES, simulate
from guichet.simulator.scenario import load_scenario


def _days(summary: dict[str, float | None]) -> str:
    """Median / p90 / max of a wait, in days."""
    values = (summary[q] for q in ("median", "p90", "max"))
    return " / ".join("—" if value is None else f"{value:.0f}" for value in values)


class Command(BaseCommand):
    help = "Simulate a scenario (name or TOML file) under the legacy or the guichet policy."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--scenario", required=True, help="name under scenarios/, or a path")
        parser.add_argument("--policy", required=True, choices=sorted(POLICIES))
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--weeks", type=int, help="weeks measured after the warm-up")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the metrics as JSON"
        )
        parser.add_argument(
            "--documents",
            action="store_true",
            help="files found incomplete at the counter come back for another visit",
        )
        parser.add_argument(
            "--prechecks",
            action="store_true",
            help="with --documents: documents checked before the visit",
        )

    def handle(
        self,
        *args: str,
        scenario: str,
        policy: str,
        seed: int,
        weeks: int | None,
        as_json: bool = False,
        **options: bool,
    ) -> None:
        try:
            loaded = load_scenario(scenario)
        except (FileNotFoundError, ValueError, KeyError) as error:
            raise CommandError(f"scenario {scenario!r}: {error}") from error
        if options.get("prechecks") and not options.get("documents"):
            raise CommandError("--prechecks needs --documents (return visits)")
        if options.get("documents"):
            documents = dataclasses.replace(
                loaded.documents, visits=True, prechecks=options.get("prechecks", False)
            )
            loaded = dataclasses.replace(loaded, documents=documents)
        try:
            metrics = simulate(loaded, policy, seed=seed, weeks=weeks)
        except ValueError as error:
            raise CommandError(str(error)) from error
        metrics.pop("waits")
        if as_json:
            self.stdout.write(json.dumps(metrics, indent=2, ensure_ascii=False))
            return
        late = metrics["renewals_seen_after_expiry"]
        offered, probes = metrics["probe_offers"]
        lines = [
            f"{metrics['scenario']} · {policy} · seed {seed} · {metrics['weeks']} weeks",
            f"people: {metrics['people']}  "
            + "  ".join(f"{end}: {count}" for end, count in metrics["ends"].items()),
            f"renewals seen after the permit expired: {'—' if late is None else f'{late:.1%}'}",
            f"wait in days (median / p90 / max): {_days(metrics['wait_days'])}",
            f"  web: {_days(metrics['wait_days_by_channel']['web'])}",
            f"  counter or post: {_days(metrics['wait_days_by_channel']['counter_or_post'])}",
            f"still waiting at the end, days so far: {_days(metrics['still_waiting_days'])}",
            f"appointments taken by bots: {metrics['taken_by_bots']:.1%}",
            f"page checks per person: {metrics['page_checks_per_person']:.1f}",
            f"units lost: {metrics['units_lost_share']:.1%} of {metrics['units']} "
            + str(metrics["units_lost"]),
            f"hourly checks offered a date: {offered}/{probes}",
        ]
        if "abuse" in metrics:
            lines += _abuse_lines(metrics["abuse"])
        if "visits" in metrics:
            lines += _visit_lines(metrics["visits"])
        self.stdout.write("\n".join(lines))


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _abuse_lines(abuse: Metrics) -> list[str]:
    """The abusers' figures (`[abuse]`); `python -m guichet.simulator.abuse` adds the run
    without them, for the wait they add."""
    counts, fakes, scalper = abuse["counts"], abuse["fake_share"], abuse["scalper"]
    return [
        f"fake identities: {counts['fakes']}; capacity given to them: {_share(fakes['dated'])}, "
        f"held after reconfirmation: {_share(fakes['after_reconfirmation'])}, held on the day "
        f"(lost): {_share(fakes['at_counter'])}, released on detection: "
        f"{_share(fakes['released_on_detection'])}",
        f"scalper: hand-overs {counts['handed_over']}/{counts['attempts']} "
        f"({_share(scalper['handover_success'])}), share of appointments "
        f"{_share(scalper['share_of_appointments'])}, profit {scalper['profit']:.0f} €",
    ]


def _visit_lines(visits: Metrics) -> list[str]:
    """Return visits (`[documents]`); `python -m guichet.simulator.visits` compares the
    policies, with and without pre-checks."""
    per_file, per_title = visits["visits_per_file"], visits["visits_per_title"]
    return [
        f"files incomplete at a visit: {visits['incomplete_share']:.0%}"
        + (" (documents checked before the visit)" if visits["prechecks"] else ""),
        f"visits per file: {'—' if per_file is None else f'{per_file:.2f}'}, per title with "
        f"the pick-up: {'—' if per_title is None else f'{per_title:.2f}'}",
        f"return visits: {visits['return_visits']} "
        f"({visits['return_share_of_capacity']:.1%} of the file services' capacity)",
        f"wait for a first visit (median / p90 / max): {_days(visits['wait_days_first_visit'])}",
        f"wait until the file is complete: {_days(visits['wait_days_file_complete'])}",
    ]
