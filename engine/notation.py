"""How layer and neuron numbers are written in plain text: W³, w²₁₁. The engine's hints use
it, and the pages write names the same way."""

from __future__ import annotations

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sup(n: int | str) -> str:
    """3 → ³, 12 → ¹²."""
    return str(n).translate(SUPERSCRIPT)


def sub(n: int | str) -> str:
    """3 → ₃, 12 → ₁₂."""
    return str(n).translate(SUBSCRIPT)
