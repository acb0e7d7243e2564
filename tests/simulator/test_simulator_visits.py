"""Files found incomplete at the counter come back for another visit; pre-checks free it."""

import dataclasses

import numpy as np
import pytest

from guichet.simulator.documents import returns_needed
from guichet.simulator.run import simulate
from guichet.simulator.scenario import Documents, Prefecture, Scenario, Service, load_scenario
from guichet.simulator.visits import main, measure, with_visits


def _service(kind: str, per_year: float, load: float = 1.0) -> Service:
    return Service(kind=kind, per_year=per_year, capacity_per_week=per_year / 52 / load)


SMALL = Scenario(
    name="small",
    prefectures=(
        Prefecture(
            name="P",
            services=(
                _service("first_permit", 1500),
                _service("renewal", 3000),
                _service("pickup", 4500),
            ),
        ),
    ),
    weeks=20,
    warmup_weeks=4,
)


def _visits(policy: str, share: float, seed: int = 0) -> dict:
    scenario = with_visits(SMALL, False, incomplete_share=share)
    return simulate(scenario, policy, seed=seed)["visits"]


@pytest.mark.parametrize("policy", ["legacy", "guichet"])
def test_visits_per_title_rise_with_the_share_of_incomplete_files(policy):
    runs = [_visits(policy, share) for share in (0.0, 0.3, 0.6)]
    assert runs[0]["visits_per_file"] == 1.0
    assert runs[0]["return_visits"] == 0
    assert runs[0]["visits_per_title"] == 2.0  # one visit to file, one to pick the card up
    per_file = [run["visits_per_file"] for run in runs]
    returns = [run["return_share_of_capacity"] for run in runs]
    assert per_file == sorted(per_file) and len(set(per_file)) == 3
    assert returns == sorted(returns) and len(set(returns)) == 3


def test_todays_share_gives_the_ministrys_three_to_four_visits_per_title():
    visits = _visits("legacy", Documents().incomplete_share)
    assert 3.0 <= visits["visits_per_title"] <= 4.0


def test_pre_checks_free_capacity_and_shorten_the_wait_until_the_file_is_complete():
    legacy, guichet, checked = measure(SMALL)
    assert legacy["people"] == guichet["people"] == checked["people"]
    without, visits = guichet["visits"], checked["visits"]
    assert visits["incomplete_share"] < without["incomplete_share"]
    assert visits["return_visits"] < without["return_visits"]
    freed = visits["freed"]["share_of_capacity"]
    assert freed == pytest.approx(
        without["return_share_of_capacity"] - visits["return_share_of_capacity"]
    )
    assert freed > 0.2
    assert visits["visits_per_title"] < without["visits_per_title"]
    complete, before = visits["wait_days_file_complete"], without["wait_days_file_complete"]
    assert complete["p90"] < before["p90"]


def test_a_lower_share_never_gives_anyone_more_returns():
    uniform = 1.0 - np.random.default_rng(0).random(10_000)
    today, checked = returns_needed(uniform, 0.6, 9), returns_needed(uniform, 0.25, 9)
    assert all(low <= high for low, high in zip(checked, today, strict=True))
    assert max(today) == 9  # capped
    assert np.mean(today) == pytest.approx(0.6 / 0.4, abs=0.05)  # geometric: share / (1 - share)
    assert returns_needed(uniform, 0.0, 9) == [0] * len(uniform)


@pytest.mark.parametrize("policy", ["legacy", "guichet"])
def test_without_return_visits_the_metrics_are_those_of_before(policy):
    """Off (the default), nothing changes; on with no file ever incomplete, the same run:
    the files' draws use a stream of their own."""
    plain = simulate(SMALL, policy, seed=3)
    on = simulate(with_visits(SMALL, False, incomplete_share=0.0), policy, seed=3)
    assert "visits" not in plain
    visits = on.pop("visits")
    assert visits["visits"] > 0
    assert {**plain, "waits": plain["waits"].tolist()} == {**on, "waits": on["waits"].tolist()}


def test_a_scenario_file_turns_return_visits_on(tmp_path):
    path = tmp_path / "files.toml"
    path.write_text(
        "[documents]\nvisits = true\nprechecks = true\nprecheck_incomplete_share = 0.1\n"
        "[[prefecture]]\nname = 'P'\ntitles_per_year = 2000\n"
    )
    scenario = load_scenario(str(path))
    assert scenario.documents.share == 0.1
    metrics = simulate(dataclasses.replace(scenario, weeks=8), "guichet")
    assert metrics["visits"]["prechecks"] is True
    path.write_text("[documents]\nincomplete_share = 1.0\n")
    with pytest.raises(ValueError, match="incomplete"):
        load_scenario(str(path))


def test_the_command_prints_the_three_variants(capsys, tmp_path):
    path = tmp_path / "small.toml"
    path.write_text("weeks = 8\n[[prefecture]]\nname = 'P'\ntitles_per_year = 2000\n")
    main(["--scenario", str(path), "--precheck-share", "0.1"])
    out = capsys.readouterr().out
    assert "| small | legacy | 60% |" in out
    assert "| small | guichet | 60% |" in out
    assert "| small | guichet + pre-checks | 10% |" in out
