"""The share panel's context: the watch link as an absolute URL of the server the page was
asked from, its QR code (encoded when a template writes it), the network's title, and
whether the page is the watch page (which names the watch id only, never the edit id)."""

from __future__ import annotations

from app.views.qr import QRCode


def watch_url(base_url: str, watch_id: str) -> str:
    """The watch page's address on the server at `base_url` (as the request reached it)."""
    return f"{base_url.rstrip('/')}/w/{watch_id}"


def share_context(base_url: str, watch_id: str, title: str, watching: bool, max_title: int) -> dict:
    """`max_title`: the longest title the service takes (the title field's maxlength)."""
    url = watch_url(base_url, watch_id)
    return {
        "watching": watching,
        "watch_id": watch_id,
        "watch_url": url,
        "qr": QRCode(url, "QR code of the watch link"),
        "title": title,
        "max_title": max_title,
    }
