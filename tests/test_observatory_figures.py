"""Published figures: offer share, median delay, longest stretch without an offer, weekly counts."""

import datetime

from guichet.observatory.figures import Observation, compute_figures

MONDAY = datetime.datetime(2030, 1, 7, 10, 0, tzinfo=datetime.UTC)


def at(days, hours=0):
    return MONDAY + datetime.timedelta(days=days, hours=hours)


def test_figures_of_a_series():
    series = [
        Observation(at(0), False),
        Observation(at(1), True, datetime.date(2030, 2, 7)),  # 30 days ahead
        Observation(at(2), False),
        Observation(at(4), False),
        Observation(at(9), False),  # next week
        Observation(at(10), True, datetime.date(2030, 1, 27)),  # 10 days ahead
        Observation(at(11), True),  # an offer without a date shown
    ]
    figures = compute_figures(reversed(series))  # order of arrival does not matter
    assert (figures.checks, figures.offers) == (7, 3)
    assert figures.offer_share == 3 / 7
    assert figures.median_delay_days == (30 + 10) / 2
    assert (figures.longest_drought.start, figures.longest_drought.end) == (at(2), at(9))
    assert figures.checks_per_week == {"2030-W02": 4, "2030-W03": 3}


def test_no_offer_at_all():
    figures = compute_figures([Observation(at(0), False), Observation(at(3), False)])
    assert figures.offer_share == 0
    assert figures.median_delay_days is None
    assert figures.longest_drought.length == datetime.timedelta(days=3)


def test_nothing_observed():
    figures = compute_figures([])
    assert (figures.checks, figures.offer_share, figures.longest_drought) == (0, None, None)
