"""Where the app's templates and static files are: inside the installed package, found
through importlib.resources (never through the working directory). In the repository
app/templates and app/static are symlinks to the top-level folders of the same names, so
a wheel, an sdist and an editable install all carry the same files.

`templates()` is a plain Jinja2 environment over them, for what renders the lab's partials
without a web request: the printable handout and the notebook display."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import jinja2

PACKAGE = files("app")
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
MATH_FONT = "vendor/fonts/STIXTwoMath-Regular-subset.woff2"  # under STATIC, as lab.css has it


def static_bytes(path: str) -> bytes:
    """A static file's bytes, by its path under static/ (as in /static/<path>)."""
    return STATIC.joinpath(*path.split("/")).read_bytes()


def static_text(path: str) -> str:
    return static_bytes(path).decode("utf-8")


@cache
def templates() -> jinja2.Environment:
    """The templates folder as the pages see it (autoescaped), without the web layer: the
    symbols are written plainly (no buttons explaining them: no page script here)."""
    from app.views import cells, svg
    from app.views.environment import environment
    from app.views.glossary import TERMS

    env = environment(
        TEMPLATES,
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
    env.globals.update(glossary=TERMS, explain_terms=False, **cells.GLOBALS, **svg.GLOBALS)
    return env
