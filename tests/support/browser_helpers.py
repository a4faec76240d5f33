"""Small helpers shared by the browser tests."""

from __future__ import annotations

import json
import urllib.request


def api_state(base: str, nid: str) -> dict:
    """The network's NetworkState, read through the JSON API (not through the page)."""
    with urllib.request.urlopen(f"{base}/api/networks/{nid}") as r:
        return json.load(r)


def open_preset(page, server_url: str, preset: str) -> str:
    """Open a preset from the start page's card; returns the new network's id."""
    page.goto(server_url + "/")
    page.locator(f"#preset-{preset} button").click()
    page.wait_for_url("**/n/*")
    return page.url.split("/n/")[1].split("?")[0]


def new_page(browser, width: int, height: int, scale: float = 1.0, touch: bool = False):
    """(context, page) at a viewport, with the text size A−/A+ would have set (the page's
    localStorage and the cookie the server lays the diagram out for)."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch
    )
    context.add_init_script(
        f"try {{ localStorage.setItem('bpl-scale', '{scale}') }} catch (e) {{}}"
    )
    return context, context.new_page()


def settle(page, ms: int = 250) -> None:
    """Wait for requests to finish and swaps (and their animations' start) to settle."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(ms)


def send(method: str, url: str, body: dict | None = None) -> dict:
    """A JSON request to the API (`body` as JSON); its JSON answer."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body or {}).encode(),
        headers={"Content-Type": "application/json"},
        method=method,
    )
    with urllib.request.urlopen(request) as r:
        return json.load(r)


def api_post(base: str, nid: str, action: str, body: dict | None = None) -> dict:
    """POST /api/networks/{nid}/{action}: a state reached without the page, to open it at."""
    return send("POST", f"{base}/api/networks/{nid}/{action}", body)


def api_patch(base: str, nid: str, body: dict) -> dict:
    """PATCH /api/networks/{nid}: an edit (or a title) made without the page."""
    return send("PATCH", f"{base}/api/networks/{nid}", body)


def create(base: str, body: dict) -> str:
    return send("POST", f"{base}/api/networks", body)["id"]


def rect(page, selector: str) -> dict:
    """The element's box on the screen (CSS px): x, y, width, height, top, right, bottom."""
    return page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width,"
        " height: r.height, top: r.top, right: r.right, bottom: r.bottom, left: r.left}; }"
    )
