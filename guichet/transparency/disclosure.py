"""Small counts are not published: a count of people between 1 and the threshold, and a wait or
a share computed over fewer people than the threshold, could single someone out.

The threshold is settings.GUICHET_OPEN_DATA_MIN_COUNT (5 unless set; docs/transparency.md).
Zero is published (it singles out nobody), and so are counts of units of capacity, which are
about desks, not people. The page and the open data both show figures through `published`.
"""

import copy

from django.conf import settings


def threshold() -> int:
    return settings.GUICHET_OPEN_DATA_MIN_COUNT


def people(count: int | None, minimum: int) -> int | None:
    """A count of people as published: None when small enough to single someone out."""
    if count is None or 0 < count < minimum:
        return None
    return count


def suppress_summary(summary: dict, minimum: int) -> None:
    if summary["count"] < minimum:
        summary["median_days"] = summary["p90_days"] = None
    summary["count"] = people(summary["count"], minimum)


def published(figures: dict, minimum: int | None = None) -> dict:
    """A copy of `queue_figures`' output with every small count and its derived figures None."""
    minimum = threshold() if minimum is None else minimum
    shown = copy.deepcopy(figures)
    waiting = shown["waiting"]
    waiting["count"] = people(waiting["count"], minimum)
    waiting["deadlines"] = {k: people(v, minimum) for k, v in waiting["deadlines"].items()}
    for window in shown["windows"].values():
        suppress_summary(window["wait_to_date_given"], minimum)
        suppress_summary(window["wait_to_appointment"], minimum)
        for summary in window["by_channel"].values():
            suppress_summary(summary, minimum)
        renewals = window["renewals"]
        if renewals["dated"] < minimum:
            renewals["share_dated_before_expiry"] = None
        if renewals["seen"] < minimum:
            renewals["share_seen_after_expiry"] = None
        for key in ("dated", "dated_before_expiry", "seen", "seen_after_expiry"):
            renewals[key] = people(renewals[key], minimum)
        capacity = window["capacity"]
        if capacity["used"] + capacity["no_show"] < minimum:
            window["no_show_rate"] = None
        capacity["used"] = people(capacity["used"], minimum)
        capacity["no_show"] = people(capacity["no_show"], minimum)
    return shown
