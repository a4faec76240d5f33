"""The table's values as the page shows them while no value is being edited (the `value`
macro of templates/_macros.html and the rows of templates/_table.html keep the editor):
written here in Python because the table has a cell per value of the network, and the
template's expressions per cell were most of a click's rendering time. The markup is the
template's, escaped the same way (tests/pages/test_markup_in_python.py)."""

from __future__ import annotations

from markupsafe import Markup

from app.views import pieces
from app.views.pieces import esc

BLANK = '<span class="blank" title="Practice: the next click computes it">?</span>'
GRAD_BLANK = '<span class="g blank" title="Practice: the next click computes it">?</span>'


def shown(c: dict, label: str, watching: bool = False) -> Markup:
    """An editable value's button (it opens the editor; none on the read-only watch page),
    else a practice blank ('?') or the value as text ('·' for none)."""
    return Markup(cell_html(c, label, watching))


def cell_html(c: dict, label: str, watching: bool) -> str:
    """`shown`'s markup as text (the rows below join many of them)."""
    if c["key"] and not watching:
        text = esc(c["text"])
        neg = " neg" if c["neg"] else ""
        return (
            f'<button class="val{neg}" form="view-form" name="edit" value="{esc(c["key"])}" '
            f'aria-label="{text}: edit {esc(label)}">{text}</button>'
        )
    if c.get("blank"):
        return BLANK
    return f'<span class="{"neg" if c["neg"] else ""}">{esc(c["text"] or "·")}</span>'


FIXED = ' <span class="fixed" title="frozen: kept at its value, never updated">fixed</span>'


def layer_rows(lt: dict, watching: bool = False) -> Markup:
    """A layer's rows: j, then b, z, a, f′(z), ∂ℓ/∂a, δ, ∂L/∂b (the bias 'was … →' after an
    update, and 'fixed' when frozen)."""
    out = []
    for row in lt["rows"]:
        cells = []
        for c in row["cells"]:
            cls = f' class="{esc(c["cls"])}"' if c.get("cls") else ""
            label = c.get("label") or ""
            was = (
                f'<span class="was">was {esc(row["was"])} →</span> ' if label and row["was"] else ""
            )
            fixed = FIXED if c.get("fixed") else ""
            cells.append(f"<td{cls}>{was}{cell_html(c, label, watching)}{fixed}</td>")
        out.append(f'<tr><th scope="row">{row["j"]}</th>{"".join(cells)}</tr>')
    return Markup("".join(out))


def weight_rows(wt: dict, watching: bool = False) -> Markup:
    """W^l's rows: j, then each weight with its gradient below once computed (a practice
    blank while the next click computes it)."""
    out, l = [], wt["l"]
    for row in wt["rows"]:
        j, cells = row["j"], []
        for k, c in enumerate(row["cells"], start=1):
            grad = f'<span class="g">{esc(c["grad"])}</span>' if c["grad"] else ""
            if not grad and c.get("blank"):
                grad = GRAD_BLANK
            cells.append(f"<td>{cell_html(c, f'weight w{l} {j}{k}', watching)}{grad}</td>")
        out.append(f'<tr><th scope="row">{j}</th>{"".join(cells)}</tr>')
    return Markup("".join(out))


# with the pieces every part of the page repeats (app/views/pieces.py: term, hidden)
GLOBALS = {
    "shown": shown,
    "layer_rows": layer_rows,
    "weight_rows": weight_rows,
    **pieces.GLOBALS,
}
