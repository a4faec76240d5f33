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
