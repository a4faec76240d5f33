"""Browser fixtures: Debian's Chromium driven by Playwright (never a downloaded browser).
Without /usr/bin/chromium the browser tests skip, unless BACKPROP_LAB_REQUIRE_BROWSER=1,
in which case they fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.tools import ARGS, CHROMIUM


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("BACKPROP_LAB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and BACKPROP_LAB_REQUIRE_BROWSER=1")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("BACKPROP_LAB_ARTIFACTS", "artifacts/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
