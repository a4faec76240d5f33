"""The pages' one number format (app/views/format.py: fmt), worked out by hand, and the
same whether a value's text is written afresh or remembered from an earlier call."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.views import format as numbers
from app.views.format import fmt

MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (0.5, 4, "0.5000"),
        (-1.25, 2, f"{MINUS}1.25"),  # a true minus sign
        (2 / 3, 3, "0.667"),
        (np.float64(0.1) + np.float64(0.2), 4, "0.3000"),  # a NumPy float as a Python one
        (3, 4, "3.0000"),  # an int as a float
        (0.0, 4, "0.0000"),
        (-0.0, 4, "0.0000"),
        (4.625e-5, 4, "4.625×10⁻⁵"),  # shows as 0 at 4 decimals: one decimal fewer, ×10ⁿ
        (1_250_000.0, 2, "1.2×10⁶"),  # a million or more
        (None, 4, ""),
        (math.nan, 4, "not finite"),
        (-math.inf, 4, "not finite"),
    ],
)
def test_values_written_by_hand(value, digits, text):
    assert fmt(value, digits) == text
    assert fmt(value, digits) == text  # again: now remembered (or never kept)


def test_remembered_texts_are_the_written_ones():
    """Over many values and decimals, the text that comes back for a value asked about
    before is the one written afresh; and a cleared memory changes nothing."""
    rng = np.random.default_rng(7)
    values = [*rng.normal(0, 3, 300), *(10.0 ** rng.uniform(-9, 9, 100)), 1e-300, -2.5e7]
    first = {(v, d): fmt(v, d) for v in values for d in (1, 2, 4, 6, 9)}
    numbers.remembered.cache_clear()
    for (v, d), text in first.items():
        assert text == numbers.written(float(v), d)
        assert fmt(v, d) == text
        assert fmt(np.float64(v), d) == text


def test_zero_and_nan_are_never_kept():
    """0.0 and −0.0 are equal (a memory keyed by value would take one for the other) and
    nan equals nothing: they are written each time, not remembered."""
    numbers.remembered.cache_clear()
    for v in (0.0, -0.0, math.nan):
        fmt(v, 4)
    assert numbers.remembered.cache_info().currsize == 0
    fmt(0.25, 4)
    assert numbers.remembered.cache_info().currsize == 1


def test_parts_remembered_are_the_parts_worked_out():
    """engine.notation.parts remembers its answers: each is the one worked out afresh, and
    −0.0 (equal to 0.0, so one key) has 0.0's parts."""
    from engine import notation

    rng = np.random.default_rng(11)
    values = [*rng.normal(0, 2, 200), *(10.0 ** rng.uniform(-8, 8, 100)), 0.0, -0.0]
    first = {(float(v), d): notation.parts(v, d) for v in values for d in (1, 3, 4, 9)}
    notation.parts.cache_clear()
    for (v, d), got in first.items():
        assert notation.parts.__wrapped__(v, d) == got
    assert notation.parts(-0.0, 4) == notation.parts(0.0, 4) == ("0.0000", None)
    assert notation.parts(-1.5, 2) == ("-1.50", None)
    assert notation.parts(4.625e-5, 4) == ("4.625", -5)
