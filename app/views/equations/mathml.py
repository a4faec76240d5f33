"""LaTeX to display-mode MathML (latex2mathml) with typographic fixes for browsers' native
MathML (Chromium), and the Equation / Chain types the panel is built from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from html import escape
from typing import NamedTuple

from latex2mathml.converter import convert


@dataclass(frozen=True)
class Equation:
    title: str  # plain words, e.g. "Weighted input"
    latex: str
    sides: tuple[str, ...]  # the LaTeX of each side of the chain lhs = … = result
    aligned: bool = False  # one row per '=', lined up at the '=' signs

    @cached_property
    def mathml(self) -> str:
        """<math display="block">…</math>, made on first use (a handout needs only LaTeX)."""
        return chain_mathml(self.sides, self.aligned)


class Chain(NamedTuple):
    """A chain of equalities before rendering: lhs = sides[1] = … = result."""

    title: str
    sides: tuple[str, ...]


# Typographic fixes to latex2mathml's output, for browsers' native MathML (Chromium):
# function names as identifiers (an <mo> gets operator spacing) with a thin space where
# TeX puts one, primes beside their function instead of a raised superscript, and the
# spacing circumflex as the hat; aligned rows lined up at '='.
NAMES = "(?:log|tanh|max|relu|lrelu|id|softmax|sign)"
THIN = '<mspace width="0.167em" />'
FIXES = (
    (re.compile(r"<mo>([a-z]{2,})</mo>"), r"<mi>\1</mi>"),
    (
        re.compile(rf"(</mn>|</mi>|</msub>|</msup>|</msubsup>|</mover>)(<mi>{NAMES}</mi>)"),
        rf"\1{THIN}\2",
    ),
    # the prime first, so that the thin space below never lands inside an <msup>
    (
        re.compile(r"<msup>(<mi>[^<]*</mi>)<mi>&#x02032;</mi></msup>"),
        r'\1<mo lspace="0em" rspace="0em">&#x02032;</mo>',
    ),
    (
        re.compile(rf'(<mi>{NAMES}</mi>)(?!<mo stretchy="false">&#x00028;|<msup>|<mo lspace)'),
        rf"\1{THIN}",
    ),
    (re.compile(r"<mo>&#x0005E;</mo>"), "<mo>&#x002C6;</mo>"),
    # MathML Core aligns table cells with CSS, not with columnalign
    (
        re.compile(r'<mtd columnalign="(right|left)"'),
        r'<mtd columnalign="\1" style="text-align: \1; padding-inline: 0"',
    ),
)


MATH = '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><mrow>'
END = "</mrow></math>"
EQUALS = "<mo>&#x0003D;</mo>"
RIGHT = '<mtd columnalign="right" style="text-align: right; padding-inline: 0"'
LEFT = '<mtd columnalign="left" style="text-align: left; padding-inline: 0">'
TABLE = '<mtable displaystyle="true" rowspacing="3pt" columnspacing="0em 2em">'


@lru_cache(maxsize=4096)
def to_mathml(latex: str) -> str:
    """Display-mode MathML for the LaTeX."""
    mathml = convert(latex, display="block")
    for pattern, replacement in FIXES:
        mathml = pattern.sub(replacement, mathml)
    return mathml


# A side's numbers change at every step while its symbols stay: each decimal is replaced by
# a placeholder, the skeleton is converted once (cached), and the numbers are put back into
# the placeholder's <mn>. latex2mathml makes one <mn> of any decimal, whatever its digits,
# so the result is what converting the side itself makes; where the placeholder does not
# come out once per number (a decimal that is part of a dimension, say), the side is
# converted as it is.
DECIMAL = re.compile(r"\d+\.\d+")
PLACEHOLDER = "0.0"
PLACEHOLDER_MN = f"<mn>{PLACEHOLDER}</mn>"


@lru_cache(maxsize=2048)
def side_mathml(latex: str) -> str:
    """The MathML inside `to_mathml(latex)`'s outer <math><mrow>: one side of a chain
    (remembered: the panel writes each equation on one line and stacked, from the same
    sides)."""
    numbers = DECIMAL.findall(latex)
    if not numbers:
        return symbols_mathml(latex)
    pieces = symbols_mathml(DECIMAL.sub(PLACEHOLDER, latex)).split(PLACEHOLDER_MN)
    if len(pieces) != len(numbers) + 1:
        return inner_mathml(latex)
    out = [pieces[0]]
    for number, piece in zip(numbers, pieces[1:], strict=True):
        out += ("<mn>", number, "</mn>", piece)
    return "".join(out)


@lru_cache(maxsize=16384)
def symbols_mathml(latex: str) -> str:
    """side_mathml of a side made of symbols (or of a skeleton): these repeat from one step
    to the next, so most come from the cache."""
    return inner_mathml(latex)


def inner_mathml(latex: str) -> str:
    mathml = to_mathml.__wrapped__(latex)
    if not (mathml.startswith(MATH) and mathml.endswith(END)):
        raise ValueError(f"unexpected MathML for {latex!r}: {mathml[:80]}")
    return mathml[len(MATH) : -len(END)]


def chain_mathml(sides: tuple[str, ...], aligned: bool = False) -> str:
    """The MathML of lhs = side = … from each side's MathML: what to_mathml makes of the
    joined LaTeX (one line, or the align* table), converting each side only once."""
    parts = [side_mathml(s) for s in sides]
    if not aligned or len(parts) < 2:
        return MATH + EQUALS.join(parts) + END
    rows = [f"<mtr>{RIGHT}>{parts[0]}</mtd>{LEFT}<mi />{EQUALS}{parts[1]}</mtd></mtr>"]
    rows += [f"<mtr>{RIGHT} />{LEFT}<mi />{EQUALS}{p}</mtd></mtr>" for p in parts[2:]]
    return f"{MATH}{TABLE}{''.join(rows)}</mtable>{END}"


def chain(title: str, *sides: str) -> Chain:
    return Chain(title, sides)


def render(chains: list[Chain], aligned: bool = False) -> list[Equation]:
    """Each chain as one line (sides joined by '='), or aligned: one row per '=', lined up
    at the '=' signs. A side that starts with a minus sign is grouped, so that the minus
    is a sign (no operator spacing), not a subtraction."""
    out = []
    for title, sides in chains:
        sides = tuple(f"{{{s}}}" if s.startswith("-") else s for s in sides)
        if aligned and len(sides) > 1:
            rows = [f"{sides[0]} &= {sides[1]}", *(f"&= {s}" for s in sides[2:])]
            latex = r"\begin{align*} " + r" \\ ".join(rows) + r" \end{align*}"
        else:
            latex = " = ".join(sides)
        out.append(Equation(title, latex, sides, aligned and len(sides) > 1))
    return out


def with_alttext(mathml: str, spoken: str) -> str:
    """The <math> element with its spoken form as `alttext` (what a reader without MathML
    speech hears)."""
    if not mathml.startswith("<math "):
        raise ValueError(f"not a <math> element: {mathml[:40]}")
    return f'<math alttext="{escape(spoken, quote=True)}" {mathml[len("<math ") :]}'
