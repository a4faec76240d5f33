"""A QR code of a link as inline SVG (segno), for the share panel's watch link.

segno writes the standard's encoder (versions, masks, error correction) so that we need not:
a phone's camera reads what it makes. The code is black on an opaque white ground with the
standard's quiet zone of 4 modules, so that it stays readable on any background; its
<title> names it, and the page shows the link as text beside it. A link is encoded once
and the SVG kept (a page of one network asks for the same code on every change)."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup

MODULE_PX = 4  # one module's side in viewBox units
QUIET_ZONE = 4  # modules of white around the code (the standard's minimum)


@lru_cache(maxsize=512)
def qr_svg(url: str, title: str = "QR code of the watch link") -> Markup:
    """The QR code of `url` (error correction M) as an <svg> element, ready for a template."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(
        scale=MODULE_PX,
        border=QUIET_ZONE,
        dark="#000",
        light="#fff",
        svgclass="qr",
        title=title,
        omitsize=True,  # a viewBox instead of a fixed size: the page's CSS sizes it
    )
    # an image named by its <title> (segno escapes the title)
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))
