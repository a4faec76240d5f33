"""The pictures in docs/screenshots/ (two of them are the README's): the worked example in
the middle of its backward pass, the training view, the edit page's share panel, the
watch page and the presenter view, on a phone (390×844), a laptop (1366×768) and a
projector (1920×1080), each at the normal and at the largest text size.

    python docs/screenshots.py [name …]

(the names: those of `pages` below; all of them when none is given)

starts the app on a free loopback port with a throwaway database and drives Debian's
Chromium (/usr/bin/chromium) through Playwright; open every picture after taking it. With
pngquant on the PATH (apt-get install pngquant) the pictures are quantised to about a
third of their size, with no visible difference."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from app.views.display import SCALES  # noqa: E402
from tests.support.browser_helpers import api_patch, api_post, create, new_page, settle  # noqa: E402
from tests.support.live_server import LiveServer  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZES = {"phone": (390, 844), "laptop": (1366, 768), "projector": (1920, 1080)}
TEXT = {"": 1.0, "-largest-text": SCALES[-1]}


def mid_backward(base: str) -> str:
    """The worked example after its forward pass and the first Backward (δ² and ∇W²)."""
    nid = create(base, {"preset": "worked-example"})
    api_post(base, nid, "forward", {"all": True})
    api_post(base, nid, "backward")
    return f"{base}/n/{nid}"


def training(base: str) -> str:
    """The circle preset after 300 iterations, in the training view."""
    nid = create(base, {"preset": "circle-tanh"})
    api_post(base, nid, "train", {"iterations": 300})
    return f"{base}/n/{nid}?mode=train"


def classroom(base: str) -> dict[str, str]:
    """A titled worked example after its forward pass: the edit page at its share panel,
    the watch page, and the presenter view."""
    nid = create(base, {"preset": "worked-example"})
    api_post(base, nid, "forward", {"all": True})
    state = api_patch(base, nid, {"title": "Lesson 3: the worked example"})
    return {
        "share-panel": f"{base}/n/{nid}#share",
        "watch-page": f"{base}/w/{state['watch_id']}",
        "presenter-view": f"{base}/n/{nid}?present=1&focus=n-2-1",
    }


def shoot(browser, url: str, size: tuple[int, int], scale: float, path: Path) -> None:
    context, page = new_page(browser, *size, scale=scale)
    page.goto(url)
    page.wait_for_selector(f'#diagram[data-scale="{float(scale)}"]')
    settle(page, 900)  # the entry animations end
    page.screenshot(path=str(path))
    context.close()
    if shutil.which("pngquant"):
        command = ["pngquant", "--quality=70-90", "--speed=1", "--strip", "--force"]
        subprocess.run([*command, "--output", str(path), str(path)], check=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, LiveServer(str(Path(tmp) / "shots.db")) as server:
        pages = {
            "worked-example-backward": mid_backward(server.url),
            "training-view": training(server.url),
            **classroom(server.url),
        }
        chosen = sys.argv[1:] or list(pages)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            for name, url in ((n, pages[n]) for n in chosen):
                for device, size in SIZES.items():
                    for suffix, scale in TEXT.items():
                        path = OUT / f"{name}-{device}{suffix}.png"
                        shoot(browser, url, size, scale, path)
                        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
            browser.close()


if __name__ == "__main__":
    main()
