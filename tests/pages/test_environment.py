"""The templates' environment (app/views/environment.py) looks `x.name` up as Jinja does:
the same text, the same Undefined, the same errors, for plain dicts (whose keys may be
the names of dict's methods), dict subclasses, objects and everything else."""

from __future__ import annotations

import collections
import types

import jinja2
import pytest

from app.main import create_app
from app.resources import templates
from app.settings import Settings
from app.views.environment import LabEnvironment


class Keyed(dict):
    """A dict subclass with an attribute of its own."""

    title = "attribute"


VALUES = [
    {"name": "item", "items": "shadowed", "keys": 3},
    {"other": 1},
    {},
    Keyed(name="item", title="item"),
    collections.OrderedDict(name="ordered"),
    types.SimpleNamespace(name="attribute", items="attr"),
    [1, 2],
    "text",
    None,
    {"name": {"name": "inner"}},
    {"name": None},
    {1: "int key"},
]
SOURCES = [
    "{{ x.name }}",
    "{{ x.items }}",
    "{{ x.keys }}",
    "{{ x.title }}",
    "{{ x.get }}",
    "{{ x.name.name }}",
    "{{ x.missing }}",
    "{{ x.missing is defined }}",
    "{{ x.name is defined }}",
    "{{ x.__class__.__name__ }}",
    "{% if x.name %}yes{% else %}no{% endif %}",
    "{{ x.missing.deeper }}",
]


def outcome(env: jinja2.Environment, source: str, x) -> str:
    try:
        text = env.from_string(source).render(x=x)
    except jinja2.UndefinedError as e:
        return f"UndefinedError: {e}"
    # a bound method's text names its address, the same object either way
    return text


@pytest.mark.parametrize("undefined", [jinja2.Undefined, jinja2.StrictUndefined])
@pytest.mark.parametrize("source", SOURCES)
def test_lookups_match_jinjas_own(source, undefined):
    plain = jinja2.Environment(autoescape=True, undefined=undefined)
    ours = LabEnvironment(autoescape=True, undefined=undefined)
    for x in VALUES:
        assert outcome(ours, source, x) == outcome(plain, source, x), (source, x)


def test_a_dict_method_name_stays_the_method():
    env = LabEnvironment()
    x = {"items": "shadowed"}
    assert env.getattr(x, "items") == x.items  # the bound method, as Jinja gives it
    assert env.getattr(x, "name") is not None and not env.getattr(x, "name")  # Undefined


def test_the_pages_and_the_documents_render_in_it(tmp_path):
    app = create_app(Settings(db=str(tmp_path / "e.db")))
    assert type(app.state.templates.env) is LabEnvironment
    assert type(templates()) is LabEnvironment
    # the pages' autoescaping is as before: on for the templates, and for strings
    env = app.state.templates.env
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    assert env.get_template("_status.html").environment is env
