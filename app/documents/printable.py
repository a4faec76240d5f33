"""A handout (app/documents/handout.py) as a printable HTML page: the lab's own MathML (the
equation panel's), its math font and its SVG diagram (templates/_diagram.html, built by
app/views/diagram.py), a print stylesheet (static/css/handout.css: A4 or Letter, each
phase of the iteration on a new page) and no controls or scripts.

`page(doc)` links the lab's stylesheets (the page the app serves); `page(doc, standalone=
True)` carries them inline with the math font as a data: URL, so that it renders with no
server: the PDF is made from it (app/documents/pdf.py)."""

from __future__ import annotations

import base64
import re
from collections import Counter
from functools import cache, lru_cache

from latex2mathml.converter import convert
from markupsafe import Markup, escape

from app import __version__
from app.documents.handout import Blank, Display, Figure, Handout, Heading, Shown, Table, Text
from app.resources import MATH_FONT, static_bytes, static_text, templates
from app.views import diagram
from app.views.equations.mathml import FIXES, chain_mathml
from app.views.mathwidth import fit
from app.views.viewstate import ViewState

PRINT_FIT = 640  # px: an equation wider than this (mathwidth.fit) is stacked at its '='
DIAGRAM_DIGITS = 4  # decimals on the diagram's labels (every digit is in the equations)
NO_FOCUS = ("none",)  # the handout's diagram highlights no neuron


@lru_cache(maxsize=4096)
def inline_math(latex: str) -> Markup:
    """Inline MathML with the equation panel's typographic fixes (the same formulas recur
    in every handout and in every student's sheet: converted once)."""
    mathml = convert(latex)
    for pattern, replacement in FIXES:
        mathml = pattern.sub(replacement, mathml)
    return Markup(mathml)


def words(text: str) -> Markup:
    """Words with $…$ maths: the words escaped, each formula as inline MathML."""
    parts = text.split("$")
    if len(parts) % 2 == 0:  # an unpaired $ is a dollar sign
        return escape(text)
    return Markup("").join(inline_math(p) if i % 2 else escape(p) for i, p in enumerate(parts) if p)


def display(b: Shown) -> Markup:
    """The equation on one line, or stacked at its '=' signs when a page is too narrow."""
    e = b.equation
    wide = fit(e.mathml) > PRINT_FIT and len(e.sides) > 2
    return Markup(chain_mathml(e.sides, aligned=True) if wide else e.mathml)


def slug(text: str) -> str:
    return "h-" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def item(b, digits: int) -> dict:
    """One block as the template draws it."""
    if isinstance(b, Heading):
        return {"kind": "heading", "level": b.level, "html": words(b.text), "id": slug(b.text)}
    if isinstance(b, Text):
        return {"kind": "text", "html": words(b.text), "note": b.note}
    if isinstance(b, Display):
        return {"kind": "display", "lead": b.lead, "html": Markup(b.mathml)}
    if isinstance(b, Shown):
        return {"kind": "shown", "title": b.heading, "html": display(b)}
    if isinstance(b, Blank):
        return {"kind": "blank", "title": b.heading, "number": b.number, "html": Markup(b.mathml)}
    if isinstance(b, Table):
        rows = [[words(c) for c in row] for row in b.rows]
        return {"kind": "table", "caption": b.caption, "header": b.header, "rows": rows}
    if isinstance(b, Figure):
        ctx = diagram.Context(digits=min(digits, DIAGRAM_DIGITS), focus=NO_FOCUS)
        built = diagram.build(b.net, ctx)
        for column in built.columns:
            column["active"] = False  # no layer is "current" in a handout
        return {
            "kind": "figure",
            "caption": b.caption,
            "net": b.net,
            "diagram": built,
            "view": ViewState(),
        }
    raise TypeError(f"no HTML for {type(b).__name__}")


def sections(doc: Handout) -> list[dict]:
    """The blocks in sections: the opening part, then one per phase (a page each)."""
    out: list[dict] = [{"phase": False, "id": "", "blocks": []}]
    level, ids = 1, Counter[str]()
    for b in doc.blocks:
        drawn = item(b, doc.digits)
        if isinstance(b, Heading):
            level = b.level
            ids[drawn["id"]] += 1  # a heading repeated (each student's sheet): its own id
            if ids[drawn["id"]] > 1:
                drawn["id"] += f"-{ids[drawn['id']]}"
        elif isinstance(b, Shown | Blank):
            drawn["level"] = level + 1  # the next heading level: none is skipped
        if isinstance(b, Heading) and b.phase:
            out.append({"phase": True, "id": drawn["id"], "level": b.level, "blocks": []})
        out[-1]["blocks"].append(drawn)
    return out


@cache
def inline_css() -> str:
    """lab.css and handout.css in one, the math font inline as a data: URL."""
    font = base64.b64encode(static_bytes(MATH_FONT)).decode("ascii")
    css = static_text("css/lab.css") + "\n" + static_text("css/handout.css")
    return css.replace(f"url(/static/{MATH_FONT})", f"url(data:font/woff2;base64,{font})")


def page(doc: Handout, standalone: bool = False, sheet: bool = False) -> str:
    """The handout as one HTML page (see the module doc); an exercise sheet (`sheet`) breaks
    pages only between students, not between the phases of an iteration."""
    return (
        templates()
        .get_template("handout.html")
        .render(
            doc=doc,
            sections=sections(doc),
            css=Markup(inline_css()) if standalone else "",
            sheet=sheet,
            version=__version__,
        )
    )
