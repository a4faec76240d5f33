"""The share panel's QR code: the SVG the page embeds, drawn module by module from its own
path (not from segno's matrix), decodes with zxing-cpp to the exact link; a damaged
drawing of it decodes to nothing (the check can fail)."""

from __future__ import annotations

import re

import jinja2
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from app.views.qr import MODULE_PX, QUIET_ZONE, qr_svg
from tests.support.htmldom import parse

URL = "http://127.0.0.1:8000/w/q7Wc9xZ2kLmN4pRt6vYb8dFh"
TOKEN = re.compile(r"([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?")


def modules(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """The code's side in modules and its dark modules (column, row), read from the SVG:
    segno draws each row's dark runs as horizontal strokes one module thick."""
    side = int(re.search(r'<path fill="#fff" d="M0 0h(\d+)v', svg).group(1))
    path = re.search(r'stroke="#000" d="([^"]+)"', svg).group(1)
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for op, a, b in TOKEN.findall(path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            run = float(a)
            dark.update((int(c), int(y)) for c in range(int(x), int(x + run)))
            x += run
    return side, dark


def picture(side: int, dark: set[tuple[int, int]], px: int = 6) -> Image.Image:
    image = Image.new("L", (side * px, side * px), 255)
    draw = ImageDraw.Draw(image)
    for c, r in dark:
        draw.rectangle((c * px, r * px, c * px + px - 1, r * px + px - 1), fill=0)
    return image


def test_the_svg_decodes_to_the_link():
    svg = qr_svg(URL)
    side, dark = modules(svg)
    found = zxingcpp.read_barcodes(picture(side, dark))
    assert [r.text for r in found] == [URL]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode


def test_the_svg_is_an_image_with_a_title_a_quiet_zone_and_a_white_ground():
    svg = qr_svg(URL, title="QR code: the <watch> link")
    doc = parse(f"<div>{svg}</div>")
    root = doc.find("svg")
    assert root.attrs["role"] == "img" and root.attrs["class"] == "qr"
    assert root.find("title").text() == "QR code: the <watch> link"  # escaped, then read back
    assert "<watch>" not in svg
    side, dark = modules(svg)
    assert root.attrs["viewbox"] == f"0 0 {side * MODULE_PX} {side * MODULE_PX}"
    assert "width" not in root.attrs  # the page's CSS sizes it
    assert '<path fill="#fff"' in svg  # an opaque ground: readable on a dark page too
    ring = {(c, r) for c in range(side) for r in range(side)}
    inner = {(c, r) for c, r in ring if min(c, r) >= QUIET_ZONE and max(c, r) < side - QUIET_ZONE}
    assert dark and dark <= inner  # nothing dark in the quiet zone


@pytest.mark.parametrize("damage", ["blank", "centre"])
def test_a_damaged_code_does_not_decode(damage):
    side, dark = modules(qr_svg(URL))
    image = picture(side, set() if damage == "blank" else dark)
    if damage == "centre":
        w = image.width
        ImageDraw.Draw(image).rectangle((w // 4, w // 4, 3 * w // 4, 3 * w // 4), fill=255)
    assert zxingcpp.read_barcodes(image) == []


def test_each_link_gets_its_own_code():
    other = URL[:-1] + "X"
    assert modules(qr_svg(URL))[1] != modules(qr_svg(other))[1]


def test_the_share_panel_encodes_its_code_only_when_it_is_written(monkeypatch):
    """A step click's answer leaves the share panel as it is: its context holds the code
    unencoded, and writing it gives exactly qr_svg's SVG."""
    from app.views import qr, share

    encoded: list[str] = []
    real = qr.qr_svg

    def counting(url, title="QR code of the watch link"):
        encoded.append(url)
        return real(url, title)

    monkeypatch.setattr(qr, "qr_svg", counting)
    context = share.share_context(
        "http://127.0.0.1:8000/", "q7Wc9xZ2kLmN4pRt6vYb8dFh", "", False, 80
    )
    assert encoded == []
    env = jinja2.Environment(autoescape=True)
    written = env.from_string("{{ s.qr }}").render(s=context)
    assert encoded == [URL]
    assert written == str(real(URL, "QR code of the watch link"))
