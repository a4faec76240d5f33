# ruff: noqa: E501 (the template text as it was, one element a line)
"""The markup written in Python for speed (app/views/cells.py, app/views/svg.py) is the
markup the templates wrote before: each is checked against the template text it replaced,
rendered by Jinja with autoescaping, for ordinary values and for text that needs escaping."""

from __future__ import annotations

import jinja2
import pytest

import engine
from app.views import diagram
from app.views.cells import shown
from app.views.model import NetworkModel
from app.views.svg import edge_link, edge_paths

ENV = jinja2.Environment(autoescape=True)

# the `value` macro of templates/_macros.html for a cell that is not being edited
VALUE = ENV.from_string(
    """{%- if c.key and not net.watching -%}
<button class="val{% if c.neg %} neg{% endif %}" form="view-form" name="edit" value="{{ c.key }}" aria-label="{{ c.text }}: edit {{ label }}">{{ c.text }}</button>
{%- else -%}
{%- if c.blank %}<span class="blank" title="Practice: the next click computes it">?</span>{% else %}<span class="{% if c.neg %}neg{% endif %}">{{ c.text or "·" }}</span>{% endif %}
{%- endif %}"""
)

# the loops of templates/_diagram.html that svg.py replaced
PATHS = ENV.from_string(
    """{%- for e in edges %}
<path id="{{ e.id }}"{% if e.focus %} class="focus"{% endif %} d="M{{ e.x1 }} {{ e.y1 }} {{ e.x2 }} {{ e.y2 }}" style="stroke-width:{{ e.width }}px;stroke:{{ e.colour }}"/>
{%- endfor %}"""
)
LINK = ENV.from_string(
    """
{% if e.href %}<a id="link-{{ e.id }}" class="edge-link{% if e.focus %} focus{% endif %}" href="{{ e.href }}" data-hx-get="{{ e.href }}" aria-label="{{ e.name }}"{% if e.focus %} aria-current="true"{% endif %}>{% else %}<g class="edge-link">{% endif %}
<line class="hit" x1="{{ e.x1 }}" y1="{{ e.y1 }}" x2="{{ e.x2 }}" y2="{{ e.y2 }}"/>
{% if e.href %}</a>{% else %}</g>{% endif %}"""
)

CELLS = [
    {"text": "0.5000", "exact": "0.5", "key": "w-1-1-1", "neg": False},
    {"text": "−0.2500", "exact": "-0.25", "key": "b-1-2", "neg": True},
    {"text": "0.1000", "exact": "0.1", "key": None, "neg": False},
    {"text": "−1.0000", "exact": "-1.0", "key": None, "neg": True},
    {"text": "", "exact": "", "key": None, "neg": False},
    {"text": "<b>\"&'</b>", "exact": "", "key": 'x-1-"1"', "neg": False},
    {"text": "", "exact": "", "key": None, "neg": False, "blank": True},
    {"text": "0.5000", "exact": "0.5", "key": "w-1-1-1", "neg": False, "blank": True},
]


@pytest.mark.parametrize("c", CELLS)
@pytest.mark.parametrize("label", ["weight w1 11", "input x1", 'a <"label"> & more'])
@pytest.mark.parametrize("watching", [False, True])
def test_a_cell_is_the_macros_markup(c, label, watching):
    net = {"watching": watching}
    assert str(shown(c, label, watching)) == VALUE.render(c=c, label=label, net=net)


def drawn(preset: str, focus: tuple) -> diagram.Diagram:
    net = engine.create_network({"preset": preset})
    net.forward(all=True)
    ctx = diagram.Context(focus=focus, link=lambda key: f"?focus={key}&digits=4")
    return diagram.build(NetworkModel(net), ctx)


@pytest.mark.parametrize("preset", ["worked-example", "circle-tanh", "gauss-softmax"])
@pytest.mark.parametrize("focus", [("n", 1, 1), ("e", 1, 1, 1)])
def test_edges_are_the_templates_markup(preset, focus):
    d = drawn(preset, focus)
    assert any(e.focus for e in d.edges) == (focus[0] == "e")
    assert str(edge_paths(d.edges)) == PATHS.render(edges=d.edges)
    for e in d.edges:
        assert str(edge_link(e)) == LINK.render(e=e)


def test_edge_text_that_needs_escaping_is_escaped_as_the_template_did():
    e = drawn("worked-example", ("n", 1, 1)).edges[0]
    e.href, e.name, e.colour = '?focus=e-1-1-1&x="1"', 'w <1> & "2"', "rgb(1,2,3)"
    assert str(edge_link(e)) == LINK.render(e=e)
    assert "&amp;x=&#34;1&#34;" in str(edge_link(e))
    e.href = ""
    assert str(edge_link(e)) == LINK.render(e=e)
    assert str(edge_paths([e])) == PATHS.render(edges=[e])


@pytest.mark.parametrize("preset", ["worked-example", "gauss-softmax", "circle-tanh"])
@pytest.mark.parametrize("moves", [0, 2, 5, 9])
@pytest.mark.parametrize(("practice", "watching"), [(False, False), (True, False), (True, True)])
def test_table_rows_are_the_templates_rows(preset, moves, practice, watching):
    """The table as the page draws it (rows in Python) and as the template's own loop
    draws them (taken while an editor is open: here one for the learning rate, which is
    in no table row)."""
    from dataclasses import replace

    from app.resources import templates
    from app.views.practice import hiding, mark_blanks
    from app.views.tables import tables
    from app.views.viewstate import ViewState

    net = engine.create_network({"preset": preset})
    for _ in range(moves):
        getattr(net, net.next_action)()
    model, view = NetworkModel(net, watching=watching), ViewState(sample=0, digits=3)
    table = templates().get_template("_table.html")

    def drawn(v):
        shown = tables(model, v)
        mark_blanks(shown, hiding(model, practice))
        context = {"tables": shown, "view": v, "net": model, "samples": model.m}
        return table.render(context, edit_error={})

    rows = drawn(view)
    assert rows == drawn(replace(view, edit="lr"))
    assert rows.count("<tr>") > 4 and ('<button class="val' in rows) == (not watching)
    blanks = 'class="blank"' in rows or 'class="g blank"' in rows
    assert not blanks if not practice else blanks or moves > 0  # fresh: z and a to come
