"""Handout benchmark: `python -m bench.handouts`.

Starts the real server on loopback and times, in the same run, GET /api/networks/{id}
(the baseline: one load and its JSON) and each worked-example handout (.md, .html, .tex,
and .pdf, which launches Chromium for every request) for the classic 2-2-2 network and a
2-8-8-8-1 network on 200 samples (its layers cut to 4 neurons in the handout). Prints the
median of each and its ratio to the baseline. No target: the figures say what one handout
costs a server (the PDF mostly Chromium's start)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.service import CLICK_NET, timed
from tests.support.live_server import LiveServer

ROUNDS = {"": 40, "md": 10, "html": 10, "tex": 10, "pdf": 3}


def median_ms(client: httpx.Client, url: str, rounds: int) -> float:
    timed(1, lambda: client.get(url))  # warm up
    return statistics.median(timed(rounds, lambda: client.get(url))) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, LiveServer(str(Path(folder, "b.db"))) as server:
        client = httpx.Client(base_url=server.url, timeout=60)
        for name, body in (
            ("2-2-2 worked example", {"preset": "worked-example"}),
            ("2-8-8-8-1, 200 samples", CLICK_NET),
        ):
            nid = client.post("/api/networks", json=body).json()["id"]
            base = median_ms(client, f"/api/networks/{nid}", ROUNDS[""])
            print(f"{name}: GET the network {base:.2f} ms (baseline)")
            for ext in ("md", "html", "tex", "pdf"):
                ms = median_ms(client, f"/api/networks/{nid}/worked-example.{ext}", ROUNDS[ext])
                print(f"  worked-example.{ext:<4} {ms:9.1f} ms  {ms / base:8.1f}× the baseline")
        client.close()


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.0f} s)")
