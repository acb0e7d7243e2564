"""A request's history is written through one class per kind of event (booking/history.py)."""

import datetime
import functools

from guichet.booking import history
from guichet.booking.enums import EventKind
from tests.source import GUICHET, calls, writes_rows_of


def event_classes() -> list[type[history.Event]]:
    return [
        value
        for value in vars(history).values()
        if isinstance(value, type)
        and issubclass(value, history.Event)
        and value is not history.Event
    ]


def test_every_kind_of_event_has_one_constructor():
    kinds = [cls.kind for cls in event_classes()]
    assert sorted(kinds) == sorted(EventKind)


def test_a_fact_is_written_under_its_name_with_dates_in_iso_and_nothing_for_a_missing_one():
    starts = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)
    assert history.Dated(unit=3, starts_at=starts).detail() == {
        "unit": 3,
        "starts_at": "2026-12-07T08:00:00+00:00",
    }
    assert history.Cancelled(by="prefecture", reason="Fermeture").detail() == {
        "by": "prefecture",
        "reason": "Fermeture",
    }


def writes_of_events(root) -> list[str]:
    """Places outside history.py that write RequestEvent rows themselves."""
    return calls(root, functools.partial(writes_rows_of, "RequestEvent"), skip=["history.py"])


def test_only_the_history_module_writes_events():
    assert writes_of_events(GUICHET) == []


def test_a_free_form_event_written_elsewhere_is_found(tmp_path):
    (tmp_path / "offers.py").write_text(
        "RequestEvent.objects.create(request=r, kind='dated', detail={'unti': 1})\n"
    )
    assert writes_of_events(tmp_path) == [f"{tmp_path.name}/offers.py:1"]
