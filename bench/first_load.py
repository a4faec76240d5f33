"""First-load benchmark: `python -m bench.first_load`.

Starts the real server on loopback, makes a network of each preset, and opens its lab page
in headless Chromium (Debian's, through Playwright) with an empty cache, as a first-time
visitor does, at 390×844, 1366×768 and 1920×1080. Chromium's own count of what each
request transferred (DevTools' Network.loadingFinished: encodedDataLength, headers
included) is summed over every request the page makes until the network is idle: the
document, the stylesheets, the scripts, the math font and any image.

It also says which requests blocked the first paint (the Resource Timing API's
renderBlockingStatus) and who asked for each: the document's own parser, so that all of
them are known once the page's HTML has arrived and go out together, one round trip after
it; a blocking request that another resource asked for (a stylesheet's @import, say)
would be a second round trip before anything is painted.

Target (the speed issue): the first load under 150 KB transferred, fonts included, and no
request blocking the first paint for more than one round trip.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.live_server import LiveServer
from tests.support.tools import ARGS, CHROMIUM

PRESETS = ("worked-example", "seed-xor", "circle-tanh", "gauss-softmax", "sine-regression")
SCREENS = ((390, 844), (1366, 768), (1920, 1080))
LIMIT_BYTES = 150_000
BLOCKING = """() => performance.getEntriesByType('resource')
    .filter(e => e.renderBlockingStatus === 'blocking').map(e => e.name)"""
PAINT = """() => {
    const p = performance.getEntriesByName('first-contentful-paint')[0];
    return p ? p.startTime : null;
}"""


@dataclass
class Request:
    url: str
    kind: str  # DevTools' resource type: Document, Stylesheet, Script, Font, Fetch …
    initiator: str  # who asked for it: "parser:<the document's URL>", "script:…", "other:"
    transferred: int | None = None  # bytes, headers included (None: still open)


@dataclass
class Load:
    """One first load of a page: every request it made, and the first paint."""

    url: str
    requests: dict[str, Request] = field(default_factory=dict)  # by DevTools' request id
    blocking: list[str] = field(default_factory=list)  # URLs that blocked the first paint
    paint_ms: float | None = None  # first contentful paint, from navigation start

    @property
    def done(self) -> list[Request]:
        """The requests that finished (an open event stream has not)."""
        return [r for r in self.requests.values() if r.transferred is not None]

    @property
    def total(self) -> int:
        return sum(r.transferred or 0 for r in self.done)

    def bytes_of(self, kind: str) -> int:
        return sum(r.transferred or 0 for r in self.done if r.kind == kind)

    def late_blocking(self) -> list[str]:
        """The blocking requests that the document's parser did not ask for itself."""
        parser = "parser:" + self.url
        asked = {r.url for r in self.requests.values() if r.initiator == parser}
        return [u for u in self.blocking if u not in asked]


def first_load(browser, url: str, width: int, height: int) -> Load:
    """Open `url` in a new, empty browser context (no cache) and count what it loads."""
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        load = Load(url)

        def sent(e: dict) -> None:
            who = e.get("initiator", {})
            initiator = f"{who.get('type', '')}:{who.get('url', '')}"
            url = e["request"]["url"]
            if not url.startswith("data:"):
                load.requests[e["requestId"]] = Request(url, e.get("type", ""), initiator)

        def finished(e: dict) -> None:
            request = load.requests.get(e["requestId"])
            if request is not None:
                request.transferred = int(e["encodedDataLength"])

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.loadingFinished", finished)
        page.goto(url, wait_until="networkidle")
        load.blocking = page.evaluate(BLOCKING)
        load.paint_ms = page.evaluate(PAINT)
        return load
    finally:
        context.close()


def short(url: str) -> str:
    return url.split("/", 3)[-1] if "://" in url else url


def main() -> None:
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory() as tmp,
        LiveServer(str(Path(tmp) / "f.db")) as srv,
        httpx.Client(base_url=srv.url, timeout=30) as http,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        ids = {
            name: http.post("/api/networks", json={"preset": name}).json()["id"] for name in PRESETS
        }
        print(
            f"server {srv.url}; each lab page opened with an empty cache, until the network is idle"
        )
        print(
            f"{'page':<34}{'screen':>11}{'total kB':>10}{'html':>8}{'css':>8}{'js':>8}"
            f"{'font':>8}{'requests':>10}{'blocking':>10}{'paint ms':>10}  verdict"
        )
        worst = None
        for name, nid in ids.items():
            for width, height in SCREENS:
                load = first_load(browser, f"{srv.url}/n/{nid}", width, height)
                ok = load.total < LIMIT_BYTES and not load.late_blocking()
                worst = load if worst is None or load.total > worst.total else worst
                print(
                    f"{'/n/… (' + name + ')':<34}{f'{width}x{height}':>11}"
                    f"{load.total / 1000:>10.1f}{load.bytes_of('Document') / 1000:>8.1f}"
                    f"{load.bytes_of('Stylesheet') / 1000:>8.1f}"
                    f"{load.bytes_of('Script') / 1000:>8.1f}{load.bytes_of('Font') / 1000:>8.1f}"
                    f"{len(load.done):>10d}{len(load.blocking):>10d}"
                    f"{load.paint_ms or float('nan'):>10.0f}  {'ok' if ok else 'MISSES TARGET'}"
                )
        browser.close()
        assert worst is not None
        print(f"\nthe largest first load, {short(worst.url)}: {worst.total:,} bytes")
        for r in sorted(worst.done, key=lambda r: -(r.transferred or 0)):
            mark = " (blocks the first paint)" if r.url in worst.blocking else ""
            who = r.initiator.split(":")[0]
            print(f"  {r.transferred:>8,}  {r.kind:<11}{short(r.url)}{mark}, asked by {who}")
        late = worst.late_blocking()
        print(
            f"target: under {LIMIT_BYTES // 1000} KB transferred, fonts included: "
            f"{'ok' if worst.total < LIMIT_BYTES else 'MISSES TARGET'}; requests blocking the "
            f"first paint asked for by anything but the document's parser (a second round "
            f"trip): {len(late)} {'ok' if not late else 'MISSES TARGET: ' + ', '.join(late)}"
        )


if __name__ == "__main__":
    main()
