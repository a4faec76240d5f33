"""The diagram as Chromium draws it, for every preset in the states with the most labels
and at every text size A− / A+ offer (and on a phone's narrow drawing): boxes measured from
the rendered SVG (getBBox), not from the placer's own estimates. No two texts overlap, no
text covers a neuron it does not belong to, every circle's value stays inside its circle
(rounded to fewer decimals rather than drawn more than 15 % smaller, where the drawing is
roomy), the loss box's lines stay inside it,
everything lies inside the viewBox; where every edge is labelled, each label sits on its
own edge with no other edge passing through its halo."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

import engine
from app.main import create_app
from app.settings import Settings
from app.views.diagram import SHRINK
from app.views.display import SCALES, Display
from app.views.geometry import PRESENT_FONT, Geometry
from app.views.lab import core_context
from app.views.model import NetworkModel
from app.views.viewstate import ViewState

CSS = (Path(__file__).resolve().parents[2] / "static/css/lab.css").read_text()
MEASURE = """() => {
  const svg = document.querySelector('#net'), vb = svg.viewBox.baseVal;
  const box = el => { const b = el.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
  const owner = t => {
    const o = t.closest('.elabel, a.neuron, #lossbox, .bands');
    return o ? (o.id || o.getAttribute('class')) : '';
  };
  return {
    vb: [vb.x, vb.y, vb.x + vb.width, vb.y + vb.height],
    font: parseFloat(
      getComputedStyle(document.querySelector('#diagram')).getPropertyValue('--font')),
    texts: texts.map(t => ({cls: t.getAttribute('class') || '', text: t.textContent,
      box: box(t), owner: owner(t), size: parseFloat(getComputedStyle(t).fontSize)})),
    circles: [...svg.querySelectorAll('circle.disc')]
      .map(c => ({id: c.closest('a').id, box: box(c)})),
    halos: [...svg.querySelectorAll('.elabel')]
      .map(g => ({id: g.id.slice(4), box: box(g.querySelector('rect.halo'))})),
    edges: [...svg.querySelectorAll('.edges path')].map(p => ({id: p.id, d: p.getAttribute('d'),
      w: parseFloat(getComputedStyle(p).strokeWidth)})),
    loss: box(svg.querySelector('#lossbox rect')),
  };
}"""


def states(preset: str):
    """(name, read model): after the forward pass, the first Backward, the whole backward
    pass and the update (the states with the most labels on the diagram)."""
    net = engine.create_network({"preset": preset})
    net.forward(all=True)
    yield "forward", NetworkModel(net)
    net.backward()
    yield "backward L", NetworkModel(net)
    if net.next_action == "backward":
        net.backward(all=True)
        yield "backward done", NetworkModel(net)
    net.update()
    yield "updated", NetworkModel(net)


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return create_app(Settings(db=str(tmp_path_factory.mktemp("db") / "x.db"))).state.templates


@pytest.fixture(scope="module")
def drawing(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def draw(
    page, templates, model: NetworkModel, scale: float, narrow: bool, present: bool = False
) -> dict:
    view = ViewState(display=Display(scale, narrow), present=present)
    svg = templates.get_template("_diagram.html").render(core_context(model, view))
    head = f"<!doctype html><html><head><style>{CSS}</style></head>"
    page.set_content(f"{head}<body><main>{svg}</main></body></html>")
    return page.evaluate(MEASURE)


def overlap(a, b, tol: float = 0.5) -> bool:
    return a[0] < b[2] - tol and b[0] < a[2] - tol and a[1] < b[3] - tol and b[1] < a[3] - tol


def inside(a, b, tol: float = 0.5) -> bool:
    return a[0] >= b[0] - tol and a[1] >= b[1] - tol and a[2] <= b[2] + tol and a[3] <= b[3] + tol


def segment(d: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d))


def crosses(seg, box, margin: float) -> bool:
    """Whether the segment (x1, y1, x2, y2) passes through the box grown by `margin`."""
    x1, y1, x2, y2 = seg
    x0, y0, x3, y3 = box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin
    t0, t1 = 0.0, 1.0
    for p, q in ((x1 - x2, x1 - x0), (x2 - x1, x3 - x1), (y1 - y2, y1 - y0), (y2 - y1, y3 - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        t0, t1 = (max(t0, r), t1) if p < 0 else (t0, min(t1, r))
    return t0 <= t1


def problems(m: dict, roomy: bool, label_all: bool) -> list[str]:
    out = []
    texts, circles = m["texts"], m["circles"]
    for t in texts:
        if not inside(t["box"], m["vb"]):
            out.append(f"{t['text']!r} leaves the viewBox")
    for a, b in itertools.combinations(texts, 2):
        if overlap(a["box"], b["box"]):
            out.append(f"{a['text']!r} overlaps {b['text']!r}")
    for t in texts:
        for c in circles:
            own = t["cls"].startswith("main") and t["owner"] == c["id"]
            if own and not inside(t["box"], c["box"]):
                out.append(f"{t['text']!r} leaves its circle {c['id']}")
            elif not own and overlap(t["box"], c["box"]):
                out.append(f"{t['text']!r} covers the neuron {c['id']}")
        if t["owner"] == "lossbox" and not inside(t["box"], m["loss"]):
            out.append(f"{t['text']!r} leaves the loss box")
        if roomy and t["cls"].startswith("main") and t["size"] < SHRINK * m["font"] - 0.05:
            out.append(f"{t['text']!r} shrunk to {t['size']} (font {m['font']})")
    if label_all:
        out += halo_problems(m)
    return out


def halo_problems(m: dict) -> list[str]:
    """Each edge label on its own edge, and no other edge of its layer through its halo."""
    out = []
    edges = {e["id"]: e for e in m["edges"]}
    for h in m["halos"]:
        own = edges[h["id"]]
        if not crosses(segment(own["d"]), h["box"], 0):
            out.append(f"the label of {h['id']} is off its edge")
        layer = h["id"].split("-")[1]
        for e in m["edges"]:
            same = e["id"].split("-")[1] == layer and e["id"] != h["id"]
            if same and crosses(segment(e["d"]), h["box"], e["w"] / 2):
                out.append(f"{e['id']} passes through the label of {h['id']}")
    return out


@pytest.mark.parametrize("preset", list(engine.PRESETS))
def test_no_label_collides_at_any_text_size(drawing, templates, preset):
    checked = 0
    for name, model in states(preset):
        for scale in SCALES:
            m = draw(drawing, templates, model, scale, narrow=False)
            g = Geometry.for_layers(model.layers, scale)
            found = problems(m, g.roomy, g.label_all)
            assert found == [], f"{preset} {name} at text size {scale}: {found[:6]}"
            checked += len(m["texts"])
        for scale in (SCALES[0], SCALES[-1]):
            m = draw(drawing, templates, model, scale, narrow=True)
            found = problems(m, roomy=False, label_all=False)
            assert found == [], f"{preset} {name} on a phone at text size {scale}: {found[:6]}"
    assert checked > 100


@pytest.mark.parametrize("preset", list(engine.PRESETS))
def test_the_presenter_view_places_its_larger_labels_without_collisions(drawing, templates, preset):
    """The presenter view lays the drawing out for a font of PRESENT_FONT or more (at the
    reader's text size, if larger): the same checks pass, and every text but a circle's
    value (fitted to its circle) is at least 18 units, so 18 px where the page draws one
    px per unit or more (static/css/classroom.css); a circle's value, fitted to its
    circle, at least 17.5 where the drawing is roomy (a compact drawing's circles shrink a
    long value to fit: its full value is in the tooltip and the equations)."""
    for name, model in states(preset):
        for scale in (SCALES[1], SCALES[-1]):
            m = draw(drawing, templates, model, scale, narrow=False, present=True)
            g = Geometry.for_layers(model.layers, scale, min_font=PRESENT_FONT)
            assert m["font"] >= PRESENT_FONT and m["font"] == pytest.approx(g.font, abs=0.01)
            found = problems(m, g.roomy, g.label_all)
            assert found == [], f"{preset} {name} presenting at text size {scale}: {found[:6]}"
            small = [(t["text"], t["size"]) for t in m["texts"] if too_small(t, g.roomy)]
            assert small == [], f"{preset} {name} presenting at text size {scale}: {small[:6]}"


def too_small(text: dict, roomy: bool) -> bool:
    """Below the presenter view's sizes: 18 units, a circle's value 17.5 (roomy only)."""
    if text["cls"].startswith("main"):
        return roomy and text["size"] < 17.5
    return text["size"] < 18


def test_the_checks_see_a_collision_and_a_label_on_a_crossing(drawing, templates):
    """The measurements fail on a drawing whose label sits on another, and on one whose
    edge label sits where two edges cross (as w²₁₂'s did after Update)."""
    model = dict(states("worked-example"))["updated"]
    m = draw(drawing, templates, model, 1.0, narrow=False)
    assert problems(m, True, True) == []
    drawing.evaluate(
        """() => { const a = document.querySelector('#n-1-1 text.z'),
                         b = document.querySelector('#n-1-1 text.main');
                   a.setAttribute('y', b.getAttribute('y')); }"""
    )
    assert any(
        "overlaps" in p or "covers" in p for p in problems(drawing.evaluate(MEASURE), True, True)
    )
    m = draw(drawing, templates, model, 1.0, narrow=False)
    drawing.evaluate(
        """() => { const g = document.querySelector('#lbl-e-2-1-2'), r = g.querySelector('rect');
                   const e1 = document.querySelector('#e-2-1-2').getAttribute('d')
                     .match(/[-\\d.]+/g).map(Number);
                   const cx = (e1[0] + e1[2]) / 2, cy = (e1[1] + e1[3]) / 2;
                   r.setAttribute('x', cx - 30); r.setAttribute('y', cy - 10); }"""
    )
    assert any("passes through" in p for p in halo_problems(drawing.evaluate(MEASURE)))
