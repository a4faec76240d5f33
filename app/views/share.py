"""The share panel's context: the watch link as an absolute URL of the server the page was
asked from, its QR code, the network's title, and whether the page is the watch page (which
names the watch id only, never the edit id)."""

from __future__ import annotations

from app.service.sharing import MAX_TITLE
from app.service.snapshot import Snapshot
from app.views.qr import qr_svg


def watch_url(base_url: str, watch_id: str) -> str:
    """The watch page's address on the server at `base_url` (as the request reached it)."""
    return f"{base_url.rstrip('/')}/w/{watch_id}"


def share_context(base_url: str, snap: Snapshot) -> dict:
    url = watch_url(base_url, snap.watch_id)
    return {
        "watching": snap.watching,
        "watch_id": snap.watch_id,
        "watch_url": url,
        "qr": qr_svg(url, "QR code of the watch link"),
        "title": snap.title,
        "max_title": MAX_TITLE,
    }
