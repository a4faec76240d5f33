"""How this reader's browser shows the pages: the text size (A− / A+) and whether the
screen is a phone's. Both are the browser's own choice, kept in cookies that static/js/lab.js
writes (never in the URL: a share link shows the same network at the receiver's text
size), so that the server can lay out the diagram's labels for the text size they will be
drawn at."""

from __future__ import annotations

from dataclasses import dataclass

SCALES = (0.85, 1.0, 1.15, 1.3, 1.45, 1.6)  # the text sizes A− and A+ step through
SCALE_COOKIE, NARROW_COOKIE = "bpl-scale", "bpl-narrow"
NARROW_MAX_PX = 640  # a viewport at most this wide gets the phone's drawing (lab.js)


@dataclass(frozen=True)
class Display:
    scale: float = 1.0
    narrow: bool = False


def nearest_scale(text) -> float:
    """The offered text size nearest to `text` (1 for anything that is not a number)."""
    try:
        value = float(str(text))
    except (TypeError, ValueError):
        return 1.0
    if value != value:  # nan
        return 1.0
    return min(SCALES, key=lambda s: abs(s - value))


def display_of(cookies) -> Display:
    """The display the browser's cookies ask for."""
    return Display(nearest_scale(cookies.get(SCALE_COOKIE, "1")), cookies.get(NARROW_COOKIE) == "1")
