"""A QR code of a link as inline SVG (segno), for the share panel's watch link.

segno writes the standard's encoder (versions, masks, error correction) so that we need not:
a phone's camera reads what it makes. The code is black on an opaque white ground with the
standard's quiet zone of 4 modules, so that it stays readable on any background; its
<title> names it, and the page shows the link as text beside it. A link is encoded once
and the SVG kept (a page of one network asks for the same code on every change), and only
when a template writes it (`QRCode`): a step click's answer, which leaves the share panel
as it is, never encodes one (segno takes about as long to encode a link as the whole click
takes to answer)."""

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


class QRCode:
    """The QR code of `url` as the templates write it (`{{ share.qr }}`): encoded by
    `qr_svg` when it is written, not when the share panel's context is made."""

    __slots__ = ("title", "url")

    def __init__(self, url: str, title: str) -> None:
        self.url, self.title = url, title

    def __html__(self) -> str:
        return qr_svg(self.url, self.title)

    __str__ = __html__
