"""Training-view benchmark: `python -m bench.training`.

Starts the real server (one worker) on loopback and plays a 2-8-8-1 network on 200
`circle` samples the way the lab page's Play button does: POST /n/{id}/chunk with htmx's
headers, one request after another. For each speed (iterations per refresh) it measures
the server's CPU time per refresh (from /proc, so the client's own work is not counted),
the wall time per refresh, and the refreshes per second one client gets. In the same run
it measures GET /healthz the same way, as the floor of what any request costs: in between
the refreshes of each row (bench.service: against_floor), so that the floor goes through
the same minutes as the refreshes it divides.

Target (the training view issue): at least 5 refreshes a second, each covering at least
20 iterations, i.e. at most 200 ms of server CPU per refresh. Each speed is measured twice:
as the page plays (it sends the layout it shows, so a refresh of the same layout comes as
numbers: app/views/numbers.py) and with every refresh sent whole (no layout sent). Target
for the refresh of 20 iterations as the page plays: at most 6× GET /healthz.

Last, the fastest speed (a chunk that fills a time budget): iterations a second that Play
trains, as the player polls (a refresh every poll_ms(FASTEST), or back to back when one
takes longer), against the engine's own `train` on the same network in this process. Target:
at least half the engine's rate, at 8 or more refreshes a second. Then the server's
resident memory, after the page and after every refresh of the run: a process keeps one
version of a network (its latest), however long it plays.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import httpx

import engine
from app.service.recent import BYTES, ENTRIES
from app.views.training import FASTEST, poll_ms
from bench.procs import rss_bytes
from bench.service import FLOOR, FLOOR_EACH, against_floor, measure
from tests.support.live_server import LiveServer
from tests.support.networks import PLAYED as NET

REFRESHES = 40
HTMX = {"HX-Request": "true", "HX-Source": "form#player"}
LAYOUT = re.compile(r'data-play-layout="([^"]*)"')


class PageHolds:
    """What the page's static/js/play.js keeps between refreshes: the layout digest the
    diagram shows, and the digests of the partials the page holds as numbers refreshes
    sent them. Both go with the next refresh."""

    def __init__(self) -> None:
        self.layout = ""
        self.kept: dict[str, str] = {}

    def fields(self) -> dict[str, str]:
        kept = " ".join(f"{id_}:{digest}" for id_, digest in self.kept.items())
        return {"layout": self.layout, "kept": kept}

    def numbers(self, payload: dict) -> None:
        """A refresh answered as numbers: the partials it sent (or no longer holds)."""
        for id_, _, digest in payload["html"]:
            if digest:
                self.kept[id_] = digest
            else:
                self.kept.pop(id_, None)

    def markup(self, page: str) -> None:
        """Any other answer: a diagram it draws anew brings its layout, and the page holds
        none of a numbers refresh's partials any more."""
        found = LAYOUT.search(page)
        if found:
            self.layout = found.group(1)
        self.kept = {}


class Player:
    """POSTs the refreshes as the page's player does (static/js/play.js: PageHolds), one
    after another (`numbers=False`: neither layout nor partials sent, so every refresh is
    whole)."""

    def __init__(self, http: httpx.Client, nid: str, speed: int, numbers: bool = True) -> None:
        self.http, self.nid, self.speed, self.numbers = http, nid, speed, numbers
        self.counts, self.bytes = {"numbers": 0, "whole": 0}, 0
        self.holds = PageHolds()

    def __call__(self) -> httpx.Response:
        form = {"speed": str(self.speed), "mode": "train"}
        if self.numbers:
            form.update(self.holds.fields())
        r = self.http.post(f"/n/{self.nid}/chunk", data=form, headers=HTMX)
        self.bytes += int(r.headers.get("content-length") or len(r.content))
        if r.headers["content-type"].endswith("json"):
            self.counts["numbers"] += 1
            self.holds.numbers(r.json())
        else:
            self.counts["whole"] += 1
            self.holds.markup(r.text)
        return r

    def reset(self) -> None:
        self.counts, self.bytes = {"numbers": 0, "whole": 0}, 0


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        LiveServer(str(Path(tmp) / "b.db")) as srv,
        httpx.Client(base_url=srv.url, timeout=30) as http,
    ):
        pid = srv.process.pid
        nid = http.post("/api/networks", json=NET).json()["id"]
        page = http.get(f"/n/{nid}?mode=train")
        assert page.status_code == 200 and 'id="player"' in page.text

        def healthz():
            return http.get("/healthz")

        base = measure(pid, FLOOR, healthz)
        rss = rss_bytes(pid)
        print(f"server {srv.url}, 2-8-8-1 on 200 circle samples, {REFRESHES} refreshes each")
        print(
            f"{'request':<34}{'CPU ms':>9}{'wall ms':>9}{'per s':>8}{'healthz':>9}"
            f"{'CPU/healthz':>13}{'x first':>9}"
        )
        print(
            f"{'GET /healthz (floor), first':<34}{base['cpu_ms']:>9.2f}{base['wall_ms']:>9.2f}"
            f"{base['per_s']:>8.1f}{base['cpu_ms']:>9.2f}{1:>13.1f}{1:>9.1f}"
        )
        for speed in (20, 50, 100):
            for numbers in (True, False):
                refresh = Player(http, nid, speed, numbers)
                measure(pid, 3, refresh)  # warm up
                refresh.reset()
                r = against_floor(pid, REFRESHES, refresh, healthz)
                ratio = r["cpu_ms"] / r["floor_ms"]
                verdict = "ok" if r["cpu_ms"] <= 200 and r["per_s"] >= 5 else "MISSES TARGET"
                if numbers and speed == 20:
                    verdict += ", <= 6x healthz ok" if ratio <= 6 else ", MISSES <= 6x healthz"
                how = "as played" if numbers else "whole"
                print(
                    f"{f'play refresh, {speed} it, {how}':<34}{r['cpu_ms']:>9.2f}"
                    f"{r['wall_ms']:>9.2f}{r['per_s']:>8.1f}{r['floor_ms']:>9.2f}"
                    f"{ratio:>13.1f}{r['cpu_ms'] / base['cpu_ms']:>9.1f}  {verdict}"
                    f"  ({refresh.counts['numbers']} as numbers, "
                    f"{refresh.bytes / REFRESHES / 1000:.1f} kB each)"
                )
        print(
            f"(healthz: GET /healthz's server CPU, {FLOOR_EACH} calls before each refresh of "
            "the row, the floor of CPU/healthz and its verdict; x first: over the floor "
            f"measured first, {FLOOR} calls in a row)"
        )
        state = http.get(f"/api/networks/{nid}").json()
        print(
            f"trained to iteration {state['iteration']}; target: >= 5 refreshes/s of "
            ">= 20 iterations, i.e. <= 200 ms server CPU per refresh"
        )
        played = fastest(http, nid)
        version = http.get(f"/api/networks/{nid}").json()["version"]
        print(
            f"server memory: {rss / 1e6:.0f} MB resident after the page, {rss_bytes(pid) / 1e6:.0f}"
            f" MB after {version - 1} changes of the network ({played:,} iterations played at the "
            f"fastest speed); the process keeps the latest version of a network, of at most "
            f"{ENTRIES} networks and {BYTES >> 20} MB (app/service/recent.py)"
        )


def fastest(http: httpx.Client, nid: str) -> int:
    """Play at the fastest speed against the engine's own train on the same network; the
    iterations played."""
    net = engine.create_network(NET)
    net.train(200)  # warm up
    before = engine_train_rate(net)

    refresh = Player(http, nid, 0)
    refresh()  # warm up
    first = http.get(f"/api/networks/{nid}").json()["iteration"]
    start = time.perf_counter()
    for _ in range(REFRESHES):
        began = time.perf_counter()
        refresh()
        time.sleep(max(0.0, poll_ms(FASTEST) / 1000 - (time.perf_counter() - began)))
    seconds = time.perf_counter() - start
    played = http.get(f"/api/networks/{nid}").json()["iteration"] - first
    rate, per_s = played / seconds, REFRESHES / seconds
    engine_rate = (before + engine_train_rate(net)) / 2  # the machine's load, before and after
    ratio = rate / engine_rate
    verdict = "ok" if ratio >= 0.5 and per_s >= 8 else "MISSES TARGET"
    print(
        f"fastest speed: {rate:,.0f} iterations/s at {per_s:.1f} refreshes/s; the engine's own "
        f"train {engine_rate:,.0f}/s; ratio {ratio:.2f} (target >= 0.5 at >= 8 refreshes/s) "
        f"{verdict}"
    )
    return played


def engine_train_rate(net: engine.Network) -> float:
    """Iterations a second of the engine's own `train` on `net`, in this process."""
    start = time.perf_counter()
    trained = sum(len(net.train(2000).losses) for _ in range(3))
    return trained / (time.perf_counter() - start)


if __name__ == "__main__":
    main()
