"""How layer and neuron numbers, and numbers in scientific notation, are written in plain
text: W³, w²₁₁, 3.1×10⁻⁴. The engine's hints use it, and the pages write the same way."""

from __future__ import annotations

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
