"""The lab page's first load, counted by Chromium itself (bench/first_load.py): under
150 KB transferred with its fonts, and every request that blocks the first paint asked for
by the page's own HTML (so that all of them go out together, one round trip after it)."""

from __future__ import annotations

import httpx
import pytest

from bench.first_load import LIMIT_BYTES, first_load


@pytest.mark.parametrize("preset", ["worked-example", "circle-tanh"])
@pytest.mark.parametrize("screen", [(390, 844), (1920, 1080)])
def test_the_first_load_is_small_and_paints_after_one_round_trip(
    browser, server_url, preset, screen
):
    nid = httpx.post(f"{server_url}/api/networks", json={"preset": preset}).json()["id"]
    load = first_load(browser, f"{server_url}/n/{nid}", *screen)
    kinds = {r.kind for r in load.done}
    assert {"Document", "Stylesheet", "Script", "Font"} <= kinds, kinds  # all counted
    assert load.bytes_of("Font") > 20_000  # the math font is part of the count
    assert load.total < LIMIT_BYTES, sorted((r.transferred, r.url) for r in load.done)
    assert load.blocking, "no stylesheet blocked the first paint: the check saw nothing"
    assert load.late_blocking() == []
    assert load.paint_ms is not None
