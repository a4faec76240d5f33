"""Server CPU per request of each kind on a quiet server, for `python -m bench.classroom`:
GET /healthz (the floor), and for each network of the class a page load, a click and a
Play refresh, sent one after another by the same simulated learner as under load."""

from __future__ import annotations

import random
import statistics
import time

import httpx

from bench.cpu import tree_cpu_seconds
from bench.learners import PRESETS, Learner, Stats, client
from bench.service import FLOOR_EACH

# requests measured: /proc rounds CPU to a 10 ms tick at each read, so each kind gets a few
# hundred ms of it (GET /healthz about a second), and a read's rounding is a few per cent
COUNTS = {"healthz": 600, "page": 20, "click": 30, "refresh": 30}
NAMES = [p.get("preset") or "2-8-8-1 (200 circle)" for p in PRESETS]
KINDS = ("page", "click", "refresh")


async def new_network(http: httpx.AsyncClient, body: dict) -> str:
    response = await http.post("/api/networks", json=body)
    response.raise_for_status()
    return response.json()["id"]


async def server_ms(pid: int, count: int, call) -> float:
    """Server CPU ms per call, over `count` calls one after another (after one more,
    unmeasured, that warms up whatever the first call of its kind builds)."""
    await call()
    cpu0 = tree_cpu_seconds(pid)
    for _ in range(count):
        await call()
    return (tree_cpu_seconds(pid) - cpu0) / count * 1000


async def against_floor(pid: int, count: int, call, floor) -> tuple[float, float]:
    """bench.service's against_floor for an async client: (server CPU ms per call of
    `call`, and of `floor` (GET /healthz), called FLOOR_EACH times before each of the
    `count` calls), after one unmeasured call of `call`."""
    await call()
    spent, floors = 0.0, 0.0
    for _ in range(count):
        cpu0 = tree_cpu_seconds(pid)
        for _ in range(FLOOR_EACH):
            await floor()
        cpu1 = tree_cpu_seconds(pid)
        await call()
        spent += tree_cpu_seconds(pid) - cpu1
        floors += cpu1 - cpu0
    return spent / count * 1000, floors / (count * FLOOR_EACH) * 1000


async def preset_costs(http: httpx.AsyncClient, pid: int, body: dict, stats: Stats) -> dict:
    """{kind: (server CPU ms, that of GET /healthz in between)} on networks made from
    `body`: a page load and a click on one, a Play refresh on another (Play needs an
    iteration not yet begun)."""

    async def floor():
        await healthz(http)

    clicker = Learner(http, await new_network(http, body), stats, random.Random(0))
    costs = {"page": await against_floor(pid, COUNTS["page"], clicker.open, floor)}
    costs["click"] = await against_floor(pid, COUNTS["click"], clicker.click, floor)
    player = Learner(http, await new_network(http, body), stats, random.Random(0))
    await player.open()
    await player.play()
    costs["refresh"] = await against_floor(pid, COUNTS["refresh"], player.refresh, floor)
    return costs


async def healthz(http: httpx.AsyncClient) -> float:
    """Seconds of one GET /healthz round trip (it must answer 200)."""
    t0 = time.monotonic()
    (await http.get("/healthz")).raise_for_status()
    return time.monotonic() - t0


async def quiet_costs(url: str, pid: int) -> dict:
    """{"healthz": ms, "healthz_wall": ms (median), kind: {network: ms}, "floor": {kind:
    {network: ms of GET /healthz measured in between}}, "errors": Counter}."""
    stats, walls = Stats(), []
    async with client(url) as http:

        async def timed_healthz():
            walls.append(await healthz(http))

        costs: dict = {"healthz": await server_ms(pid, COUNTS["healthz"], timed_healthz)}
        costs["healthz_wall"] = statistics.median(walls) * 1000
        for name, body in zip(NAMES, PRESETS, strict=True):
            for kind, (ms, floor) in (await preset_costs(http, pid, body, stats)).items():
                costs.setdefault(kind, {})[name] = ms
                costs.setdefault("floor", {}).setdefault(kind, {})[name] = floor
    costs["errors"] = stats.errors
    return costs


def mean_costs(costs: dict) -> dict:
    """{kind: ms} averaged over the networks (a class takes them in equal shares)."""
    return {kind: statistics.fmean(costs[kind].values()) for kind in KINDS}


def print_costs(costs: dict) -> None:
    base = costs["healthz"]
    print(
        f"GET /healthz (the floor): {base:.2f} ms server CPU, "
        f"{costs['healthz_wall']:.1f} ms round trip (median)"
    )
    if costs["healthz_wall"] > max(10, 5 * base):
        print(
            "  note: the round trip is mostly waiting, not computing "
            "(e.g. Nagle's algorithm left on for keep-alive connections)"
        )
    print(
        "quiet server CPU per request, ms, and x GET /healthz (measured in between, "
        f"{FLOOR_EACH} calls before each request), one request after another:"
    )
    print(f"{'network':<24}{'page':>8}{'x':>6}{'click':>8}{'x':>6}{'refresh':>9}{'x':>6}")
    for name in NAMES:
        cells = [
            f"{costs[k][name]:>{w}.1f}{costs[k][name] / costs['floor'][k][name]:>6.0f}"
            for k, w in zip(KINDS, (8, 8, 9), strict=True)
        ]
        print(f"{name:<24}{''.join(cells)}")
    if costs["errors"]:
        print(f"errors while measuring: {dict(costs['errors'])}")
