"""The allocation engine: pure Python, no Django, so it can be tested and benchmarked alone."""

from .engine import Allocation, FreeUnit, WaitingRequest, allocate, priority_key, tiebreak

__all__ = ["Allocation", "FreeUnit", "WaitingRequest", "allocate", "priority_key", "tiebreak"]
