"""Published figures: offer share, median delay, longest stretch without an offer, weekly counts,
and La Cimade's buckets."""

import datetime

from guichet.observatory.classify import (
    CAPTCHA,
    ERROR,
    MAINTENANCE,
    NO_SLOT,
    OVERLOADED,
    SLOTS,
    UNKNOWN,
)
from guichet.observatory.figures import (
    FIRST_DATE_BEYOND_TWO_MONTHS,
    FIRST_DATE_IN_ONE_TO_TWO_MONTHS,
    NO_DATE,
    ONE_DATE_WITHIN_A_MONTH,
    TWO_DATES_WITHIN_A_MONTH,
    Observation,
    bucket,
    compute_figures,
)

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


def days(checked_on, *offsets):
    return [checked_on + datetime.timedelta(days=n) for n in offsets]


def test_la_cimade_buckets_from_the_days_a_check_offered():
    on = datetime.date(2030, 1, 7)
    assert bucket(SLOTS, on, days(on, 3, 31)) == TWO_DATES_WITHIN_A_MONTH  # 7 February: in
    assert bucket(SLOTS, on, days(on, 3, 3, 32)) == ONE_DATE_WITHIN_A_MONTH  # one day, twice
    assert bucket(SLOTS, on, earliest=on + datetime.timedelta(days=31)) == ONE_DATE_WITHIN_A_MONTH
    assert bucket(SLOTS, on, days(on, 32, 33)) == FIRST_DATE_IN_ONE_TO_TWO_MONTHS
    assert bucket(SLOTS, on, days(on, 59)) == FIRST_DATE_IN_ONE_TO_TWO_MONTHS  # 7 March
    assert bucket(SLOTS, on, days(on, 60, 61)) == FIRST_DATE_BEYOND_TWO_MONTHS
    assert bucket(NO_SLOT, on) == bucket(OVERLOADED, on) == NO_DATE


def test_a_month_is_a_calendar_month_even_at_the_end_of_january():
    on = datetime.date(2031, 1, 31)
    assert bucket(SLOTS, on, [datetime.date(2031, 2, 28)]) == ONE_DATE_WITHIN_A_MONTH
    assert bucket(SLOTS, on, [datetime.date(2031, 3, 1)]) == FIRST_DATE_IN_ONE_TO_TWO_MONTHS


def test_pages_silent_about_dates_are_left_out_of_the_buckets():
    on = datetime.date(2030, 1, 7)
    for label in (CAPTCHA, MAINTENANCE, ERROR, UNKNOWN):
        assert bucket(label, on, days(on, 3)) == ""
    assert bucket(SLOTS, on) == ""  # slots seen, but not how far ahead
    assert bucket(SLOTS, on, days(on, -40)) == ""  # a past day is no slot to take
    assert bucket(SLOTS, on, days(on, -40, 45)) == FIRST_DATE_IN_ONE_TO_TWO_MONTHS


def test_bucket_shares_are_of_the_checks_placed_over_the_period_and_week_by_week():
    series = [
        Observation(at(0), False, bucket=NO_DATE),
        Observation(at(1), False, bucket=NO_DATE),
        Observation(at(2), False),  # a captcha: not placed
        Observation(at(3), True, datetime.date(2030, 1, 20), ONE_DATE_WITHIN_A_MONTH),
        Observation(at(8), False, bucket=NO_DATE),  # next week
    ]
    figures = compute_figures(series)
    assert figures.buckets.as_dict() == {
        TWO_DATES_WITHIN_A_MONTH: 0,
        ONE_DATE_WITHIN_A_MONTH: 1,
        FIRST_DATE_IN_ONE_TO_TWO_MONTHS: 0,
        FIRST_DATE_BEYOND_TWO_MONTHS: 0,
        NO_DATE: 3,
        "unplaced": 1,
    }
    assert figures.buckets.share(NO_DATE) == 3 / 4
    weeks = figures.buckets_per_week
    assert list(weeks) == ["2030-W02", "2030-W03"]
    assert [row[1:] for row in weeks["2030-W02"].rows()] == [
        (0, 0),
        (1, 33),
        (0, 0),
        (0, 0),
        (2, 67),
    ]
    assert weeks["2030-W03"].share(NO_DATE) == 1
