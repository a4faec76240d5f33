"""The one number format of the pages: the diagram, the tables, the equations and the plots.

A value shows with the chosen decimals and a true minus sign (U+2212). Only a value that
would show as 0 at those decimals (but is not 0), or one of a million or more, is written
in scientific notation, always in one style: 4.625×10⁻⁵ in text, 4.625 \\times 10^{-5} in
the equations' LaTeX (app/views/equations/notation.py: num), the mantissa with one decimal
fewer than chosen (at least one)."""

from __future__ import annotations

import math
from functools import lru_cache

# the decimals offered and the fixed / scientific rule, shared with the practice checks
from engine.notation import DEFAULT_DIGITS as DEFAULT_DIGITS
from engine.notation import LARGE as LARGE
from engine.notation import MAX_DIGITS as MAX_DIGITS
from engine.notation import MIN_DIGITS as MIN_DIGITS
from engine.notation import parts, power

HANDOUT_DIGITS = (4, 6, 9)  # the worked-example handouts' choices (9: the blog post's)
MINUS = "\u2212"


def fmt(value: float | None, digits: int = DEFAULT_DIGITS) -> str:
    """`value` as the pages show it ('' for None; 'not finite' for nan and ±inf)."""
    if value is None:
        return ""
    v = float(value)
    if v == 0.0 or v != v:  # ±0 (equal, but not written alike) and nan (equal to nothing)
        return written(v, digits)
    return remembered(v, digits)


def written(v: float, digits: int) -> str:
    if not math.isfinite(v):
        return "not finite"
    mantissa, exponent = parts(v, digits)
    return (mantissa if exponent is None else power(mantissa, exponent)).replace("-", MINUS)


# One click writes each value several times (the circle, its tooltip, the tables, the
# equations): the texts of the values seen lately are remembered.
remembered = lru_cache(maxsize=16384)(written)


def fit_digits(value: float | None, digits: int, room: float, width) -> str:
    """`value` with as many decimals as fit in `room` (at most `digits`, at least one), as
    measured by `width(text)`; the narrowest of those forms when none fits."""
    forms = []
    for d in range(digits, 0, -1):
        text = fmt(value, d)
        if width(text) <= room:
            return text
        forms.append(text)
    return min(forms, key=width)


def sign(value: float | None) -> str:
    """'pos', 'neg' or 'zero': a CSS class for colouring a value."""
    if value is None or value == 0:
        return "zero"
    return "pos" if value > 0 else "neg"
