"""Regenerate the equation panel's math font, STIXTwoMath-Regular-subset.woff2, from the
full STIX Two Math (STIXTwoMath-Regular-full.woff2, never served) with fontTools.

    pip install fonttools brotli
    python static/vendor/fonts/subset.py

The subset keeps the code points below (and their bidi mirrors), every glyph reachable
from them through GSUB (all features) and the MATH table (size variants and assembly parts
of stretchy operators), the MATH constants, GPOS kerning and the whole name table. TrueType hinting
is dropped (about 30 % of the bytes). The result is byte-for-byte reproducible for a given
fontTools and brotli: the head table's timestamps are those of the original.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
FULL = HERE / "STIXTwoMath-Regular-full.woff2"
SUBSET = HERE / "STIXTwoMath-Regular-subset.woff2"

# (first, last) code points, inclusive.
RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00BF),  # Latin-1 punctuation and symbols: no-break space, ¬ ± · ² ³ µ ¼ …
    (0x00D7, 0x00D7),  # ×
    (0x00F7, 0x00F7),  # ÷
    (0x0131, 0x0131),  # dotless i, and
    (0x0237, 0x0237),  # dotless j: bases of the italic dotless letters
    (0x02C6, 0x02DD),  # spacing accents: ˆ ˇ ˉ ˘ ˙ ˚ ˜ …
    (0x0300, 0x030C),  # combining accents: grave … caron (the MATH table stretches ̂ ̃ ̅ ̌)
    (0x0330, 0x0332),  # combining tilde, macron and low line below
    (0x0338, 0x0338),  # combining long solidus overlay (negated relations)
    (0x0391, 0x03A9),  # Greek capitals
    (0x03B1, 0x03C9),  # Greek small letters
    (0x03D0, 0x03D6),  # ϐ ϑ ϒ ϓ ϔ ϕ ϖ
    (0x03F0, 0x03F6),  # ϰ ϱ ϲ ϳ ϴ ϵ ϶
    (0x2000, 0x206F),  # General Punctuation: spaces, dashes, primes ′ ″ ‴, ‖, invisible operators
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x20D0, 0x20F0),  # combining marks for symbols: vector arrows
    (0x2102, 0x2102),  # Letterlike Symbols used in mathematics: ℂ
    (0x2107, 0x2107),  # ℇ
    (0x210A, 0x2113),  # ℊ ℋ ℌ ℍ ℎ (italic h) ℏ ℐ ℑ ℒ ℓ
    (0x2115, 0x2115),  # ℕ
    (0x2118, 0x211D),  # ℘ ℙ ℚ ℛ ℜ ℝ
    (0x2124, 0x2124),  # ℤ
    (0x2126, 0x2129),  # Ω ℧ ℨ ℩
    (0x212B, 0x2138),  # Å ℬ ℭ ℯ ℰ ℱ Ⅎ ℳ ℴ ℵ ℶ ℷ ℸ
    (0x213C, 0x2149),  # ℼ ℽ ℾ ℿ ⅀ ⅁ ⅂ ⅃ ⅄ ⅅ ⅆ ⅇ ⅈ ⅉ
    (0x214B, 0x214B),  # ⅋
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators
    (0x2308, 0x230B),  # ceilings and floors
    (0x2320, 0x2321),  # integral halves
    (0x2329, 0x232A),  # angle brackets (deprecated forms)
    (0x239B, 0x23B7),  # bracket, brace and radical pieces, summation parts, over/under brackets
    (0x23D0, 0x23D0),  # vertical line extension
    (0x23DC, 0x23E1),  # over/under parentheses, braces and tortoise-shell brackets
    (0x27E6, 0x27EF),  # ⟦ ⟧ ⟨ ⟩ ⟪ ⟫ and flattened parentheses
    (0x1D400, 0x1D433),  # mathematical bold Latin (latex2mathml's \mathbf: vectors, matrices)
    (0x1D434, 0x1D467),  # mathematical italic Latin (the single-letter <mi> of MathML Core)
    (0x1D6A4, 0x1D6A5),  # italic dotless i and j
    (0x1D6E2, 0x1D71B),  # mathematical italic Greek, ∇ and ∂
)


def unicodes() -> list[int]:
    return [c for first, last in RANGES for c in range(first, last + 1)]


def options() -> subset.Options:
    o = subset.Options()
    o.layout_features = ["*"]  # every GSUB/GPOS feature the font has (ccmp, locl, kern)
    o.layout_scripts = ["*"]
    o.name_IDs = ["*"]
    o.name_languages = ["*"]
    o.notdef_outline = True
    o.hinting = False
    o.flavor = "woff2"
    return o


def mark_as_subset(font: TTFont) -> None:
    """Say in the name table what the file is, and the licence it is under."""
    name = font["name"]
    unique = name.getDebugName(3)
    name.setName(f"{unique};subset", 3, 3, 1, 0x409)
    name.setName(
        "Subset of STIX Two Math for the backprop-lab equation panel, made with "
        "fontTools (static/vendor/fonts/subset.py).",
        10,
        3,
        1,
        0x409,
    )
    name.setName(
        "This Font Software is licensed under the SIL Open Font License, Version 1.1. "
        "This license is available with a FAQ at: https://openfontlicense.org",
        13,
        3,
        1,
        0x409,
    )


def make(source: Path = FULL, target: Path = SUBSET) -> Path:
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options())
    subsetter.populate(unicodes=unicodes())
    subsetter.subset(font)
    mark_as_subset(font)
    font.flavor = "woff2"
    font.save(target)
    return target


if __name__ == "__main__":
    out = make(*(Path(a) for a in sys.argv[1:3]))
    print(f"{out}: {out.stat().st_size} bytes")
