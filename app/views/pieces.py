"""The small pieces of markup every part of the lab page repeats, written in Python for
speed: a symbol that explains itself (`term`) and the view's hidden inputs (`hidden`).
They are what the macros of the same names in templates/_macros.html write, byte for byte
(tests/pages/test_pieces_in_python.py); the page's own templates call these (a macro call
and each template's import of the macros cost more than the markup)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import pass_context
from markupsafe import Markup, escape

from app.views.glossary import TERMS

FLAGS = ("log", "thumbs", "discrete", "present", "practice")  # the view's on/off choices


@pass_context
def term(context, key: str, text=None) -> Markup:
    """The symbol (or `text`) as a button that explains it where the page's script does
    (the templates' `explain_terms`), else written plainly."""
    return term_markup(key, text, bool(context.resolve("explain_terms")))


@lru_cache(maxsize=1024)
def term_markup(key: str, text, explain: bool) -> Markup:
    shown = escape(text or TERMS[key].symbol)
    if not explain:
        return shown
    key = escape(key)
    return Markup(
        f'<button type="button" class="term" data-term="{key}" '
        f'aria-describedby="term-{key}">{shown}</button>'
    )


@lru_cache(maxsize=1024)
def hidden(view) -> Markup:
    """The view's hidden inputs, so that a form's answer shows the same view."""
    focus = escape("-".join(str(x) for x in view.focus)) if view.focus else ""
    out = [
        f'<input type="hidden" name="focus" value="{focus}">\n'
        f'<input type="hidden" name="sample" value="{escape(view.sample_param)}">\n'
        f'<input type="hidden" name="digits" value="{escape(view.digits)}">'
    ]
    if view.mode != "step":
        out.append(f'<input type="hidden" name="mode" value="{escape(view.mode)}">')
    out += [
        f'<input type="hidden" name="{flag}" value="1">' for flag in FLAGS if getattr(view, flag)
    ]
    return Markup("".join(out))


GLOBALS = {"term": term, "hidden": hidden}
