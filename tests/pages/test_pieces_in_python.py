# ruff: noqa: E501 (the macro text as it was, one element a line)
"""The pieces of markup the lab page's templates take from app/views/pieces.py (`term`,
`hidden`) are what the macros of the same names that templates/_macros.html had write, for the
app's pages (symbols explained) and the documents (written plainly), over views with
every option and text that needs escaping."""

from __future__ import annotations

from dataclasses import replace

import pytest
from jinja2 import Environment, FileSystemLoader

import engine
from app.resources import TEMPLATES
from app.views.display import Display
from app.views.glossary import TERMS
from app.views.lab import controls
from app.views.model import NetworkModel
from app.views.pieces import FLAGS, hidden, step_button, term
from app.views.viewstate import ViewState


def env(explain: bool) -> Environment:
    e = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    e.globals.update(glossary=TERMS, explain_terms=explain, python_term=term)
    return e


# the macros templates/_macros.html had
TERM = """{% macro term_macro(key, text=None) -%}
{% if explain_terms %}<button type="button" class="term" data-term="{{ key }}" aria-describedby="term-{{ key }}">{{ text or glossary[key].symbol }}</button>
{%- else %}{{ text or glossary[key].symbol }}{% endif %}
{%- endmacro %}"""
HIDDEN = """{% macro hidden(view) -%}
<input type="hidden" name="focus" value="{{ view.focus|join('-') if view.focus else '' }}">
<input type="hidden" name="sample" value="{{ view.sample_param }}">
<input type="hidden" name="digits" value="{{ view.digits }}">
{%- if view.mode != "step" %}<input type="hidden" name="mode" value="{{ view.mode }}">{% endif %}
{%- if view.log %}<input type="hidden" name="log" value="1">{% endif %}
{%- if view.thumbs %}<input type="hidden" name="thumbs" value="1">{% endif %}
{%- if view.discrete %}<input type="hidden" name="discrete" value="1">{% endif %}
{%- if view.present %}<input type="hidden" name="present" value="1">{% endif %}
{%- if view.practice %}<input type="hidden" name="practice" value="1">{% endif %}
{%- endmacro %}"""


@pytest.mark.parametrize("explain", [True, False])
def test_a_term_is_the_macros_markup(explain):
    page = env(explain).from_string(
        TERM + "{% set macro = term_macro %}"
        "{% for key, text in terms %}[{{ macro(key, text) }}|{{ python_term(key, text) }}]"
        "{% endfor %}"
    )
    terms = [(key, None) for key in TERMS] + [("w", "w"), ("x", 'x <"1"> & y'), ("L", "")]
    out = page.render(terms=terms)
    pairs = [p.split("|") for p in out.strip("[]").split("][")]
    assert len(pairs) == len(terms)
    for macro, ours in pairs:
        assert macro == ours
    assert ('class="term"' in out) == explain and "x &lt;&#34;1&#34;&gt; &amp; y" in out


VIEWS = [
    ViewState(),
    ViewState(focus=("n", 2, 1), sample=3, digits=6),
    ViewState(focus=("e", 1, 2, 1), mode="train", display=Display(1.6, True)),
    *(replace(ViewState(), **{flag: True}) for flag in FLAGS),
    ViewState(sample=2, follow=True, log=True, thumbs=True, present=True, practice=True),
]


@pytest.mark.parametrize("view", VIEWS)
def test_the_hidden_inputs_are_the_macros_markup(view):
    page = env(True).from_string(HIDDEN + "{{ hidden(view) }}")
    assert str(hidden(view)) == page.render(view=view)
    assert str(hidden(view)).count('type="hidden"') >= 3


# the step button macro templates/_controls.html had
STEPBTN = """{% macro stepbtn(action, label, key, cls="") -%}
{% set c = controls[action] %}
<button id="btn-{{ action }}" class="{{ cls }}" formaction="{{ base }}/{{ action }}" data-hx-post="{{ base }}/{{ action }}"{% if key %} aria-keyshortcuts="{{ key }}"{% endif %}{% if not c.enabled %} disabled title="{{ c.why }}"{% elif c.title %} title="{{ c.title }}"{% endif %}>{{ label }}{% if key %} <kbd>{{ key }}</kbd>{% endif %}</button>
{%- endmacro %}{{ stepbtn(action, label, key, cls) }}"""
BUTTONS = [
    ("forward", "Forward", "f", "primary fwd"),
    ("backward-all", "Backward all", "", ""),
    ("step", "Step", "s", ""),
    ("undo", "Undo", "z", ""),
    ("reset", "Reset", "", ""),
]


@pytest.mark.parametrize("moves", [0, 1, 3])
@pytest.mark.parametrize("playing", [False, True])
@pytest.mark.parametrize("base", ["/n/abc", '/w/"<x>"&y'])
def test_a_step_button_is_the_macros_markup(moves, playing, base):
    net = engine.create_network({"preset": "worked-example"})
    for _ in range(moves):
        getattr(net, net.next_action)()
    shown = controls(NetworkModel(net, undo_levels=moves), "Ready.", playing)
    macro = env(True).from_string(STEPBTN)
    for action, label, key, cls in BUTTONS:
        expected = macro.render(
            controls=shown, base=base, action=action, label=label, key=key, cls=cls
        )
        assert str(step_button(base, shown, action, label, key, cls)) == expected
        assert ("disabled" in expected) == (not shown[action]["enabled"])
