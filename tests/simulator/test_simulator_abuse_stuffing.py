"""Queue stuffing in the simulator: bots' fake identities pass contact confirmation, but the
reconfirmation Guichet asks for and the agent's check strip them step by step, and a fake never
attends; what they cost is the wait of real people, measured on the same people."""

import pytest

from guichet.simulator.abuse import configure, without_abuse
from guichet.simulator.run import simulate
from guichet.simulator.scenario import load_scenario

WEEKS = 6


def stuffed(policy: str, *settings: str, weeks: int = WEEKS) -> tuple[dict, dict]:
    """A seeded run with the stuffing bots, and the same run without them."""
    scenario = configure(load_scenario("queue-stuffing"), None, settings)
    return (
        simulate(scenario, policy, seed=0, weeks=weeks),
        simulate(without_abuse(scenario), policy, seed=0, weeks=weeks),
    )


def test_reconfirmation_then_the_agents_check_strip_fake_identities_step_by_step():
    metrics, _ = stuffed("guichet", "bot_reconfirmation=0.5", "counter_detection=0.5")
    share, counts = metrics["abuse"]["fake_share"], metrics["abuse"]["counts"]
    assert share["dated"] > share["after_reconfirmation"] > share["at_counter"] > 0
    assert share["attended"] == 0
    assert counts["released_by_reconfirmation"] > 0
    assert counts["released_on_detection"] > 0


def test_bots_that_reconfirm_and_go_undetected_hold_their_dates_to_the_day_and_waste_them():
    metrics, _ = stuffed("guichet", "bot_reconfirmation=1")
    share, counts = metrics["abuse"]["fake_share"], metrics["abuse"]["counts"]
    assert share["dated"] == share["after_reconfirmation"] == share["at_counter"] > 0.05
    assert counts["released_by_reconfirmation"] == counts["released_on_detection"] == 0
    assert metrics["units_lost"]["bots"] == counts["fake_at_counter"]


def test_stuffing_makes_the_same_real_people_wait_longer():
    metrics, plain = stuffed("guichet", "bot_reconfirmation=1")
    assert metrics["people"] == plain["people"]  # fakes are not counted as people
    assert metrics["wait_days"]["median"] > plain["wait_days"]["median"]
    assert metrics["wait_days"]["p90"] > plain["wait_days"]["p90"]


def test_a_fake_released_for_not_reconfirming_is_paused_and_costs_real_people_nothing():
    # The service's rule (booking.reminders.release_unconfirmed): a released request gets no
    # new date until the person says they still need one, which a silent bot never does.
    metrics, plain = stuffed("guichet", "bot_reconfirmation=0")
    counts = metrics["abuse"]["counts"]
    assert counts["released_by_reconfirmation"] > 0
    # Each fake is dated and released once (a few registered in the warm-up's last days are
    # released after it, when counting starts).
    assert counts["released_by_reconfirmation"] < 1.1 * counts["fakes"]
    assert metrics["abuse"]["fake_share"]["at_counter"] == 0
    # Released five days ahead, each fake date goes down the queue in time: nothing is lost.
    assert metrics["wait_days"]["median"] <= plain["wait_days"]["median"] + 1
    assert metrics["wait_days"]["p90"] <= plain["wait_days"]["p90"] + 1
    lost, lost_plain = (sum(run["units_lost"].values()) for run in (metrics, plain))
    assert lost <= lost_plain + 0.01 * metrics["units"]


def test_the_paused_fakes_close_after_the_services_time_to_answer():
    from guichet.booking.reminders import PAUSE_ANSWER_DAYS
    from guichet.simulator.scenario import Abuse

    assert Abuse().pause_answer_days == PAUSE_ANSWER_DAYS
    # However long the pause, nobody answers for a bot: the figures do not depend on it.
    short, _ = stuffed("guichet", "pause_answer_days=1", weeks=4)
    usual, _ = stuffed("guichet", weeks=4)
    short.pop("waits"), usual.pop("waits")
    assert short == usual


def test_with_the_rule_before_a_released_fake_goes_back_in_line_and_is_dated_again():
    # The rule before the pause, kept for comparison (`release_requeues`): the request went back
    # in line with its registration and deadline, so a bot that never answers was dated over
    # and over. Bots pressing « J'ai toujours besoin d'un rendez-vous » at every release got
    # the same while the button could be pressed without limit (next tests).
    metrics, plain = stuffed("guichet", "bot_reconfirmation=0", "release_requeues=true", weeks=4)
    counts = metrics["abuse"]["counts"]
    assert metrics["abuse"]["fake_share"]["at_counter"] == 0
    assert counts["released_by_reconfirmation"] > 3 * counts["fakes"]
    # They take the earliest units at every batch and let them go days before: real people
    # are served far less (in so short a run, hardly at all).
    assert metrics["ends"]["served"] < plain["ends"]["served"] / 2


def test_bots_pressing_the_button_put_each_fake_back_once_then_it_stays_paused():
    # booking.reminders: a person may put a paused request back in line once by themselves;
    # after a second release only the préfecture can, papers checked, which a fake never gets.
    from guichet.booking.reminders import SELF_RESUMES
    from guichet.simulator.scenario import Abuse

    assert Abuse().self_resumes == SELF_RESUMES
    metrics, plain = stuffed("guichet", "bot_reconfirmation=0", "bot_presses_still_needed=true")
    counts = metrics["abuse"]["counts"]
    assert 0.9 * counts["fakes"] < counts["pressed_still_needed"] <= 1.1 * counts["fakes"]
    # Each fake is dated and released twice (a few of the warm-up's are counted once).
    assert 1.8 * counts["fakes"] < counts["released_by_reconfirmation"] < 2.2 * counts["fakes"]
    assert metrics["abuse"]["fake_share"]["at_counter"] == 0
    # Released five days ahead both times, the fakes' dates go down the queue in time.
    assert metrics["wait_days"]["median"] <= plain["wait_days"]["median"] + 1
    assert metrics["wait_days"]["p90"] <= plain["wait_days"]["p90"] + 1
    lost, lost_plain = (sum(run["units_lost"].values()) for run in (metrics, plain))
    assert lost <= lost_plain + 0.01 * metrics["units"]


def test_bots_pressing_the_button_without_a_limit_are_the_requeue_loop():
    # What the limit stops: a button that could be pressed at every release.
    metrics, plain = stuffed(
        "guichet", "bot_presses_still_needed=true", "self_resumes=1000000", weeks=4
    )
    counts = metrics["abuse"]["counts"]
    assert counts["released_by_reconfirmation"] > 3 * counts["fakes"]
    assert metrics["ends"]["served"] < plain["ends"]["served"] / 2


def test_under_first_come_a_fake_booking_is_held_to_the_day_and_lost():
    metrics, plain = stuffed("legacy")
    share, counts = metrics["abuse"]["fake_share"], metrics["abuse"]["counts"]
    assert share["dated"] == share["after_reconfirmation"] == share["at_counter"] > 0.05
    assert counts["fake_at_counter"] == counts["fake_dated"]
    assert metrics["units_lost"]["bots"] == counts["fake_at_counter"]
    assert metrics["wait_days"]["median"] > plain["wait_days"]["median"]


@pytest.mark.parametrize("policy", ["legacy", "guichet"])
def test_without_abusers_a_run_is_the_plain_run(policy):
    scenario = load_scenario("queue-stuffing")
    plain = simulate(without_abuse(scenario), policy, seed=0, weeks=2)
    off = simulate(configure(scenario, None, ["fakes_per_day=0"]), policy, seed=0, weeks=2)
    plain.pop("waits"), off.pop("waits")
    assert "abuse" not in off and off == plain
