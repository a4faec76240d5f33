"""Comparing the values a stored fixture holds with those computed now."""

from __future__ import annotations

import math


def same_value(then, now) -> bool:
    """Equal, floats to the last few bits (in lists too): a fixture written on a
    CPU whose NumPy summed in another order (other SIMD instructions) may differ from a sum
    computed here in its last bit, while a change of the maths differs by far more than
    1e-10 of the value."""
    if isinstance(then, float) and isinstance(now, float):
        return math.isclose(then, now, rel_tol=1e-10, abs_tol=1e-15)
    if isinstance(then, list) and isinstance(now, list):
        return len(then) == len(now) and all(map(same_value, then, now))
    return then == now
