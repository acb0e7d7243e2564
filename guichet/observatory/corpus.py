"""The labelled corpus: booking pages the classifiers must read without a single mistake.

A case is one saved page under `corpus/<family>/<label>/<name>.html`: the directory says which
system it comes from and what a person would read in it. Its first line may carry facts to check
besides the label, as JSON in a comment: `<!-- corpus {"earliest": "2027-01-12", "status": 503} -->`
(the first day offered; the HTTP status the page came with; where it came from). Pure: no Django,
so that `guichet observe corpus` and the tests score the same way.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .classify import LABELS, LEGACY, RDV_PREFECTURE, TEXT_MATCH, Reading, classify_page, decode

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
# Each corpus family and the family its pages are read as (the target's « type de module »).
FAMILIES = {
    "legacy": LEGACY,  # the /booking/create/<id> module of préfecture websites
    "national": RDV_PREFECTURE,  # the national platform, in the State's design system (DSFR)
    "rdv_service_public": TEXT_MATCH,  # RDV Service Public (ANCT), used by services of the State
    "commercial": TEXT_MATCH,  # commercial booking tools of préfectures and town halls
    "generic": TEXT_MATCH,  # any other page: town halls, consulates, plain text
}
# Where a target's family files its unknown pages by default.
CORPUS_FAMILY_OF = {LEGACY: "legacy", RDV_PREFECTURE: "national", TEXT_MATCH: "generic"}
META_RE = re.compile(r"\A<!-- corpus (\{.*?\}) -->\n?", re.S)


@dataclass(frozen=True)
class Case:
    path: Path
    family: str
    label: str
    meta: dict

    @property
    def name(self) -> str:
        return f"{self.family}/{self.label}/{self.path.name}"

    def read(self) -> Reading:
        html = decode(self.path.read_bytes())
        return classify_page(html, FAMILIES[self.family], status=self.meta.get("status"))


@dataclass(frozen=True)
class Result:
    case: Case
    reading: Reading

    @property
    def mistakes(self) -> list[str]:
        """What the reading got wrong: the label, else the first day offered when one is given."""
        if self.reading.label != self.case.label:
            return [f"read {self.reading.label} ({self.reading.rule}: {self.reading.reason})"]
        expected = self.case.meta.get("earliest")
        if expected and self.reading.earliest != datetime.date.fromisoformat(expected):
            return [f"first day {self.reading.earliest}, expected {expected}"]
        return []


def load_cases(root: Path = CORPUS_DIR) -> list[Case]:
    cases = []
    for path in sorted(root.glob("*/*/*.html")):
        family, label = path.parent.parent.name, path.parent.name
        if family not in FAMILIES or label not in LABELS:
            raise ValueError(f"{path}: not under <family>/<label>/ (families {list(FAMILIES)})")
        match = META_RE.match(decode(path.read_bytes()))
        cases.append(Case(path, family, label, json.loads(match[1]) if match else {}))
    return cases


def run(cases: list[Case]) -> list[Result]:
    return [Result(case, case.read()) for case in cases]


@dataclass(frozen=True)
class Score:
    """Pages read right, out of pages, per corpus family and per label."""

    by_family: dict[str, tuple[int, int]]
    by_label: dict[str, tuple[int, int]]
    wrong: list[Result]

    @property
    def accuracy(self) -> float:
        right = sum(ok for ok, _ in self.by_family.values())
        total = sum(count for _, count in self.by_family.values())
        return right / total if total else 0.0

    def report(self) -> str:
        lines = []
        for title, rows in (("family", self.by_family), ("label", self.by_label)):
            for key, (right, total) in rows.items():
                lines.append(
                    f"{title:<7}{key:<20}{right:>4}/{total:<4}{100 * right / total:6.1f} %"
                )
        lines.append(f"{'all':<27}{self.accuracy * 100:16.1f} %")
        lines += [
            f"WRONG {result.case.name}: {'; '.join(result.mistakes)}" for result in self.wrong
        ]
        return "\n".join(lines)


def score(results: list[Result], family_of=lambda result: result.case.family) -> Score:
    totals: Counter[tuple] = Counter()
    rights: Counter[tuple] = Counter()
    for result in results:
        keys = (("family", family_of(result)), ("label", result.case.label))
        totals.update(keys)
        if not result.mistakes:
            rights.update(keys)

    def table(kind):
        keys = sorted(key for k, key in totals if k == kind)
        return {key: (rights[kind, key], totals[kind, key]) for key in keys}

    wrong = [result for result in results if result.mistakes]
    return Score(table("family"), table("label"), wrong)


def add_case(root: Path, family: str, label: str, name: str, body: bytes, meta: dict) -> Path:
    """File a saved page as a corpus case; never over an existing one."""
    if family not in FAMILIES:
        raise ValueError(f"unknown corpus family {family!r}: one of {', '.join(FAMILIES)}")
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}: one of {', '.join(LABELS)}")
    path = root / family / label / f"{name}.html"
    if path.exists():
        raise FileExistsError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    facts = json.dumps(meta, ensure_ascii=False, sort_keys=True).replace("--", "-\\u002d")
    header = f"<!-- corpus {facts} -->\n"  # no "--" inside: the comment stays one comment
    path.write_bytes(header.encode() + body)
    return path
