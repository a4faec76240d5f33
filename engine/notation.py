"""How layer and neuron numbers, and numbers in scientific notation, are written in plain
text: W³, w²₁₁, 3.1×10⁻⁴. The engine's hints use it, and the pages write the same way:
with the decimals the page offers, in fixed point unless a value would show as 0 or is a
million or more (`parts`, app/views/format.py)."""

from __future__ import annotations

from functools import lru_cache

MIN_DIGITS, MAX_DIGITS, DEFAULT_DIGITS = 1, 10, 4  # the decimals the lab page offers
LARGE = 1e6  # from here on, scientific notation

SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sup(n: int | str) -> str:
    """3 → ³, 12 → ¹²."""
    return str(n).translate(SUPERSCRIPT)


def sub(n: int | str) -> str:
    """3 → ₃, 12 → ₁₂."""
    return str(n).translate(SUBSCRIPT)


def power(mantissa: str, exponent: int) -> str:
    """'4.625', -5 → '4.625×10⁻⁵', with true minus signs (U+2212)."""
    text = f"{mantissa}×10{str(exponent).translate(SUPERSCRIPT)}"
    return text.replace("-", "\u2212")


def sci(x: float, decimals: int = 1) -> str:
    """x in scientific notation as the pages write it: sci(3.1e-4) → '3.1×10⁻⁴'."""
    mantissa, exponent = f"{float(x):.{decimals}e}".split("e")
    return power(mantissa, int(exponent))


@lru_cache(maxsize=16384)  # a page writes each value several times (−0.0 is 0.0 here)
def parts(value: float, digits: int) -> tuple[str, int | None]:
    """(mantissa, exponent) of a finite `value` as the pages show it with `digits` decimals:
    fixed point unless it would show as 0 (but is not 0) or is LARGE or more, else
    scientific with one decimal fewer (at least one); '-' for a negative value; exponent
    None: the mantissa is the fixed-point form."""
    v = float(value) + 0.0  # no -0.0
    if abs(v) < LARGE:
        text = f"{v:.{digits}f}"
        if v == 0 or text.strip("-0."):
            return text, None
    mantissa, exponent = f"{v:.{max(1, digits - 1)}e}".split("e")
    return mantissa, int(exponent)
