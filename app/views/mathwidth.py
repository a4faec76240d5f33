"""A rough width of display MathML, so that the equation panel can choose between an
equation on one line and the same equation stacked at its '=' signs (CSS container queries
on the buckets of `fit`). Widths are in em of the panel's text, so that the choice follows
the reader's text size and the projector's larger type by itself; rounded up, never
measured."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

MATH_EM = 1.12  # lab.css: math at 1.12em of the panel's text
STEP, LOWEST, HIGHEST = 25, 150, 850  # the buckets of `fit`, in tenths of an em (lab.css)
SCRIPT = 0.72
WIDE_OPS = {"=", "+", "−", "-", "←", "≤", "≥", "×", "⋅", "·"}


def em(node: ET.Element) -> float:
    """Estimated width of a MathML element in em."""
    tag, kids = node.tag.rsplit("}", 1)[-1], list(node)
    text = (node.text or "").strip()
    if tag in ("mi", "mn", "mtext"):
        return max(0.55, 0.52 * len(text)) if tag != "mtext" else 0.5 * len(text)
    if tag == "mo":
        return 0.8 + 0.5 * (text in WIDE_OPS) if text else 0.0
    if tag == "mspace":
        return float((node.get("width") or "0").rstrip("em") or 0)
    if tag in ("msub", "msup"):
        return em(kids[0]) + SCRIPT * sum(em(k) for k in kids[1:]) + 0.05
    if tag in ("msubsup", "mmultiscripts"):
        return em(kids[0]) + SCRIPT * max(em(k) for k in kids[1:]) + 0.05
    if tag == "mfrac":
        return max(em(k) for k in kids) + 0.3
    if tag in ("munder", "mover", "munderover"):
        return max([em(kids[0])] + [SCRIPT * em(k) for k in kids[1:]])
    if tag in ("msqrt", "mroot"):
        return sum(em(k) for k in kids) + 1.0
    if tag == "mtable":
        return max((sum(em(c) for c in row) for row in kids), default=0.0)
    return sum(em(k) for k in kids)


def fit(mathml: str) -> int:
    """The panel width in tenths of an em of its text (a multiple of STEP) below which this
    equation is stacked. A number's width is its length (`em`), so every equation with the
    same symbols and numbers of the same lengths has the same fit: remembered by that."""
    return shape_fit(NUMBER.sub(zeroed, mathml))


NUMBER = re.compile(r"(<mn\b[^>]*>)([^<]*)")  # a number's element and its text
DIGIT = re.compile(r"[0-9](?![0-9a-fA-F]*;)")  # a digit, not one of a character reference
ZERO = str.maketrans("123456789", "000000000")


def zeroed(m: re.Match) -> str:
    """A number's element with its digits as 0 (a character reference's kept)."""
    text = m.group(2)
    return m.group(1) + (text.translate(ZERO) if "&" not in text else DIGIT.sub("0", text))


@lru_cache(maxsize=4096)
def shape_fit(mathml: str) -> int:
    tenths = em(ET.fromstring(mathml)) * MATH_EM * 10
    return min(HIGHEST, max(LOWEST, STEP * math.ceil(tenths / STEP)))


def css() -> str:
    """The container queries for every bucket (pasted into lab.css)."""
    return "\n".join(
        f"@container eqpanel (max-width: {w / 10:g}em) {{ .fit-{w} .inline {{ display: none; }} "
        f".fit-{w} .stacked {{ display: block; }} }}"
        for w in range(LOWEST, HIGHEST + 1, STEP)
    )
