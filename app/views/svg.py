"""The diagram's edges as SVG markup (templates/_diagram.html writes them through these):
a network has an edge per weight, and a template loop with half a dozen escaped
expressions per edge was most of the diagram's rendering time. The markup is what the
template wrote, escaped the same way (numbers and ids need none; names and links do)."""

from __future__ import annotations

from markupsafe import Markup

from app.views import svg_marks
from app.views.pieces import esc

FOCUS = ' class="focus"'


def edge_paths(edges) -> Markup:
    """Every edge's line, its width and colour from its weight."""
    return Markup(
        "".join(
            f'\n<path id="{e.id}"{FOCUS if e.focus else ""} d="M{e.x1} {e.y1} {e.x2} {e.y2}" '
            f'style="stroke-width:{e.width}px;stroke:{esc(e.colour)}"/>'
            for e in edges
        )
    )


def edge_link(e) -> Markup:
    """An edge without labels: its link (or, without one, its group) around the wide
    invisible line that takes the pointer."""
    hit = f'<line class="hit" x1="{e.x1}" y1="{e.y1}" x2="{e.x2}" y2="{e.y2}"/>'
    if not e.href:
        return Markup(f'\n<g class="edge-link">\n{hit}\n</g>')
    focus = " focus" if e.focus else ""
    current = ' aria-current="true"' if e.focus else ""
    href = esc(e.href)
    return Markup(
        f'\n<a id="link-{e.id}" class="edge-link{focus}" href="{href}" data-hx-get="{href}" '
        f'aria-label="{esc(e.name)}"{current}>\n{hit}\n</a>'
    )


# the diagram's markup functions (app/views/svg_marks.py: neurons, labelled edges, pulses)
GLOBALS = {"edge_paths": edge_paths, "edge_link": edge_link, **svg_marks.GLOBALS}
