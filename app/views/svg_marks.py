"""The diagram's neurons, labelled edges and pulses as SVG markup (templates/_diagram.html
writes them through these, as it writes the edges through app/views/svg.py): a template
loop with a dozen escaped expressions and attribute lookups per neuron and per label was
most of the diagram's rendering time. The markup is byte for byte what the template's
loops wrote, escaped the same way (numbers and ids need none; texts, names and links do)."""

from __future__ import annotations

from markupsafe import Markup

from app.views.pieces import esc


def fresh_layers(last) -> tuple:
    """The layers the last action computed (`last`: the template's dict, or undefined)."""
    layers = last.get("layers") if isinstance(last, dict) else None
    return tuple(layers or ())


def neuron_marks(d, last, version, direction, thumbs, rule) -> Markup:
    """Every neuron: its link (or group) with its ring, disc, value and labels, then its
    target label; `direction`: the last action's; `thumbs`: the training view's pictures
    by neuron id; `rule`: practice mode's blanks (or nothing)."""
    layers, r = fresh_layers(last), d.geometry.r
    out = []
    for n in d.neurons:
        out.append(neuron_mark(n, n.l in layers, version, direction, thumbs, rule, r))
    return Markup("".join(out))


def neuron_mark(n, fresh: bool, v, direction, thumbs, rule, r) -> str:
    tag = "a" if n.href else "g"
    focus = " focus" if n.focus else ""
    link = ""
    if n.href:
        href = esc(n.href)
        current = ' aria-current="true"' if n.focus else ""
        link = f' href="{href}" data-hx-get="{href}" aria-label="{esc(n.name)}"{current}'
    thumb = thumbs.get(n.id) if thumbs else None
    image = (
        f'<image id="th-{n.id}" class="thumb" href="{esc(thumb)}" x="{n.x - r}" '
        f'y="{n.y - r}" width="{2 * r}" height="{2 * r}" clip-path="url(#thumb-clip)" '
        'preserveAspectRatio="none"/>'
        if thumb
        else ""
    )
    has = " has" if n.main else ""
    thumbed = " thumbed" if thumb else ""
    return (
        f'\n\n<{tag} id="{n.id}" class="neuron l{n.l}{focus}"{link}>\n'
        f"<title>{esc(n.title)}</title>\n"
        f'<circle class="ring" cx="{n.x}" cy="{n.y}" r="{r + 6}"/>\n'
        f"{image}\n"
        f'<circle class="disc {n.main_kind}{has}{thumbed}" cx="{n.x}" cy="{n.y}" r="{r}"/>\n'
        f"{main_mark(n, fresh, v, direction, rule)}\n"
        f"{label_marks(n, fresh, v, direction)}\n</{tag}>"
        + "".join(
            f'<text class="target" x="{t.x}" y="{t.y}">{esc(t.text)}</text>'
            for t in n.labels
            if t.kind == "target"
        )
    )


def main_mark(n, fresh: bool, v, direction, rule) -> str:
    """The value in the circle (a fresh one with an id of this version, so that its entry
    animation runs), or practice mode's '?' where the next Forward computes it."""
    if n.main:
        version = f"-v{v}" if fresh else ""
        new = " fresh" if fresh and (direction == "forward" or n.main_kind == "delta") else ""
        return (
            f'<text id="m-{n.id}{version}" class="main {n.main_kind}{new}" x="{n.x}" '
            f'y="{n.y}" style="animation-delay:{n.delay}s;--fit:{n.fit}px">'
            f"{esc(n.main)}</text>"
        )
    if rule and rule.hides("forward", n.l):
        return f'<text class="main blank" x="{n.x}" y="{n.y}">?</text>'
    return ""


def label_marks(n, fresh: bool, v, direction) -> str:
    """The neuron's labels but its target's: z and δ get an id of this version when the
    last action computed them."""
    out = []
    for t in n.labels:
        if t.kind == "target":
            continue
        if t.kind in ("z", "delta"):
            new = fresh and direction == ("forward" if t.kind == "z" else "backward")
            prefix, version = t.kind[0], f"-v{v}" if new else ""
            out.append(
                f'\n<text id="{prefix}-{n.id}{version}" class="{t.kind}'
                f'{" fresh" if new else ""}" x="{t.x}" y="{t.y}" '
                f'style="animation-delay:{n.delay}s">{esc(t.text)}</text>\n\n'
            )
        else:
            out.append(f'\n<text class="{t.kind}" x="{t.x}" y="{t.y}">{esc(t.text)}</text>\n')
    return "".join(out)


def edge_label_links(d, last, version, direction, edge_link) -> Markup:
    """Every edge with a link or labels: `edge_link` (app/views/svg.py) for one without
    labels; a labelled one: its link (or group) around its hit line and its labels on
    their halo."""
    layers, out = fresh_layers(last), []
    for e in d.edges:
        if not e.lines:
            if e.href:
                out.append(edge_link(e))
            continue
        new = direction == "backward" and e.l in layers
        out.append(labelled_edge(e, new, version))
    return Markup("".join(out))


def labelled_edge(e, new: bool, v) -> str:
    focus = " focus" if e.focus else ""
    if e.href:
        href = esc(e.href)
        current = ' aria-current="true"' if e.focus else ""
        opening = (
            f'<a id="link-{e.id}" class="edge-link{focus}" href="{href}" '
            f'data-hx-get="{href}" aria-label="{esc(e.name)}"{current}>'
        )
    else:
        opening = '<g class="edge-link">'
    x0, y0, x1, y1 = e.halo
    texts = []
    for t in e.lines:
        if t.kind == "g":
            version, fresh = (f"-v{v}", " fresh") if new else ("", "")
            texts.append(
                f'\n<text id="grad-{e.id}{version}" class="g{fresh}" x="{t.x}" y="{t.y}">'
                f"{esc(t.text)}</text>\n"
            )
        else:
            texts.append(f'\n<text class="{t.kind}" x="{t.x}" y="{t.y}">{esc(t.text)}</text>\n')
    return (
        f"\n{opening}\n"
        f'<line class="hit" x1="{e.x1}" y1="{e.y1}" x2="{e.x2}" y2="{e.y2}"/>'
        f'<g id="lbl-{e.id}" class="elabel{focus}"><rect class="halo" x="{x0}" y="{y0}" '
        f'width="{round(x1 - x0, 1)}" height="{round(y1 - y0, 1)}" rx="4"/>\n'
        f"{''.join(texts)}</g>\n{'</a>' if e.href else '</g>'}"
    )


def pulse_paths(pulses) -> Markup:
    """The moving dots of the last action (a path, not a line: pathLength is SVG 1.1's on
    <path> only, says the Nu checker)."""
    return Markup(
        "".join(
            f'<path class="pulse" d="M{p["x1"]} {p["y1"]} {p["x2"]} {p["y2"]}" '
            f'pathLength="100" style="animation-delay:{p["delay"]}s"/>'
            for p in pulses
        )
    )


GLOBALS = {
    "neuron_marks": neuron_marks,
    "edge_label_links": edge_label_links,
    "pulse_paths": pulse_paths,
}
