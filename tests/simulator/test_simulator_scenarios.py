"""Scenario files load, and the national one has the shape the public figures give."""

from pathlib import Path

import pytest

from guichet.simulator.scenario import SCENARIOS, load_scenario


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda path: path.stem)
def test_every_scenario_loads(path):
    scenario = load_scenario(path.stem)
    assert scenario.prefectures
    assert all(
        service.capacity_per_week > 0 for p in scenario.prefectures for service in p.services
    )


def test_the_national_scenario_matches_the_public_figures():
    scenario = load_scenario("national")
    titles = {
        p.name: sum(s.per_year for s in p.services if s.kind in ("first_permit", "renewal"))
        for p in scenario.prefectures
    }
    first = sum(
        s.per_year for p in scenario.prefectures for s in p.services if s.kind == "first_permit"
    )
    assert len(scenario.prefectures) == 100
    assert sum(titles.values()) == pytest.approx(1_230_000)
    assert first / sum(titles.values()) == pytest.approx(0.28)
    largest = sorted(titles.values(), reverse=True)[:12]
    assert sum(largest) / sum(titles.values()) == pytest.approx(0.5, abs=0.01)


def test_an_unknown_setting_is_refused(tmp_path: Path):
    path = tmp_path / "typo.toml"
    path.write_text('[legacy]\nbot = 3\n[[prefecture]]\nname = "X"\ntitles_per_year = 100\n')
    with pytest.raises(ValueError, match="bot"):
        load_scenario(str(path))
