"""The allocation engine: pure Python, no Django, so it can be tested and benchmarked alone."""

from .engine import (
    Allocation,
    FreeUnit,
    WaitingRequest,
    allocate,
    answer_window,
    choose_for_unit,
    priority_key,
    tiebreak,
)

__all__ = [
    "Allocation",
    "FreeUnit",
    "WaitingRequest",
    "allocate",
    "answer_window",
    "choose_for_unit",
    "priority_key",
    "tiebreak",
]
