"""Classroom benchmark: `python -m bench.classroom [--learners 50,100,200,400] [--seconds 30]
[--store sqlite|postgresql|both]`.

Starts `backprop-lab --workers 2` on loopback (or, on PostgreSQL, two servers of one worker
each behind nginx: bench/deployments.py) and, in this same process (asyncio, one
connection per learner, on bench/wire.py's lean client: the generator shares the server's
cores), runs a class of N simulated learners, each on a network of their
own (the presets in turn, and a 2-8-8-1 on 200 circle samples). Nine in ten open the lab
page and click Forward / Backward / Update / Step as its htmx does, after an exponential
think time of 3 s on average; one in ten presses Play and then refreshes as the player's
`hx-trigger="every …"` does (bench/learners.py).

First, on the quiet server, the server CPU (from /proc: the supervisor and its workers) of
GET /healthz and of each network's page load, click and Play refresh (bench/costs.py).
Then for each N, over `--seconds` after a warm-up: clicks per second served, p50 / p99
click latency, refreshes per second per player, errors by kind, the server's CPU (and each
worker's: one worker process uses at most one core), the server's CPU per click
(its CPU under load shared among clicks, refreshes and page loads in proportion to their
quiet costs) and that over GET /healthz, and this generator's own CPU share and event-loop
lag (it must not be the bottleneck; it runs on the loop uvicorn's "auto" gives the server:
uvloop's where installed). Target: N = 200 with p99 click latency under 200 ms,
players at >= 6 refreshes a second and no errors. Last, 100 watchers following one teacher
(bench/watchers.py). With `--store both`, SQLite's run, then PostgreSQL's, then both
stores' figures side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from pathlib import Path

from uvicorn.loops.auto import auto_loop_factory

from bench.costs import mean_costs, new_network, print_costs, quiet_costs
from bench.cpu import descendants, machine_busy_seconds, tree_cpu_seconds
from bench.deployments import STORES, deployment
from bench.learners import PRESETS, THINK, Learner, Stats, client, tab
from bench.service import cpu_seconds
from bench.watchers import watchers

PLAYER_EVERY = 10  # one learner in ten plays
WARMUP = THINK + 2  # seconds before the window opens (every learner has opened the page)
TARGET = {"learners": 200, "p99_ms": 200, "refreshes": 6}
COLUMNS = (  # heading, width, format, key of the figures
    ("learners", 8, "d", "n"),
    ("players", 8, "d", "players"),
    ("clicks/s", 9, ".1f", "clicks_s"),
    ("p50 ms", 8, ".0f", "p50"),
    ("p99 ms", 8, ".0f", "p99"),
    ("refr/s", 7, ".1f", "refresh_s"),
    ("errors", 7, "d", "errors"),
    ("srv cores", 10, ".2f", "cores"),
    ("per worker", 12, "s", "workers"),
    ("CPU/click", 10, ".1f", "click_cpu"),
    ("x hz", 6, ".0f", "ratio"),
    ("gen %core", 10, ".0f", "generator"),
    ("lag ms", 7, ".0f", "lag"),
    ("others", 7, ".2f", "others"),
)
LEGEND = """\
refr/s: refreshes a second per player; srv cores: server CPU seconds a second (of 2),
per worker: that of each worker process (one Python process uses at most one core);
CPU/click: server CPU ms per click (its CPU shared by the quiet costs); x hz: that over
GET /healthz; gen %core, lag ms: this generator's CPU (of one core) and event-loop lag p99;
others: CPU seconds a second of every other process on the machine (0 on a quiet one)"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.classroom", description=__doc__)
    parser.add_argument("--learners", default="50,100,200,400", help="class sizes, e.g. 50,100")
    parser.add_argument("--seconds", type=float, default=30, help="measured seconds per size")
    parser.add_argument("--seed", type=int, default=1, help="seed of the think times")
    parser.add_argument(
        "--store", choices=(*STORES, "both"), default="sqlite", help="the store(s) to run on"
    )
    args = parser.parse_args(argv)
    args.learners = [int(n) for n in args.learners.split(",") if n.strip()]
    args.stores = STORES if args.store == "both" else (args.store,)
    return args


async def class_networks(url: str, n: int) -> list[tuple[str, bool]]:
    """(network id, plays) per learner; players and clickers each take the presets in turn."""
    plays = [i % PLAYER_EVERY == PLAYER_EVERY - 1 for i in range(n)]
    turn = {True: 0, False: 0}
    bodies = []
    for p in plays:
        bodies.append(PRESETS[turn[p] % len(PRESETS)])
        turn[p] += 1
    async with client(url) as http:
        ids: list[str] = []
        for i in range(0, n, 20):
            ids += await asyncio.gather(*(new_network(http, b) for b in bodies[i : i + 20]))
    return list(zip(ids, plays, strict=True))


async def lag_probe(lags: list[float], period: float = 0.05) -> None:
    """How late the event loop wakes up: it grows when the generator is saturated."""
    while True:
        t0 = time.monotonic()
        await asyncio.sleep(period)
        lags.append(time.monotonic() - t0 - period)


async def learner(learner: Learner, plays: bool, delay: float) -> None:
    await asyncio.sleep(delay)
    await (learner.playing() if plays else learner.clicking())


async def run_class(url: str, pid: int, n: int, seconds: float, seed: int) -> dict:
    """A class of `n` for WARMUP + `seconds`; what happened in the last `seconds`."""
    networks = await class_networks(url, n)
    stats, rng = Stats(start=float("inf")), random.Random(f"{seed}-{n}")
    lags: list[float] = []
    clients = [tab(url) for _ in networks]
    tasks = [asyncio.create_task(lag_probe(lags))]
    for http, (nid, plays) in zip(clients, networks, strict=True):
        one = Learner(http, nid, stats, random.Random(rng.random()))
        tasks.append(asyncio.create_task(learner(one, plays, rng.uniform(0, THINK))))
    await asyncio.sleep(WARMUP)
    lags.clear()
    stats.start, cpu0, own0, all0 = time.monotonic(), *cpu_now(pid)
    workers0 = worker_cpu(pid)
    await asyncio.sleep(seconds)
    stats.end, cpu1, own1, all1 = time.monotonic(), *cpu_now(pid)
    workers1 = worker_cpu(pid)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.gather(*(c.aclose() for c in clients))
    wall = stats.end - stats.start
    players = sum(plays for _, plays in networks)
    return {
        "n": n,
        "players": players,
        "wall": wall,
        "stats": stats,
        "lags": lags,
        "server_cpu": cpu1 - cpu0,
        "workers": sorted((workers1[p] - workers0.get(p, 0.0)) / wall for p in workers1),
        "generator": (own1 - own0) / wall,
        "others": ((all1 - all0) - (cpu1 - cpu0) - (own1 - own0)) / wall,
    }


def cpu_now(pid) -> tuple[float, float, float]:
    """CPU seconds so far of the server's tree, of this process, of the whole machine."""
    return tree_cpu_seconds(pid), time.process_time(), machine_busy_seconds()


def worker_cpu(pid) -> dict[int, float]:
    """CPU seconds so far of each worker process of the server (the supervisor's children
    that multiprocessing spawned, not its resource tracker); none for servers of one
    worker each (the deployment on PostgreSQL)."""
    out = {}
    for p in descendants(pid)[1:]:
        try:
            if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes():
                out[p] = cpu_seconds(p)
        except OSError:
            continue  # a worker that ended meanwhile
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def figures(run: dict, costs: dict) -> dict:
    """The row of one class size: rates per second, latencies and CPU in ms."""
    stats: Stats = run["stats"]
    quiet = mean_costs(costs)
    count = {kind: stats.count(kind) for kind in ("page", "click", "refresh", "play")}
    shares = (
        (count["click"] + count["play"]) * quiet["click"]  # Play answers the lab region too
        + count["refresh"] * quiet["refresh"]
        + count["page"] * quiet["page"]
    )
    click_cpu = run["server_cpu"] * 1000 * quiet["click"] / shares if shares else float("nan")
    clicks = stats.latencies.get("click", [])
    return {
        "n": run["n"],
        "players": run["players"],
        "clicks_s": len(clicks) / run["wall"],
        "p50": percentile(clicks, 0.5) * 1000,
        "p99": percentile(clicks, 0.99) * 1000,
        "refresh_s": count["refresh"] / run["wall"] / max(run["players"], 1),
        "errors": sum(stats.errors.values()),
        "cores": run["server_cpu"] / run["wall"],
        "workers": "/".join(f"{c:.2f}" for c in run["workers"]) or "-",
        "click_cpu": click_cpu,
        "ratio": click_cpu / costs["healthz"],
        "generator": run["generator"] * 100,
        "lag": percentile(run["lags"], 0.99) * 1000,
        "others": max(0.0, run["others"]),
    }


def print_row(f: dict | None = None) -> None:
    if f is None:
        print("".join(f"{head:>{width}}" for head, width, _, _ in COLUMNS))
    else:
        print("".join(f"{f[key]:>{width}{fmt}}" for _, width, fmt, key in COLUMNS), flush=True)


def print_target(results: dict) -> None:
    n, p99, refreshes = TARGET["learners"], TARGET["p99_ms"], TARGET["refreshes"]
    if n not in results:
        print(f"target at N = {n}: not measured (add {n} to --learners)")
        return
    f = results[n]
    print(f"target at N = {n} learners:")
    for what, figure, ok in (
        (f"p99 click latency under {p99} ms", f"{f['p99']:.0f} ms", f["p99"] < p99),
        (
            f"players at >= {refreshes} refreshes/s",
            f"{f['refresh_s']:.1f}/s",
            f["refresh_s"] >= refreshes,
        ),
        ("no errors", f"{f['errors']}", f["errors"] == 0),
    ):
        print(f"  {what:<36}{figure:>10}  {'PASS' if ok else 'FAIL'}")


async def classroom(args: argparse.Namespace, url: str, pid) -> dict:
    """Every figure of one store's run, printed as it comes; {n: row, "watchers": …}."""
    costs = await quiet_costs(url, pid)
    print_costs(costs)
    print(
        f"\nclasses: {args.seconds:.0f} s measured after a {WARMUP:.0f} s warm-up; a clicker "
        f"thinks {THINK:.0f} s on average; one learner in {PLAYER_EVERY} plays\n{LEGEND}"
    )
    print_row()
    results: dict[int, dict] = {}
    for n in args.learners:
        run = await run_class(url, pid, n, args.seconds, args.seed)
        print_row(results.setdefault(n, figures(run, costs)))
        for what, count in sorted(run["stats"].errors.items()):
            print(f"{'':>8}error {what}: {count}")
    print_target(results)
    return {**results, "watchers": await watchers(url, pid)}


SIDE_BY_SIDE = ("clicks_s", "p50", "p99", "refresh_s", "errors", "cores", "click_cpu")


def print_side_by_side(runs: dict[str, dict], learners: list[int]) -> None:
    """Each class size's figures on each store, one row per store, and the watchers'."""
    print("\nside by side (server CPU: every process that serves the class, database included)")
    columns = [c for c in COLUMNS if c[3] in ("n", *SIDE_BY_SIDE)]
    print(f"{'store':<12}" + "".join(f"{head:>{width}}" for head, width, _, _ in columns))
    for n in learners:
        for store, results in runs.items():
            f = results[n]
            cells = "".join(f"{f[key]:>{width}{fmt}}" for _, width, fmt, key in columns)
            print(f"{store:<12}{cells}")
    for store, results in runs.items():
        w = results.get("watchers")
        if w is not None:
            print(
                f"{store:<12}watchers: {w['one']['cpu_ms']:.2f} ms server CPU per change with "
                f"1, {w['many']['cpu_ms']:.2f} ms with 100 ({w['ratio']:.2f}x)"
            )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    runs = {}
    for store in args.stores:
        with deployment(store) as target:
            print(
                f"\n{target.what}, at {target.url}; the load generator runs in this process; "
                f"load average before: {os.getloadavg()[0]:.2f} (a quiet machine: near 0)"
            )
            with asyncio.Runner(loop_factory=auto_loop_factory()) as runner:
                runs[store] = runner.run(classroom(args, target.url, target.pids))
    if len(runs) > 1:
        print_side_by_side(runs, args.learners)


if __name__ == "__main__":
    main()
