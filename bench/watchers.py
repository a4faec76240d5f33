"""100 watchers following one teacher, for `python -m bench.classroom`.

A teacher steps a network; each watcher holds open the event stream a watch page opens
(static/js/follow.js: GET /api/watch/{watch_id}/events?fragment=1 with the page's view and
text-size cookie), so each `change` event carries the watch page's lab region, rendered
for that view: all a watching page receives per change (it morphs the region in place,
with no further request). Each watcher parses every event and keeps its region. The
server CPU (from /proc: the supervisor and its workers) per teacher change with 100
watchers is set against the same with one watcher, in the same run; target: under 2x.
A last line spreads the 100 over four views (each neuron focused by a quarter of them)."""

from __future__ import annotations

import asyncio
import json
import time

import httpx

from bench.cpu import tree_cpu_seconds
from bench.learners import client
from tests.support.api_helpers import JSON

WATCHERS = 100
CHANGES = 20  # teacher changes measured per count of watchers
SPACING = 0.25  # seconds from one teacher change to the next
DELIVERY = 10.0  # seconds every watcher has to see a change
UNAVAILABLE = "not available: the watch link (/api/watch/{id}/events) does not answer"
FOUR_VIEWS = ("&focus=n-1-1", "&focus=n-1-2", "&focus=n-2-1", "&focus=n-2-2&digits=3")


class Watcher:
    """One SSE client on its own connection; `version` is the newest `change` it saw."""

    def __init__(self, url: str, watch_id: str, view: str = ""):
        self.http = client(url, timeout=httpx.Timeout(30, read=None))
        self.http.cookies.set("bpl-scale", "1.15")  # a watcher's own text size
        self.path = f"/api/watch/{watch_id}/events?fragment=1&seen=1{view}"
        self.version, self.changes, self.html = -1, 0, ""
        self.connected = asyncio.Event()

    async def follow(self) -> None:
        """Read the stream until cancelled: an event is its lines up to a blank line."""
        headers = {"Accept": "text/event-stream"}
        async with self.http.stream("GET", self.path, headers=headers) as response:
            response.raise_for_status()
            self.connected.set()
            event, data = "message", []
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
                elif line == "":
                    if event == "change" and data:
                        self.seen(json.loads("\n".join(data)))
                    event, data = "message", []

    def seen(self, change: dict) -> None:
        self.changes += 1
        self.version = max(self.version, int(change.get("version", -1)))
        self.html = change.get("html", "")  # what the page morphs in


async def available(url: str, watch_id: str | None) -> bool:
    if not watch_id:
        return False
    async with (
        client(url, timeout=10) as http,
        http.stream("GET", f"/api/watch/{watch_id}/events") as response,
    ):
        return response.status_code != 404


async def cpu_per_change(
    url: str, pid: int, teacher: str, watch_id: str, count: int, views: tuple = ("",)
) -> dict:
    """Server CPU ms per teacher change (POST …/step) while `count` watchers follow (the
    i-th in views[i % len(views)]), each change waited for until every watcher has seen it."""
    watchers = [Watcher(url, watch_id, views[i % len(views)]) for i in range(count)]
    tasks = [asyncio.create_task(w.follow()) for w in watchers]
    try:
        await asyncio.wait_for(asyncio.gather(*(w.connected.wait() for w in watchers)), 30)
        await asyncio.sleep(1)  # settle: connections made, first events sent
        missed = 0
        async with client(url, timeout=30) as http:
            cpu0 = tree_cpu_seconds(pid)
            for _ in range(CHANGES):
                t0 = time.monotonic()
                response = await http.post(f"/api/networks/{teacher}/step", headers=JSON)
                response.raise_for_status()
                missed += not await delivered(watchers, response.json()["version"])
                await asyncio.sleep(max(0.0, t0 + SPACING - time.monotonic()))
            cpu_ms = (tree_cpu_seconds(pid) - cpu0) / CHANGES * 1000
        if any(w.changes and 'id="lab"' not in w.html for w in watchers):
            raise RuntimeError("a change event without the watch page's region")
        return {"cpu_ms": cpu_ms, "missed": missed, "events": sum(w.changes for w in watchers)}
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(*(w.http.aclose() for w in watchers))


async def delivered(watchers: list[Watcher], version: int) -> bool:
    """Wait until every watcher has seen `version`; False if DELIVERY seconds pass first."""
    deadline = time.monotonic() + DELIVERY
    while any(w.version < version for w in watchers):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.005)
    return True


async def watchers(url: str, pid) -> dict | None:
    """Print the server CPU per teacher change with 1 watcher and with WATCHERS (`pid`:
    the server's process, or several: bench/cpu.py); those figures, None if unavailable."""
    print(f"\n{WATCHERS} watchers following one teacher (seed-xor, a Step every {SPACING} s):")
    async with client(url, timeout=30) as http:
        created = (await http.post("/api/networks", json={"preset": "seed-xor"})).json()
        state = (await http.get(f"/api/networks/{created['id']}")).json()
    watch_id = state.get("watch_id") or created.get("watch_id")
    if not await available(url, watch_id):
        print(UNAVAILABLE)
        return None
    nid = created["id"]
    one = await cpu_per_change(url, pid, nid, watch_id, 1)
    many = await cpu_per_change(url, pid, nid, watch_id, WATCHERS)
    spread = await cpu_per_change(url, pid, nid, watch_id, WATCHERS, FOUR_VIEWS)
    rows = (("  1 watcher", one), (f"{WATCHERS} watchers", many), ("4 views", spread))
    for label, r in rows:
        print(
            f"  {label:>12}: {r['cpu_ms']:.2f} ms server CPU per change, "
            f"{r['events']} change events seen, {r['missed']} changes not seen by all in time"
        )
    ratio = many["cpu_ms"] / one["cpu_ms"]
    print(
        f"  CPU per change, {WATCHERS} watchers / 1 watcher: {ratio:.2f}x "
        f"(target < 2x: {'PASS' if ratio < 2 else 'FAIL'}); in 4 views: "
        f"{spread['cpu_ms'] / one['cpu_ms']:.2f}x"
    )
    return {"one": one, "many": many, "spread": spread, "ratio": ratio}


def main() -> None:
    """`python -m bench.watchers`: this part alone, on its own `--workers 2` server."""
    import tempfile
    from pathlib import Path

    from tests.support.live_server import LiveServer

    env = {"BACKPROP_LAB_CREATE_PER_MINUTE": "0"}
    with (
        tempfile.TemporaryDirectory() as tmp,
        LiveServer(str(Path(tmp) / "watch.db"), workers=2, env=env) as server,
    ):
        asyncio.run(watchers(server.url, server.process.pid))


if __name__ == "__main__":
    main()
