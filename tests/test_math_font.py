"""The math font the lab page serves: the subset of STIX Two Math that
static/vendor/fonts/subset.py makes. It covers every character the equation panel can
emit (every preset and optimiser, every phase, neurons and edges of the input, hidden and
output layers), keeps the glyphs and the MATH table (stretchy brackets, sums, radicals,
hats) of the full font, stays small, and is what subset.py makes from the full font
(which no page references)."""

from __future__ import annotations

import copy
import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

import engine
from app.views.equations import edge_equations, neuron_equations, update_equations
from app.views.model import NetworkModel

ROOT = Path(__file__).resolve().parents[1]
CSS = ROOT / "static" / "css" / "lab.css"
FONTS = ROOT / "static" / "vendor" / "fonts"
FULL = FONTS / "STIXTwoMath-Regular-full.woff2"
# 74.3 KB today; the lab page's first load must stay under 150 KB with everything else
# (about 28 KB), so the font may grow by a third before this fails.
MAX_BYTES = 100_000
MATHML = "{http://www.w3.org/1998/Math/MathML}"
SETTINGS = [(2, False), (8, True)]  # (decimals, aligned at '=')
TOKENS = {MATHML + t for t in ("mi", "mn", "mo", "mtext", "ms")}


def served_font() -> tuple[str, Path]:
    """(family, file) of the lab stylesheet's @font-face, checking that <math> uses it."""
    css = CSS.read_text(encoding="utf-8")
    faces = re.findall(r"@font-face\s*{([^}]*)}", css)
    assert len(faces) == 1, faces
    family = re.search(r'font-family:\s*"([^"]+)"', faces[0]).group(1)
    urls = re.findall(r"url\(([^)]+)\)", faces[0])
    assert len(urls) == 1 and urls[0].startswith("/static/"), urls
    math_rule = re.search(r"(?m)^math\s*{([^}]*)}", css).group(1)
    assert re.search(rf'font-family:\s*"{family}"', math_rule), math_rule
    return family, ROOT / urls[0].lstrip("/")


@pytest.fixture(scope="module")
def font() -> TTFont:
    return TTFont(served_font()[1])


# ---- what the equation panel emits ---------------------------------------------------------
def italic(c: str) -> str:
    """MathML Core's italic mapping (text-transform: math-auto), which Chromium applies to
    an <mi> of one character: the font must hold the mapped character."""
    o = ord(c)
    if 0x41 <= o <= 0x5A:
        return chr(0x1D434 + o - 0x41)
    if 0x61 <= o <= 0x7A:
        return "\u210e" if c == "h" else chr(0x1D44E + o - 0x61)
    if 0x391 <= o <= 0x3A9 and o != 0x3A2:
        return chr(0x1D6E2 + o - 0x391)
    if 0x3B1 <= o <= 0x3C9:
        return chr(0x1D6FC + o - 0x3B1)
    extra = {
        "ı": 0x1D6A4,
        "ȷ": 0x1D6A5,
        "ϴ": 0x1D6F3,
        "∇": 0x1D6FB,
        "∂": 0x1D715,
        "ϵ": 0x1D716,
        "ϑ": 0x1D717,
        "ϰ": 0x1D718,
        "ϕ": 0x1D719,
        "ϱ": 0x1D71A,
        "ϖ": 0x1D71B,
    }
    return chr(extra[c]) if c in extra else c


def drawn(mathml: str) -> set[str]:
    """The characters the browser draws for one <math> element's tokens."""
    out = set()
    for el in ET.fromstring(mathml).iter():
        text = (el.text or "").strip()
        if el.tag not in TOKENS or not text:
            continue
        # Chromium honours only mathvariant="normal" (MathML Core); other values do not
        # stop the italic mapping
        if el.tag == MATHML + "mi" and len(text) == 1 and el.get("mathvariant") != "normal":
            text = italic(text)
        out.update(c for c in text if not c.isspace())
    return out


def panels(s: NetworkModel, digits: int, aligned: bool, values: bool = True):
    """The input, first hidden, last hidden and output layers' first and last neurons
    (first and last sample), and the edges and updates into them from the first and last
    neuron below; only the updates unless `values` (the other equations do not depend on
    the optimiser)."""
    sizes, last, top = s.layers, s.m - 1, len(s.layers) - 1
    for layer in sorted({0, 1, top - 1, top}):
        n = sizes[layer]
        for j in sorted({1, n}) if values else ():
            for sample in sorted({0, last}):
                yield from neuron_equations(s, layer, j, sample, digits=digits, aligned=aligned)
        for j in sorted({1, n}) if layer else ():
            yield from update_equations(s, layer, j, digits=digits, aligned=aligned)
            for k in sorted({1, sizes[layer - 1]}):
                if values:
                    yield from edge_equations(s, layer, j, k, digits=digits, aligned=aligned)
                yield from update_equations(s, layer, j, k, digits=digits, aligned=aligned)


def states(net):
    """The state at idle, after each forward and backward layer, and after the update."""
    yield NetworkModel(copy.deepcopy(net))
    while net.next_action != "update":
        getattr(net, net.next_action)()
        yield NetworkModel(copy.deepcopy(net))
    net.update()
    yield NetworkModel(copy.deepcopy(net))


@pytest.fixture(scope="module")
def panel_characters() -> dict[str, str]:
    """Every character drawn in the equation panel → one equation (LaTeX) that draws it:
    every preset with every optimiser, in every phase, with 2 and 8 decimals, on one line
    and aligned."""
    seen: dict[str, str] = {}
    for preset in engine.PRESETS:
        for optimizer in engine.OPTIMISERS:
            walk = list(states(engine.create_network({"preset": preset, "optimizer": optimizer})))
            for index, s in enumerate(walk):
                # alternate the settings; the fullest state, after the update, gets both
                settings = SETTINGS if index == len(walk) - 1 else [SETTINGS[index % 2]]
                for digits, aligned in settings:
                    for eq in panels(s, digits, aligned, values=optimizer == "sgd"):
                        for c in drawn(eq.mathml):
                            seen.setdefault(c, f"{preset}/{optimizer}: {eq.latex}")
    return seen


def test_the_walk_sees_the_panels_symbols(panel_characters):
    # a guard on the walk itself: sums, partial derivatives, primes, the update arrow and
    # the auto-italic δ (U+1D6FF, not U+03B4) are all drawn by some panel
    assert {"∑", "∂", "′", "←", "\U0001d6ff", "\U0001d464"} <= set(panel_characters)
    assert "δ" not in panel_characters  # a lone <mi>δ</mi> is drawn in italic
    assert len(panel_characters) > 50


def test_the_font_covers_every_character_the_panel_draws(font, panel_characters):
    cmap = font.getBestCmap()
    missing = {
        f"U+{ord(c):04X} {c}": where for c, where in panel_characters.items() if ord(c) not in cmap
    }
    assert not missing, missing


def test_the_font_keeps_the_ranges_subset_py_names(font, full):
    cmap, full_cmap = font.getBestCmap(), full.getBestCmap()
    wanted = {c for first, last in subset_script().RANGES for c in range(first, last + 1)}
    assert wanted & set(full_cmap) <= set(cmap)
    # beyond them only the bidi mirrors of kept characters (⧵ for ∕, ⫞ for ⊦ …)
    assert len(set(cmap) - wanted) < 50 and len(cmap) < len(full_cmap) / 4


# ---- glyphs and the MATH table ---------------------------------------------------------------
@pytest.fixture(scope="module")
def full() -> TTFont:
    return TTFont(FULL)


def shape(font: TTFont, glyph: str) -> tuple:
    """A glyph's advance and side bearing, outline points and contour ends: how glyphs of
    the two fonts are compared (the subset has no glyph names, post format 3)."""
    glyf = font["glyf"]
    coords, ends, _ = glyf[glyph].getCoordinates(glyf)
    return font["hmtx"][glyph], tuple(coords), tuple(ends)


def math_records(font: TTFont) -> dict[str, dict]:
    """What Chromium reads from the MATH table, by glyph: vertical and horizontal
    constructions (size variants, assembly), italic corrections and top accent positions."""
    table = font["MATH"].table
    mv, info = table.MathVariants, table.MathGlyphInfo
    italic, accent = info.MathItalicsCorrectionInfo, info.MathTopAccentAttachment
    pairs = {
        "vertical": (mv.VertGlyphCoverage, mv.VertGlyphConstruction),
        "horizontal": (mv.HorizGlyphCoverage, mv.HorizGlyphConstruction),
        "italic": (italic.Coverage, [v.Value for v in italic.ItalicsCorrection]),
        "accent": (accent.TopAccentCoverage, [v.Value for v in accent.TopAccentAttachment]),
    }
    return {
        kind: dict(zip(coverage.glyphs, values, strict=True))
        for kind, (coverage, values) in pairs.items()
    }


def construction(font: TTFont, c) -> tuple | None:
    """A MathGlyphConstruction with its glyphs as shapes: (size variants, assembly parts)."""
    if c is None:
        return None
    sizes = tuple(
        (shape(font, r.VariantGlyph), r.AdvanceMeasurement) for r in c.MathGlyphVariantRecord
    )
    parts = (
        ()
        if c.GlyphAssembly is None
        else tuple(
            (shape(font, p.glyph), p.PartFlags, p.StartConnectorLength, p.EndConnectorLength)
            for p in c.GlyphAssembly.PartRecords
        )
    )
    return sizes, parts


def test_every_character_kept_has_the_full_fonts_glyph(font, full):
    full_cmap = full.getBestCmap()
    for code, glyph in font.getBestCmap().items():
        assert shape(font, glyph) == shape(full, full_cmap[code]), f"U+{code:04X}"
    assert font["head"].unitsPerEm == full["head"].unitsPerEm
    assert font["hhea"].ascent == full["hhea"].ascent
    assert font["OS/2"].sTypoLineGap == full["OS/2"].sTypoLineGap


def test_the_font_keeps_the_math_table_for_every_character_it_keeps(font, full):
    assert "MATH" in font
    assert font["MATH"].table.MathConstants == full["MATH"].table.MathConstants
    kept, original = math_records(font), math_records(full)
    cmap, full_cmap = font.getBestCmap(), full.getBestCmap()
    for code, glyph in cmap.items():
        where, g = f"U+{code:04X}", full_cmap[code]
        for kind in ("italic", "accent"):
            assert kept[kind].get(glyph) == original[kind].get(g), (kind, where)
        for kind in ("vertical", "horizontal"):
            assert construction(font, kept[kind].get(glyph)) == construction(
                full, original[kind].get(g)
            ), (kind, where)
    # so brackets, bars, sums, integrals and radicals grow; hats, arrows and braces widen
    for chars, kind in (
        ("()[]{}|\u2016\u2211\u220f\u222b\u221a\u2308\u230b\u27e8\u27e9", "vertical"),
        ("\u0302\u0303\u2192\u23de\u23df", "horizontal"),
    ):
        for c in chars:
            sizes, parts = construction(font, kept[kind][cmap[ord(c)]])
            assert len(sizes) > 1 or parts, (kind, c)


# ---- the file ------------------------------------------------------------------------------
def test_the_served_font_is_small_and_the_full_one_is_not_referenced():
    _, path = served_font()
    assert path.suffix == ".woff2" and path != FULL
    assert path.stat().st_size < MAX_BYTES, path.stat().st_size
    assert FULL.stat().st_size > 4 * MAX_BYTES  # what the subset replaces
    for folder in ("static", "templates", "app"):
        for f in (ROOT / folder).rglob("*"):
            if f.suffix in {".css", ".html", ".js", ".py"} and f.name != "subset.py":
                assert FULL.name not in f.read_text(encoding="utf-8", errors="replace"), f


def subset_script():
    spec = importlib.util.spec_from_file_location("font_subset", FONTS / "subset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_subset_script_makes_the_served_font(font, tmp_path):
    # the same characters and as many glyphs (not the same bytes: those depend on the
    # fontTools and brotli versions), so the served file is not stale after RANGES changes
    made = TTFont(subset_script().make(FULL, tmp_path / "made.woff2"))
    assert set(made.getBestCmap()) == set(font.getBestCmap())
    assert len(made.getGlyphOrder()) == len(font.getGlyphOrder())
    assert made["name"].getDebugName(10) == font["name"].getDebugName(10)
