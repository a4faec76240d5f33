"""Play's refreshes as numbers: a refresh whose markup would differ from the page's only in
its numbers sends those numbers, not the markup again.

`layout` digests everything a refresh's status line and diagram are drawn from apart from
the numbers that `numbers` carries (architecture, view, text size and screen, where every
label sits, which elements exist, the summary line ...): when the page shows a refresh of
the same layout (it sends the digest back), `numbers` is all that changes. The numbers are
taken from the very view-models a full render writes (the status dict, the diagram), so
they cannot disagree with it. The small plots and the diagnostics panel travel as their own
partials' markup (morphed in on the page, as a full refresh does).

`numbers(context)` → {"layout", "version", "iteration", "set": [[id, sub, attr, value]],
"html": [[id, markup, kept]]}: `sub` is '' (the element with that id) or a `tag.class`
selector of the first such element inside it, `attr` '' for its text, else the attribute to
set. A partial that changes only now and then (the confusion matrices) comes with
`kept`, a digest of what it shows; a page that names that digest among those it holds
(`kept` of the refresh's form) does not get it again while it stays the same. The loss and
accuracy curves come so with the digest of their frame (curve_frame: how many ticks, marks
and lines, the legend); while the page holds it, a curve comes as its numbers (its
points, ticks, marks and words: curve_numbers) instead of its markup."""

from __future__ import annotations

import hashlib
from collections import Counter

from app.views.diagram import Diagram


def layout(context: dict) -> str:
    """A short digest of what a refresh's markup is made of besides its numbers."""
    net, view, status, d = (context[k] for k in ("net", "view", "status", "diagram"))
    t = context["training"]
    boundary = t["boundary"]
    parts = (  # the network's id is the refresh's URL's
        net.watching,
        tuple(net.layers),
        view.query(),
        repr(view.display),
        context["playing"],
        context.get("stop", False),
        context["announce"],
        context["diagram_note"],
        repr(context["message"]),
        (status["loss"]["was"], bool(status["loss"]["of"]), status["badge"]),
        (status["badge_text"], status["note"], bool(context["batch_text"])),
        (context["activation_summary"], context["loss_words"], context["conventions"]),
        (net.learning_rate, net.optimizer, context["samples"], net.test_count),
        (context["last"].get("elsewhere"), tuple(context["last"].get("layers", ()))),
        diagram_layout(d),
        repr(context["shape"]),
        (part(boundary, "kind"), bool(part(boundary, "classifies")), bool(t["accuracy"])),
        tuple(sorted(t["thumbs"])),
    )
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def diagram_layout(d: Diagram) -> tuple:
    """Where everything in the diagram sits and what kind it is, without its numbers."""
    g = d.geometry
    return (
        d.width,
        d.height,
        (g.font, g.roomy, g.narrow),
        repr(d.columns),
        repr(d.pulses),
        tuple(edge_layout(e) for e in d.edges),
        tuple(
            (
                n.id,
                n.href,
                n.focus,
                bool(n.main),
                n.main_kind,
                n.fit,
                n.delay,
                placed(n.labels),
                repeated(n.labels, n.main_kind if n.main else None),
                tuple(t.text for t in n.labels if t.kind == "target"),
            )
            for n in d.neurons
        ),
        (d.loss.has, d.loss.x, d.loss.y, d.loss.w, d.loss.h, d.loss.fit, repr(d.loss.links)),
        tuple((cls, y) for cls, _, y in d.loss.rows),
        tuple(text for cls, text, _ in d.loss.rows if cls in twice([c for c, _, _ in d.loss.rows])),
    )


def edge_layout(e) -> tuple:
    """An edge's part of the layout (most edges have no label: nothing to place)."""
    if not e.lines:
        return (e.id, e.focus, e.href, e.halo)
    return (e.id, e.focus, e.href, e.halo, placed(e.lines), repeated(e.lines))


def placed(labels) -> tuple:
    return tuple((t.kind, t.x, t.y, t.size, t.anchor) for t in labels)


def twice(kinds: list[str]) -> set[str]:
    """The kinds (classes) that more than one label has: a selector by class would find
    only the first, so their texts belong to the layout instead."""
    if len(set(kinds)) == len(kinds):
        return set()
    return {k for k, n in Counter(kinds).items() if n > 1}


def repeated(labels, main: str | None = None) -> tuple:
    """The texts of labels whose kind another label of the same element has (or its
    value in the circle, whose classes are 'main' and its kind: `main`)."""
    again = kinds_twice(labels, main)
    return tuple(t.text for t in labels if t.kind in again)


def numbers(context: dict, render, kept: frozenset[str] = frozenset()) -> dict:
    """The numbers of a refresh (see the module's docstring); `render(name)` renders one
    of the refresh's partials with `context`, whose `play_layout` is its layout; `kept`:
    the digests of the partials the page holds."""
    net, status, d = context["net"], context["status"], context["diagram"]
    out: list[list[str]] = [
        ["status", "", "data-version", str(net.version)],
        ["iteration", "", "", str(net.iteration)],
        ["loss", "", "", status["loss"]["text"]],
        ["where", "span.where", "", status["where"]],
        ["where", "span.next", "", status["next"]],
    ]
    if status["loss"]["of"]:
        out.append(["status", "span.of", "", f"(iteration {status['loss']['of']})"])
    if context["batch_text"]:
        out.append(["batch", "", "", context["batch_text"]])
    out += diagram_numbers(d, context["training"]["thumbs"])
    html, curves = markup(context["training"], render, context["play_layout"], kept)
    return {
        "layout": context["play_layout"],
        "version": net.version,
        "iteration": net.iteration,
        "set": out + curves,
        "html": html,
    }


def diagram_numbers(d: Diagram, thumbs: dict) -> list[list[str]]:
    """Every edge's width and colour and its link's name, the labels' texts, each neuron's
    value, tooltip and name, the loss box's lines and the neurons' pictures."""
    out = []
    for e in d.edges:
        out.append([e.id, "", "style", f"stroke-width:{e.width}px;stroke:{e.colour}"])
        if e.href:
            out.append([f"link-{e.id}", "", "aria-label", e.name])
        if e.lines:  # most edges have none
            out += [[f"lbl-{e.id}", f"text.{t.kind}", "", t.text] for t in once(e.lines)]
    for n in d.neurons:
        out.append([n.id, "title", "", n.title])
        if n.href:
            out.append([n.id, "", "aria-label", n.name])
        if n.main:
            out.append([n.id, "text.main", "", n.main])
        lines = once(n.labels, n.main_kind if n.main else None)
        out += [[n.id, f"text.{t.kind}", "", t.text] for t in lines if t.kind != "target"]
        if thumbs.get(n.id):
            out.append([f"th-{n.id}", "", "href", thumbs[n.id]])
    again = twice([cls for cls, _, _ in d.loss.rows])
    out += [["lossbox", f"text.{c}", "", text] for c, text, _ in d.loss.rows if c not in again]
    return out


def once(labels, main: str | None = None) -> list:
    """The labels whose kind no other label of the same element has (nor its value in the
    circle, of kind `main`): a selector by class finds them."""
    again = kinds_twice(labels, main)
    return [t for t in labels if t.kind not in again]


def kinds_twice(labels, main: str | None = None) -> set[str]:
    """`twice` of an element's labels' kinds and its circle's `main`."""
    if len(labels) < 2 and main is None:
        return set()  # no kind can be had twice (most edges have no label at all)
    return twice([t.kind for t in labels] + ([main] if main else []))


def markup(training: dict, render, layout: str, kept: frozenset[str]) -> tuple[list, list]:
    """(html, set): the plots' and the diagnostics' partials, as a full refresh sends them,
    but for those the page holds as they are (`kept`); a curve whose frame (ticks, lines,
    legend: curve_frame) the page holds comes as its numbers instead (curve_numbers)."""
    boundary = training["boundary"]
    parts: list[tuple[str, str, object]] = []  # (id, template, what it shows, or None)
    if part(boundary, "kind") == "plane":
        parts += [("bd-img", "_bd_img.html", None), ("bd-stats", "_bd_stats.html", None)]
        if part(boundary, "classifies"):
            confusion = (part(boundary, "confusion"), part(boundary, "discrete"))
            parts.append(("bd-more", "_bd_more.html", confusion))
    elif boundary:
        parts.append(("boundary", "_boundary.html", None))
    curves = {"loss-curve": training["curve"], "acc-curve": training["accuracy"]}
    parts.append(("loss-curve", "_losscurve.html", curve_frame(curves["loss-curve"], training)))
    if training["accuracy"]:
        parts.append(("acc-curve", "_accuracy.html", curve_frame(curves["acc-curve"])))
    parts.append(("diagnostics", "_diagnostics.html", None))  # a record every refresh
    html, sets = [], []
    for id_, name, shown in parts:
        digest = "" if shown is None else kept_digest(layout, id_, shown)
        if not digest or f"{id_}:{digest}" not in kept:
            html.append([id_, render(name), digest])
        elif id_ in curves:
            sets += curve_numbers(curves[id_])
    return html, sets


def curve_frame(c: dict, training: dict | None = None) -> tuple | None:
    """What a curve's figure shows besides its numbers (app/views/curves.py: chart): how
    many ticks, marks and lines, which lines, the legend; None (always sent whole) when it
    has nothing drawn yet. The loss curve's figure holds the kept runs' list too."""
    if c["empty"]:
        return None
    lines = tuple((ln["name"], ln["cls"], ln["title"], ln["dot"] is None) for ln in c["lines"])
    counts = (len(c["yticks"]), len(c["xticks"]), len(c["marks"]), c["height"], c["log"])
    legend = (bool(c["last"].get("train")), bool(c["last"].get("test")))
    return (counts, lines, legend, repr(training["ghosts"]) if training else None)


def curve_numbers(c: dict) -> list[list[str]]:
    """The numbers of a curve whose frame the page shows (templates/_losscurve_svg.html):
    its words, ticks, marks, lines and the legend's latest values."""
    p = c["prefix"]
    out = [[f"{p}-svg", "", "aria-label", c["label"]]]
    for i, t in enumerate(c["yticks"]):
        y = str(t["y"])
        tick = f"{p}-yt-{i}"
        out += [[tick, "line", "y1", y], [tick, "line", "y2", y], [tick, "text", "y", y]]
        out.append([tick, "text", "", t["label"]])
    for i, t in enumerate(c["xticks"]):
        out += [[f"{p}-xt-{i}", "", "x", str(t["x"])], [f"{p}-xt-{i}", "", "", t["label"]]]
    for i, m in enumerate(c["marks"]):
        mark, x = f"{p}-mk-{i}", str(m["x"])
        out.append([mark, "title", "", f"iteration {m['iteration']}: {m['what']}"])
        out += [[mark, sel, end, x] for sel in ("line.mark", "line.mark-hit") for end in XS]
    for ln in c["lines"]:
        out.append([f"{p}-{ln['name']}", "", "points", ln["points"]])
        if ln["dot"] is not None:
            out += [[f"{p}-{ln['name']}-dot", "", a, str(v)] for a, v in zip(CXY, ln["dot"])]
    out += [[f"{p}-last-{name}", "", "", text] for name, text in c["last"].items() if text]
    return out


XS, CXY = ("x1", "x2"), ("cx", "cy")


def kept_digest(layout: str, id_: str, shown: object) -> str:
    return hashlib.blake2b(repr((layout, id_, shown)).encode(), digest_size=6).hexdigest()


def kept_of(text: object) -> frozenset[str]:
    """The `id:digest` pairs a refresh's form names (at most a few, each short)."""
    return frozenset(t for t in str(text or "")[:400].split()[:8] if len(t) <= 40)


def part(boundary, name: str):
    """A field of the boundary's view-model (app/views/plots.py: a Plane, a fitted curve's
    dict, or None)."""
    if boundary is None:
        return None
    return boundary.get(name) if isinstance(boundary, dict) else getattr(boundary, name, None)
