"""Training-view benchmark: `python -m bench.training`.

Starts the real server (one worker) on loopback and plays a 2-8-8-1 network on 200
`circle` samples the way the lab page's Play button does: POST /n/{id}/chunk with htmx's
headers, one request after another. For each speed (iterations per refresh) it measures
the server's CPU time per refresh (from /proc, so the client's own work is not counted),
the wall time per refresh, and the refreshes per second one client gets. In the same run
it measures GET /healthz the same way, as the floor of what any request costs.

Target (the training view issue): at least 5 refreshes a second, each covering at least
20 iterations, i.e. at most 200 ms of server CPU per refresh.

Last, the fastest speed (a chunk that fills a time budget): iterations a second that Play
trains, as the player polls (a refresh every POLL_MS, or back to back when one takes
longer), against the engine's own `train` on the same network in this process. Target:
at least half the engine's rate, at 8 or more refreshes a second.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx

import engine
from app.views.training import POLL_MS
from bench.service import measure
from tests.support.live_server import LiveServer

NET = {
    "layers": [2, 8, 8, 1],
    "activations": ["tanh", "tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.3,
    "seed": 1,
    "dataset": {"name": "circle", "samples": 200},
}
REFRESHES = 40
HTMX = {"HX-Request": "true", "HX-Source": "form#player"}


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
        base = measure(pid, REFRESHES, lambda: http.get("/healthz"))
        print(f"server {srv.url}, 2-8-8-1 on 200 circle samples, {REFRESHES} refreshes each")
        print(f"{'request':<34}{'CPU ms':>9}{'wall ms':>9}{'per s':>8}{'CPU/healthz':>13}")
        print(
            f"{'GET /healthz (floor)':<34}{base['cpu_ms']:>9.2f}{base['wall_ms']:>9.2f}"
            f"{base['per_s']:>8.1f}{1:>13.1f}"
        )
        for speed in (20, 50, 100):

            def refresh(speed=speed):
                return http.post(
                    f"/n/{nid}/chunk", data={"speed": str(speed), "mode": "train"}, headers=HTMX
                )

            measure(pid, 3, refresh)  # warm up
            r = measure(pid, REFRESHES, refresh)
            verdict = "ok" if r["cpu_ms"] <= 200 and r["per_s"] >= 5 else "MISSES TARGET"
            print(
                f"{f'play refresh, {speed} iterations':<34}{r['cpu_ms']:>9.2f}"
                f"{r['wall_ms']:>9.2f}{r['per_s']:>8.1f}{r['cpu_ms'] / base['cpu_ms']:>13.1f}"
                f"  {verdict}"
            )
        state = http.get(f"/api/networks/{nid}").json()
        print(
            f"trained to iteration {state['iteration']}; target: >= 5 refreshes/s of "
            ">= 20 iterations, i.e. <= 200 ms server CPU per refresh"
        )
        fastest(http, nid)


def fastest(http: httpx.Client, nid: str) -> None:
    """Play at the fastest speed against the engine's own train on the same network."""
    net = engine.create_network(NET)
    net.train(200)  # warm up
    start = time.perf_counter()
    trained = sum(len(net.train(2000).losses) for _ in range(3))
    engine_rate = trained / (time.perf_counter() - start)

    def refresh():
        return http.post(f"/n/{nid}/chunk", data={"speed": "0", "mode": "train"}, headers=HTMX)

    refresh()  # warm up
    first = http.get(f"/api/networks/{nid}").json()["iteration"]
    start = time.perf_counter()
    for _ in range(REFRESHES):
        began = time.perf_counter()
        refresh()
        time.sleep(max(0.0, POLL_MS / 1000 - (time.perf_counter() - began)))
    seconds = time.perf_counter() - start
    played = http.get(f"/api/networks/{nid}").json()["iteration"] - first
    rate, per_s = played / seconds, REFRESHES / seconds
    ratio = rate / engine_rate
    verdict = "ok" if ratio >= 0.5 and per_s >= 8 else "MISSES TARGET"
    print(
        f"fastest speed: {rate:,.0f} iterations/s at {per_s:.1f} refreshes/s; the engine's own "
        f"train {engine_rate:,.0f}/s; ratio {ratio:.2f} (target >= 0.5 at >= 8 refreshes/s) "
        f"{verdict}"
    )


if __name__ == "__main__":
    main()
