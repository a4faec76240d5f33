"""Number formatting for the pages: fixed decimals, real minus signs where asked."""

from __future__ import annotations

import math

MIN_DIGITS, MAX_DIGITS, DEFAULT_DIGITS = 1, 10, 4  # the decimals the lab page offers
HANDOUT_DIGITS = (4, 6, 9)  # the worked-example handouts' choices (9: the blog post's)


def fmt(
    value: float | None, digits: int = DEFAULT_DIGITS, minus: str = "-", short: bool = False
) -> str:
    """`value` to `digits` decimals ('' for None); very large or tiny values in e-notation
    (`short`: one decimal and a bare exponent, 3.3e-6, to fit inside a small circle)."""
    if value is None:
        return ""
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    if v != 0 and (abs(v) >= 1e5 or abs(v) < 10**-digits / 2):
        text = f"{v:.{1 if short else max(1, digits - 1)}e}"
        if short:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}e{int(exponent)}"
    else:
        text = f"{v:.{digits}f}"
        if text.lstrip("-").strip("0.") == "":
            text = text.lstrip("-")  # no "-0.0000"
    return text.replace("-", minus, 1) if text.startswith("-") else text


def sign(value: float | None) -> str:
    """'pos', 'neg' or 'zero': a CSS class for colouring a value."""
    if value is None or value == 0:
        return "zero"
    return "pos" if value > 0 else "neg"
