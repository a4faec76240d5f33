"""100 watchers following one teacher, for `python -m bench.classroom`.

A teacher steps a network; each watcher holds open GET /api/watch/{watch_id}/events (the
read-only watch link's server-sent events) and counts its `change` events. The server CPU
(from /proc: the supervisor and its workers) per teacher change with 100 watchers is set
against the same with one watcher, in the same run.

PLACEHOLDER until the watch link exists: when the network's answer has no `watch_id`, or
the events route answers 404, this prints that it is not available and measures nothing.
"""

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
UNAVAILABLE = "not available: the watch link (/api/watch/{id}/events) does not exist yet"


class Watcher:
    """One SSE client on its own connection; `version` is the newest `change` it saw."""

    def __init__(self, url: str, watch_id: str):
        self.http = client(url, timeout=httpx.Timeout(30, read=None))
        self.path = f"/api/watch/{watch_id}/events"
        self.version, self.changes = -1, 0
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


async def available(url: str, watch_id: str | None) -> bool:
    if not watch_id:
        return False
    async with (
        client(url, timeout=10) as http,
        http.stream("GET", f"/api/watch/{watch_id}/events") as response,
    ):
        return response.status_code != 404


async def cpu_per_change(url: str, pid: int, teacher: str, watch_id: str, count: int) -> dict:
    """Server CPU ms per teacher change (POST …/step) while `count` watchers follow,
    each change waited for until every watcher has seen it."""
    watchers = [Watcher(url, watch_id) for _ in range(count)]
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


async def watchers(url: str, pid: int) -> None:
    """Print the server CPU per teacher change with 1 watcher and with WATCHERS."""
    print(f"\n{WATCHERS} watchers following one teacher (seed-xor, a Step every {SPACING} s):")
    async with client(url, timeout=30) as http:
        created = (await http.post("/api/networks", json={"preset": "seed-xor"})).json()
        state = (await http.get(f"/api/networks/{created['id']}")).json()
    watch_id = state.get("watch_id") or created.get("watch_id")
    if not await available(url, watch_id):
        print(UNAVAILABLE)
        return
    one = await cpu_per_change(url, pid, created["id"], watch_id, 1)
    many = await cpu_per_change(url, pid, created["id"], watch_id, WATCHERS)
    for count, r in ((1, one), (WATCHERS, many)):
        print(
            f"  {count:>3} watcher(s): {r['cpu_ms']:.2f} ms server CPU per change, "
            f"{r['events']} change events seen, {r['missed']} changes not seen by all in time"
        )
    print(
        f"  CPU per change, {WATCHERS} watchers / 1 watcher: {many['cpu_ms'] / one['cpu_ms']:.1f}x"
    )
