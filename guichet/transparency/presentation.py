"""Published figures turned into what the pages show: bar charts and the tables beside them.

Bars are drawn server-side as SVG (no script, no inline style: the CSP forbids both); each chart
comes with its numbers as a table, which is what screen readers and people who prefer numbers
read.
"""

import dataclasses

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.booking.enums import Channel, LossReason

from .disclosure import threshold

DEADLINE_LABELS = {
    "overdue": gettext_lazy("Échéance dépassée"),
    "within_30_days": gettext_lazy("Dans 30 jours au plus"),
    "within_90_days": gettext_lazy("Dans 31 à 90 jours"),
    "within_180_days": gettext_lazy("Dans 91 à 180 jours"),
    "later": gettext_lazy("Dans plus de 180 jours"),
}
# Short enough for a chart's line on a phone (the open data's schema says them in full).
LOSS_LABELS = {
    LossReason.NOBODY_WAITING: gettext_lazy("Perdu : personne pour le prendre"),
    LossReason.NOT_TAKEN: gettext_lazy("Perdu : proposé, pas accepté"),
    LossReason.TOO_LATE: gettext_lazy("Perdu : libéré trop tard"),
    LossReason.CLOSED: gettext_lazy("Perdu : fermeture"),
}
# The SVG's geometry, in its own units (it scales to the page's width).
CHART_WIDTH = 400
BAR_MAX = 300
ROW_HEIGHT = 50


@dataclasses.dataclass
class Bar:
    label: str
    value: float | None
    text: str
    width: float = 0
    y: int = 0

    @property
    def label_y(self) -> int:
        return self.y + 17

    @property
    def bar_y(self) -> int:
        return self.y + 24

    @property
    def text_y(self) -> int:
        return self.bar_y + 15

    @property
    def text_x(self) -> float:
        return self.width + 8


@dataclasses.dataclass
class Chart:
    title: str
    unit: str
    bars: list[Bar]
    height: int = 0
    width: int = CHART_WIDTH


def not_published() -> str:
    return _("moins de %(n)s") % {"n": threshold()}


def count_text(value) -> str:
    return not_published() if value is None else number_format(value, force_grouping=True)


def days_text(value) -> str:
    return "—" if value is None else _("%(days)s j") % {"days": number_format(value, 1)}


def share_text(value) -> str:
    return "—" if value is None else f"{number_format(value * 100, 0)} %"


def chart(title: str, unit: str, bars: list[Bar]) -> Chart:
    """Bars scaled to the largest value; a value not published draws no bar, only its text."""
    largest = max((bar.value or 0 for bar in bars), default=0)
    for index, bar in enumerate(bars):
        bar.width = round(BAR_MAX * (bar.value or 0) / largest, 1) if largest else 0
        bar.y = index * ROW_HEIGHT
    return Chart(title=title, unit=unit, bars=bars, height=len(bars) * ROW_HEIGHT)


def deadlines_chart(figures: dict) -> Chart:
    deadlines = figures["waiting"]["deadlines"]
    return chart(
        _("Personnes en attente d'une date, selon leur échéance"),
        _("personnes"),
        [
            Bar(str(DEADLINE_LABELS[key]), value, count_text(value))
            for key, value in deadlines.items()
        ],
    )


def capacity_chart(window: dict) -> Chart:
    capacity = window["capacity"]
    bars = [
        Bar(_("Créneaux ouverts"), capacity["opened"], count_text(capacity["opened"])),
        Bar(_("Personne reçue"), capacity["used"], count_text(capacity["used"])),
        Bar(_("Personne absente"), capacity["no_show"], count_text(capacity["no_show"])),
    ]
    bars += [
        Bar(str(LOSS_LABELS[reason]), value, count_text(value))
        for reason, value in capacity["lost"].items()
    ]
    return chart(
        _("Créneaux des %(days)s derniers jours") % {"days": window["window_days"]},
        _("créneaux"),
        bars,
    )


def channels_chart(window: dict) -> Chart:
    bars = [
        Bar(str(Channel(channel).label), summary["median_days"], days_text(summary["median_days"]))
        for channel, summary in window["by_channel"].items()
        if summary["count"] != 0
    ]
    return chart(
        _("Délai médian jusqu'au jour de rendez-vous donné, par canal (%(days)s derniers jours)")
        % {"days": window["window_days"]},
        _("jours"),
        bars,
    )


# The summary table's rows: a label, how a value reads, and where it is in a window's figures.
KEY_FIGURES = (
    (gettext_lazy("Rendez-vous donnés"), "count", ("wait_to_date_given", "count")),
    (
        gettext_lazy("Délai médian jusqu'au jour de rendez-vous donné"),
        "days",
        ("wait_to_date_given", "median_days"),
    ),
    (
        gettext_lazy("Délai que 90 % n'ont pas dépassé (jour donné)"),
        "days",
        ("wait_to_date_given", "p90_days"),
    ),
    (
        gettext_lazy("Délai médian jusqu'au rendez-vous tenu"),
        "days",
        ("wait_to_appointment", "median_days"),
    ),
    (
        gettext_lazy("Délai que 90 % n'ont pas dépassé (rendez-vous tenu)"),
        "days",
        ("wait_to_appointment", "p90_days"),
    ),
    (
        gettext_lazy("Renouvellements datés avant l'expiration du titre"),
        "share",
        ("renewals", "share_dated_before_expiry"),
    ),
    (
        gettext_lazy("Renouvellements reçus après l'expiration du titre"),
        "share",
        ("renewals", "share_seen_after_expiry"),
    ),
    (gettext_lazy("Taux d'absence"), "share", ("no_show_rate",)),
)


def key_figures(figures: dict) -> list[tuple[str, list[str]]]:
    """Rows of the summary table: a label, then the 30-day and the 365-day values."""
    texts = {"count": count_text, "days": days_text, "share": share_text}
    windows = [figures["windows"][key] for key in ("30", "365")]
    rows = []
    for label, kind, path in KEY_FIGURES:
        values = []
        for window in windows:
            value = window
            for part in path:
                value = value[part]
            values.append(texts[kind](value))
        rows.append((str(label), values))
    return rows


def scope_page(figures: dict) -> dict:
    """The context a préfecture's or a service's page shows."""
    return {
        "waiting": count_text(figures["waiting"]["count"]),
        "key_figures": key_figures(figures),
        "charts": [
            deadlines_chart(figures),
            capacity_chart(figures["windows"]["30"]),
            channels_chart(figures["windows"]["365"]),
        ],
    }


def comparison(rows: list[tuple[str, str, dict]]) -> dict:
    """The national page: each préfecture's (code, name, published figures) side by side."""
    table = [
        {
            "code": code,
            "name": name,
            "waiting": count_text(f["waiting"]["count"]),
            "median": days_text(f["windows"]["365"]["wait_to_date_given"]["median_days"]),
            "p90": days_text(f["windows"]["365"]["wait_to_date_given"]["p90_days"]),
            "before_expiry": share_text(
                f["windows"]["365"]["renewals"]["share_dated_before_expiry"]
            ),
            "no_show": share_text(f["windows"]["365"]["no_show_rate"]),
        }
        for code, name, f in rows
    ]
    charts = [
        chart(
            _("Personnes en attente d'une date, par préfecture"),
            _("personnes"),
            [
                Bar(name, f["waiting"]["count"], count_text(f["waiting"]["count"]))
                for _c, name, f in rows
            ],
        ),
        chart(
            _("Délai médian jusqu'au jour de rendez-vous donné (365 derniers jours)"),
            _("jours"),
            [
                Bar(name, median, days_text(median))
                for _c, name, f in rows
                for median in [f["windows"]["365"]["wait_to_date_given"]["median_days"]]
            ],
        ),
    ]
    return {"table": table, "charts": charts}
