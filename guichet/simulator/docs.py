"""docs/simulator.md, whose tables the simulator's reports rerun and rewrite."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def write_section(name: str, section: str) -> None:
    """Replace what lies between `<!-- name:start -->` and `<!-- name:end -->` in the page."""
    page = DOCS / "simulator.md"
    text = page.read_text()
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    before, rest = text.split(start)
    _, after = rest.split(end)
    page.write_text(f"{before}{start}\n{section}\n{end}{after}")
