# ruff: noqa: E501 (the template text as it was, one element a line)
"""The diagram's neurons, labelled edges and pulses written in Python for speed
(app/views/svg_marks.py) are the markup the loops of templates/_diagram.html wrote: each
checked against the template text it replaced, rendered by Jinja with autoescaping, over
presets, moments of an iteration, focus, the last action's fresh layers, practice blanks,
training thumbnails, a phone's drawing and text that needs escaping."""

from __future__ import annotations

import jinja2
import pytest

import engine
from app.views import diagram
from app.views.model import NetworkModel
from app.views.practice import hiding
from app.views.svg import edge_link
from app.views.svg_marks import edge_label_links, neuron_marks, pulse_paths

ENV = jinja2.Environment(autoescape=True)
ENV.globals["edge_link"] = edge_link

NEURONS = ENV.from_string(
    """{%- set g = d.geometry %}{%- for n in d.neurons %}
{% set fresh = n.l in last.layers %}
{% set tag = "a" if n.href else "g" %}<{{ tag }} id="{{ n.id }}" class="neuron l{{ n.l }}{% if n.focus %} focus{% endif %}"{% if n.href %} href="{{ n.href }}" data-hx-get="{{ n.href }}" aria-label="{{ n.name }}"{% if n.focus %} aria-current="true"{% endif %}{% endif %}>
<title>{{ n.title }}</title>
<circle class="ring" cx="{{ n.x }}" cy="{{ n.y }}" r="{{ g.r + 6 }}"/>
{% if thumbs.get(n.id) %}<image id="th-{{ n.id }}" class="thumb" href="{{ thumbs[n.id] }}" x="{{ n.x - g.r }}" y="{{ n.y - g.r }}" width="{{ 2 * g.r }}" height="{{ 2 * g.r }}" clip-path="url(#thumb-clip)" preserveAspectRatio="none"/>{% endif %}
<circle class="disc {{ n.main_kind }}{% if n.main %} has{% endif %}{% if thumbs.get(n.id) %} thumbed{% endif %}" cx="{{ n.x }}" cy="{{ n.y }}" r="{{ g.r }}"/>
{% if n.main %}<text id="m-{{ n.id }}{% if fresh %}-v{{ v }}{% endif %}" class="main {{ n.main_kind }}{% if fresh and (dir == 'forward' or n.main_kind == 'delta') %} fresh{% endif %}" x="{{ n.x }}" y="{{ n.y }}" style="animation-delay:{{ n.delay }}s;--fit:{{ n.fit }}px">{{ n.main }}</text>{% elif practice_rule and practice_rule.hides("forward", n.l) %}<text class="main blank" x="{{ n.x }}" y="{{ n.y }}">?</text>{% endif %}
{% for t in n.labels if t.kind != "target" %}
{% if t.kind == "z" %}{% set new = fresh and dir == 'forward' %}<text id="z-{{ n.id }}{% if new %}-v{{ v }}{% endif %}" class="z{% if new %} fresh{% endif %}" x="{{ t.x }}" y="{{ t.y }}" style="animation-delay:{{ n.delay }}s">{{ t.text }}</text>
{% elif t.kind == "delta" %}{% set new = fresh and dir == 'backward' %}<text id="d-{{ n.id }}{% if new %}-v{{ v }}{% endif %}" class="delta{% if new %} fresh{% endif %}" x="{{ t.x }}" y="{{ t.y }}" style="animation-delay:{{ n.delay }}s">{{ t.text }}</text>
{% else %}<text class="{{ t.kind }}" x="{{ t.x }}" y="{{ t.y }}">{{ t.text }}</text>{% endif %}
{% endfor %}
</{{ tag }}>
{%- for t in n.labels if t.kind == "target" %}<text class="target" x="{{ t.x }}" y="{{ t.y }}">{{ t.text }}</text>{% endfor %}
{%- endfor %}"""
)
EDGES = ENV.from_string(
    """{%- for e in d.edges if e.href or e.lines %}{% if not e.lines %}{{ edge_link(e) }}{% else %}
{% if e.href %}<a id="link-{{ e.id }}" class="edge-link{% if e.focus %} focus{% endif %}" href="{{ e.href }}" data-hx-get="{{ e.href }}" aria-label="{{ e.name }}"{% if e.focus %} aria-current="true"{% endif %}>{% else %}<g class="edge-link">{% endif %}
<line class="hit" x1="{{ e.x1 }}" y1="{{ e.y1 }}" x2="{{ e.x2 }}" y2="{{ e.y2 }}"/>
{%- if e.lines %}<g id="lbl-{{ e.id }}" class="elabel{% if e.focus %} focus{% endif %}"><rect class="halo" x="{{ e.halo[0] }}" y="{{ e.halo[1] }}" width="{{ (e.halo[2] - e.halo[0])|round(1) }}" height="{{ (e.halo[3] - e.halo[1])|round(1) }}" rx="4"/>
{% for t in e.lines %}
{% if t.kind == "g" %}{% set new = dir == 'backward' and e.l in last.layers %}<text id="grad-{{ e.id }}{% if new %}-v{{ v }}{% endif %}" class="g{% if new %} fresh{% endif %}" x="{{ t.x }}" y="{{ t.y }}">{{ t.text }}</text>
{% else %}<text class="{{ t.kind }}" x="{{ t.x }}" y="{{ t.y }}">{{ t.text }}</text>
{% endif %}{% endfor %}</g>{% endif %}
{% if e.href %}</a>{% else %}</g>{% endif %}{% endif %}
{%- endfor %}"""
)
PULSES = ENV.from_string(
    """{%- for p in d.pulses %}<path class="pulse" d="M{{ p.x1 }} {{ p.y1 }} {{ p.x2 }} {{ p.y2 }}" pathLength="100" style="animation-delay:{{ p.delay }}s"/>{% endfor -%}"""
)


def drawn(preset: str, moves: int, focus: tuple, last: dict, narrow=False, links=True):
    net = engine.create_network({"preset": preset})
    for _ in range(moves):
        getattr(net, net.next_action)()
    model = NetworkModel(net)
    link = (lambda key: f"?focus={key}&digits=4") if links else None
    ctx = diagram.Context(
        focus=focus,
        link=link,
        fresh=tuple(last.get("layers", ())),
        direction=last.get("direction", ""),
        narrow=narrow,
    )
    return model, diagram.build(model, ctx)


def both(d, last, v, thumbs, rule):
    """(Python's, the template's) markup of the neurons, labelled edges and pulses."""
    context = {"d": d, "last": last, "v": v, "thumbs": thumbs, "practice_rule": rule}
    context["dir"] = last.get("direction", jinja2.Undefined()) if last else jinja2.Undefined()
    ours = (
        str(neuron_marks(d, last, v, context["dir"], thumbs, rule)),
        str(edge_label_links(d, last, v, context["dir"], edge_link)),
        str(pulse_paths(d.pulses)),
    )
    theirs = (NEURONS.render(context), EDGES.render(context), PULSES.render(context))
    return ours, theirs


LASTS = [
    {},
    {"direction": "forward", "layers": [1]},
    {"direction": "forward", "layers": [1, 2]},
    {"direction": "backward", "layers": [2, 1]},
    {"direction": "update", "layers": []},
]


@pytest.mark.parametrize("preset", ["worked-example", "seed-xor", "circle-tanh", "gauss-softmax"])
@pytest.mark.parametrize("moves", [0, 1, 3, 5, 9])
@pytest.mark.parametrize("focus", [("n", 1, 1), ("e", 1, 1, 2), ("n", 0, 1)])
@pytest.mark.parametrize("last", LASTS)
def test_the_marks_are_the_templates_markup(preset, moves, focus, last):
    model, d = drawn(preset, moves, focus, last)
    ours, theirs = both(d, last, model.version, {}, None)
    assert ours == theirs
    assert ours[0].count("<title>") == len(d.neurons)


@pytest.mark.parametrize("preset", ["worked-example", "circle-tanh"])
def test_practice_blanks_thumbnails_a_phone_and_no_links(preset):
    for moves in (0, 2):
        for narrow, links in ((True, True), (False, False)):
            model, d = drawn(preset, moves, ("n", 1, 1), LASTS[1], narrow, links)
            rule = hiding(model, True)
            thumbs = {n.id: f"data:image/png;base64,AAA{n.j}=" for n in d.neurons[1:]}
            ours, theirs = both(d, LASTS[1], model.version, thumbs, rule)
            assert ours == theirs
            assert ('class="thumb"' in ours[0]) and (("<a " in ours[0]) == links)
        if moves == 0:  # nothing computed: every circle past the input is a blank
            assert 'class="main blank"' in ours[0]


def test_text_that_needs_escaping_is_escaped_as_the_template_did():
    model, d = drawn("worked-example", 4, ("e", 2, 1, 1), LASTS[3])
    n, e = d.neurons[2], next(e for e in d.edges if e.lines)
    n.href, n.title, n.main = '?focus=n&x="1"', "a <b> & 'c'", "<1>"
    n.labels[0].text = 'z "&"'
    e.href, e.name, e.lines[0].text = "?f=<e>", 'w "1" & <2>', "<&>"
    thumbs = {n.id: 'data:x,"<>"'}
    ours, theirs = both(d, LASTS[3], model.version, thumbs, None)
    assert ours == theirs
    assert "&lt;b&gt; &amp; &#39;c&#39;" in ours[0] and "&lt;&amp;&gt;" in ours[1]
