"""The lab's stylesheet for HTML shown inside a notebook: lab.css (and notebook.css) with
every rule scoped to the output's wrapper (`.bpl`), so that nothing leaks into the rest of
the notebook, and only the rules whose classes the output uses. The math font is inlined
as a data: URL when asked (74 KB), else left to the browser's own math font."""

from __future__ import annotations

import base64
import re
from functools import cache

from app.resources import MATH_FONT, static_bytes, static_text

SCOPE = ".bpl"
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
CLASS = re.compile(r"\.([A-Za-z_][\w-]*)")


def rules(css: str) -> list[tuple[str, str]]:
    """The top-level (prelude, body) pairs of a stylesheet, bodies with their own braces."""
    css, out, depth, start, prelude = COMMENT.sub("", css), [], 0, 0, ""
    for i, c in enumerate(css):
        if c == "{":
            if depth == 0:
                prelude, start = css[start:i].strip(), i + 1
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                out.append((prelude, css[start:i].strip()))
                start = i + 1
    return out


def selector(sel: str, used: set[str]) -> str | None:
    """`sel` under the wrapper, or None when it styles what the output does not have."""
    sel = sel.strip()
    if sel.startswith("html") or not set(CLASS.findall(sel)) <= used:
        return None  # the page's own preferences (motion) or classes not in the output
    if sel in (":root", "body"):
        return SCOPE
    if sel == SCOPE or sel.startswith(SCOPE + " "):
        return sel  # notebook.css, written for the wrapper
    return f"{SCOPE} {sel}"


def scoped(css: str, used: set[str]) -> str:
    out = []
    for prelude, body in rules(css):
        if prelude.startswith("@font-face"):
            continue  # added by `stylesheet` when the font is inlined
        if prelude.startswith("@keyframes"):
            out.append(f"{prelude} {{ {body} }}")
        elif prelude.startswith("@"):
            inner = scoped(body, used)
            if inner:
                out.append(f"{prelude} {{ {inner} }}")
        else:
            kept = [s for s in (selector(p, used) for p in prelude.split(",")) if s]
            if kept:
                out.append(f"{', '.join(kept)} {{ {body} }}")
    return "\n".join(out)


@cache
def font_face() -> str:
    data = base64.b64encode(static_bytes(MATH_FONT)).decode("ascii")
    return (
        '@font-face { font-family: "STIX Two Math"; '
        f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}'
    )


def stylesheet(html: str, font: bool) -> str:
    """The CSS for one output: the rules of lab.css and notebook.css its classes use."""
    used = {c for attr in re.findall(r'class="([^"]*)"', html) for c in attr.split()}
    used.add("bpl")
    css = scoped(static_text("css/lab.css") + static_text("css/notebook.css"), used)
    return (font_face() + "\n" if font else "") + css
