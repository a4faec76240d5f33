"""Service benchmark: `python -m bench.service`.

Starts the real server (one worker, as `backprop-lab` does by default) on loopback and
measures, in the same run, GET /healthz (the ceiling: the same server answering without
touching a network), POST …/step and POST …/forward: latency p50 / p99 and throughput with
1 and 8 concurrent clients (8 clients each step their own network). Prints step/healthz
throughput (target ≥ 0.5) and the Forward click on a 2-8-8-8-1 network with 200 samples
(target < 50 ms; the round trip measured here bounds the server time from above).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.support.live_server import LiveServer

REQUESTS = {1: 200, 8: 60}  # per client
WARMUP = 20
CLICK_NET = {
    "layers": [2, 8, 8, 8, 1],
    "activations": ["tanh", "tanh", "tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.5,
    "seed": 1,
    "dataset": {"name": "circle", "samples": 200},
}


def new_network(http: httpx.Client, body: dict) -> str:
    response = http.post("/api/networks", json=body)
    response.raise_for_status()
    return response.json()["id"]


def healthz_calls(http: httpx.Client, count: int) -> list[float]:
    return timed(count, lambda: http.get("/healthz"))


def step_calls(http: httpx.Client, count: int) -> list[float]:
    nid = new_network(http, {"preset": "seed-xor"})
    return timed(count, lambda: http.post(f"/api/networks/{nid}/step"))


def forward_calls(http: httpx.Client, count: int) -> list[float]:
    """Forward clicks through the 2-8-8-8-1 network; between passes, backward and update
    (not timed) finish the iteration so that the next forward is allowed."""
    nid = new_network(http, CLICK_NET)
    out: list[float] = []
    while len(out) < count:
        out += timed(4, lambda: http.post(f"/api/networks/{nid}/forward"))
        http.post(f"/api/networks/{nid}/backward", json={"all": True}).raise_for_status()
        http.post(f"/api/networks/{nid}/update").raise_for_status()
    return out[:count]


def timed(count: int, call) -> list[float]:
    """Seconds taken by each of `count` calls; every answer must be 200."""
    out = []
    for _ in range(count):
        start = time.perf_counter()
        response = call()
        out.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code}: {response.text[:200]}")
    return out


def run(url: str, calls, clients: int) -> dict:
    """Latencies (ms) and throughput (requests/s) of `clients` concurrent clients."""
    count = REQUESTS[clients]

    def client(_):
        with httpx.Client(base_url=url, timeout=30) as http:
            calls(http, WARMUP)
            return calls(http, count)

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(client, range(clients)))
    wall = time.perf_counter() - start
    latencies = sorted(x * 1000 for r in results for x in r)
    return {
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "rps": len(latencies) / wall,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, LiveServer(str(Path(tmp) / "bench.db")) as srv:
        print(f"server: {srv.url} (1 worker); latency in ms, throughput in requests/s")
        print(f"{'request':<28}{'clients':>8}{'p50':>9}{'p99':>9}{'req/s':>9}")
        table = {}
        for name, calls in (
            ("GET /healthz", healthz_calls),
            ("POST step (seed-xor)", step_calls),
            ("POST forward (2-8-8-8-1)", forward_calls),
        ):
            for clients in (1, 8):
                r = table[name, clients] = run(srv.url, calls, clients)
                print(f"{name:<28}{clients:>8}{r['p50']:>9.2f}{r['p99']:>9.2f}{r['rps']:>9.0f}")
        for clients in (1, 8):
            ratio = (
                table["POST step (seed-xor)", clients]["rps"]
                / table["GET /healthz", clients]["rps"]
            )
            verdict = "ok" if ratio >= 0.5 else "BELOW TARGET"
            print(
                f"step/healthz throughput, {clients} client(s): {ratio:.2f} "
                f"(target >= 0.5) {verdict}"
            )
        click = table["POST forward (2-8-8-8-1)", 1]
        verdict = "ok" if click["p99"] < 50 else "ABOVE TARGET"
        print(
            f"Forward click, 2-8-8-8-1 with 200 samples: p50 {click['p50']:.1f} ms, "
            f"p99 {click['p99']:.1f} ms round trip (target < 50 ms) {verdict}"
        )


if __name__ == "__main__":
    main()
