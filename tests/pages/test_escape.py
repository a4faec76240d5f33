"""The markup written in Python escapes exactly as Jinja's autoescape (markupsafe) does:
app/views/pieces.py: esc, which skips making a Markup when there is nothing to escape."""

from __future__ import annotations

import pytest
from markupsafe import Markup, escape

from app.views.pieces import esc

VALUES = [
    "",
    "0.1234",
    "−0.5000",
    "4.625×10⁻⁵",
    "?focus=e-1-2-1&sample=3",
    'say "hi"',
    "it's",
    "<script>alert(1)</script>",
    "a & b > c < d",
    Markup("<b>kept</b> &amp; as it is"),  # markup is not escaped again
    Markup("plain"),
    None,
    4,
    0.5,
    True,
]


@pytest.mark.parametrize("value", VALUES)
def test_escapes_as_markupsafe(value):
    assert esc(value) == str(escape(value))
    assert type(esc(value)) is str


def test_escapes_by_hand():
    assert esc('<a href="x">&\'</a>') == "&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;"
    assert esc("e-1-2-1") == "e-1-2-1"
