"""The small pieces of markup every part of the lab page repeats, written in Python for
speed: a symbol that explains itself (`term`), the view's hidden inputs (`hidden`) and
the step buttons (`step_button`). They are what the macros they replaced wrote, byte for
byte (the first two are still in templates/_macros.html for the other pages; tests/pages/
test_pieces_in_python.py); the lab's own partials call these (a macro call and each
template's import of the macros cost more than the markup)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import pass_context
from markupsafe import Markup, escape

from app.views.glossary import TERMS

FLAGS = ("log", "thumbs", "discrete", "present", "practice")  # the view's on/off choices


def esc(value) -> str:
    """str(markupsafe.escape(value)), for markup written with f-strings: a plain text with
    nothing to escape (most of the page's numbers, ids and names) comes back as it is,
    without a Markup made of it (a thousand of them on a large network's click)."""
    if type(value) is str and not (
        "&" in value or "<" in value or ">" in value or '"' in value or "'" in value
    ):
        return value
    return str(escape(value))


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


def hidden(view) -> Markup:
    """The view's hidden inputs, so that a form's answer shows the same view (remembered
    by the view, a frozen dataclass)."""
    try:
        return view_inputs(view)
    except TypeError:  # a view that cannot be a key (none of the app's)
        return view_inputs.__wrapped__(view)


@lru_cache(maxsize=1024)
def view_inputs(view) -> Markup:
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


def step_button(base: str, controls: dict, action: str, label: str, key: str, cls="") -> Markup:
    """A step button of the controls (app/views/lab.py: controls): enabled, or disabled
    with why not; its keyboard shortcut shown and announced."""
    c = controls[action]
    url = f"{esc(base)}/{esc(action)}"
    keys = f' aria-keyshortcuts="{esc(key)}"' if key else ""
    if not c["enabled"]:
        keys += f' disabled title="{esc(c["why"])}"'
    elif c.get("title"):
        keys += f' title="{esc(c["title"])}"'
    kbd = f" <kbd>{esc(key)}</kbd>" if key else ""
    return Markup(
        f'\n<button id="btn-{esc(action)}" class="{esc(cls)}" formaction="{url}" '
        f'data-hx-post="{url}"{keys}>{esc(label)}{kbd}</button>'
    )


GLOBALS = {"term": term, "hidden": hidden, "step_button": step_button}
