"""The learner's typed number: a point or a comma for the decimals, the minus sign (U+2212),
a hyphen or an en dash, scientific notation as 1.5e-3, 1.5E−3, 1.5×10⁻³ or 1.5*10^-3."""

from __future__ import annotations

import math
import re

from ..errors import SpecError

MAX_CHARS = 64
MINUSES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u207b": "-"})
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺", "0123456789+")
TIMES_TEN = re.compile(r"\s*[×x*·]\s*10\s*\^?\s*\(?\s*([+-]?\d+)\s*\)?$")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def parse_number(text: object, field: str = "value") -> float:
    """`text` as a finite float; SpecError naming `field` and what is accepted otherwise."""
    if isinstance(text, bool):
        raise SpecError(field, "must be a number, not true or false")
    if isinstance(text, (int, float)):
        if not math.isfinite(text):
            raise SpecError(field, "must be a finite number")
        return float(text)
    if not isinstance(text, str):
        raise SpecError(field, "must be a number or its text, e.g. 0.5933 or −1,2e-3")
    raw = text.strip()
    if len(raw) > MAX_CHARS:
        raise SpecError(field, f"has {len(raw)} characters; a number needs at most {MAX_CHARS}")
    s = raw.translate(MINUSES).translate(SUPERSCRIPTS).replace(" ", "").replace("\u202f", "")
    if "," in s:
        if "." in s or s.count(",") > 1:
            raise SpecError(
                field, f"{raw!r}: use one decimal separator, a point or a comma (0.25 or 0,25)"
            )
        s = s.replace(",", ".")
    m = TIMES_TEN.search(s)
    if m:
        s = f"{s[: m.start()]}e{m.group(1)}"
    if not NUMBER.fullmatch(s):
        raise SpecError(
            field,
            f"{raw!r} is not a number; type digits with a point or a comma, a minus sign if "
            "negative, and optionally an exponent: 0.5933, −0,12, 4.6e-5 or 4.6×10⁻⁵",
        )
    value = float(s)
    if not math.isfinite(value):
        raise SpecError(field, f"{raw!r} is too large; a value must be finite")
    return value
