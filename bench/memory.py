"""Memory held by clients that ask for a large answer and never read it.

    python -m bench.memory [--clients 40]

Starts the server as the README does (one worker) and, in the same run, the baseline
(commit BASELINE, before answers were spooled and slow readers dropped). On each: the
largest network the limits allow (8 layers of 16, Adam, 1000 samples) after one step,
whose state is the largest answer (about 12 MB of JSON); then `clients` connections ask
for it and read nothing. Prints how much the server's resident memory grew, at the peak
and once every answer is built and waiting, and how long GET /healthz takes meanwhile.
Target: under 200 MB added with 40 clients."""

from __future__ import annotations

import argparse
import socket
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from bench.procs import BaselineServer, rss_bytes
from tests.support.live_server import LiveServer

TARGET_MB = 200


def largest_network() -> dict:
    rng = np.random.default_rng(0)
    return {
        "layers": [16] * 8,
        "activations": ["tanh"] * 6 + ["sigmoid"],
        "loss": "bce",
        "learning_rate": 0.01,
        "optimizer": "adam",
        "inputs": rng.random((1000, 16)).round(3).tolist(),
        "targets": (rng.random((1000, 16)) > 0.5).astype(float).tolist(),
    }


def stuck_client(port: int, path: str) -> socket.socket:
    """A connection that asks for `path` and will not read (a 4 kB receive window)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    return sock


def measure(server: LiveServer, clients: int, settle: float = 8.0) -> dict:
    """The memory the stuck clients add to `server` and /healthz's time meanwhile."""
    with httpx.Client(base_url=server.url, timeout=120) as http:
        nid = http.post("/api/networks", json=largest_network()).json()["id"]
        http.post(f"/api/networks/{nid}/step", headers={"content-type": "application/json"})
        size = len(http.get(f"/api/networks/{nid}").content)  # warm: one answer built
        before = rss_bytes(server.process.pid)
        socks = [stuck_client(server.port, f"/api/networks/{nid}") for _ in range(clients)]
        peak, health, end = before, [], time.monotonic() + settle
        while time.monotonic() < end:
            peak = max(peak, rss_bytes(server.process.pid))
            start = time.perf_counter()
            http.get("/healthz", timeout=30)
            health.append(time.perf_counter() - start)
            time.sleep(0.2)
        held = rss_bytes(server.process.pid)
        for sock in socks:
            sock.close()
    return {
        "answer_mb": size / 1e6,
        "peak_mb": (peak - before) / 1e6,
        "held_mb": (held - before) / 1e6,
        "healthz_ms": 1000 * max(health),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for name, server in (
            ("baseline", BaselineServer(str(Path(tmp) / "base.db"))),
            ("now", LiveServer(str(Path(tmp) / "now.db"))),
        ):
            with server:
                results[name] = measure(server, args.clients)
    for name, r in results.items():
        print(
            f"{name:8}: {args.clients} clients not reading a {r['answer_mb']:.1f} MB answer: "
            f"+{r['peak_mb']:.0f} MB at the peak, +{r['held_mb']:.0f} MB held; "
            f"slowest /healthz {r['healthz_ms']:.0f} ms"
        )
    now, base = results["now"], results["baseline"]
    ratio = now["peak_mb"] / base["peak_mb"] if base["peak_mb"] > 0 else float("nan")
    verdict = "meets" if now["peak_mb"] < TARGET_MB else "MISSES"
    print(
        f"memory added now / baseline: {ratio:.2f}; +{now['peak_mb']:.0f} MB at the peak "
        f"{verdict} the target of under {TARGET_MB} MB"
    )


if __name__ == "__main__":
    main()
