"""Exercise sheets benchmark: `python -m bench.exercises`.

Starts the real server on loopback and times, in the same run, GET /api/networks/{id} (the
baseline: one load and its JSON), a network's exercise sheet and answer key, and for a
class of 200 students (2-2-1 sigmoid and 2-3-2 tanh/sigmoid with Adam on 2 samples) one
part of its sheets and of its answer key, each as large as the class's page offers (the
students one request may make). Prints the median of each, its ratio to the baseline and
to the work limit (BACKPROP_LAB_WORK_SECONDS, 1 s by default): a part's ratio to the limit
should stay about 1 or under (ITEM_SECONDS in app/documents/classwork.py sizes the parts)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx

from bench.handouts import median_ms
from tests.support.live_server import LiveServer

CLASSES = {
    "2-2-1 sigmoid, mse": {"layers": [2, 2, 1], "activations": ["sigmoid", "sigmoid"]},
    "2-3-2 tanh/sigmoid, bce, Adam, 2 samples": {
        "layers": [2, 3, 2],
        "activations": ["tanh", "sigmoid"],
        "loss": "bce",
        "optimizer": "adam",
        "samples": 2,
    },
}
LIMIT_SECONDS = 1.0  # the server's default work limit


def main() -> None:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, LiveServer(str(Path(folder, "b.db"))) as server:
        client = httpx.Client(base_url=server.url, timeout=120)
        nid = client.post("/api/networks", json={"preset": "worked-example"}).json()["id"]
        base = median_ms(client, f"/api/networks/{nid}", 40)
        print(f"GET the 2-2-2 network {base:.2f} ms (baseline)")
        for doc in ("exercise.md", "exercise.html", "exercise-key.md", "exercise-key.html"):
            ms = median_ms(client, f"/api/networks/{nid}/{doc}", 10)
            print(f"  {doc:<18} {ms:9.1f} ms  {ms / base:8.1f}× the baseline")
        for name, body in CLASSES.items():
            info = client.post("/api/classes", json={**body, "class_code": "B", "count": 200})
            info.raise_for_status()
            klass = info.json()
            part = klass["parts"][0]
            q = {"class_code": "B", "count": 200, **part}
            print(f"class of 200, {name}: parts of {klass['per_part']} students")
            for doc in ("sheets.md", "sheets.html", "key.md", "key.html"):
                url = httpx.URL(f"/api/classes/{klass['token']}/{doc}", params=q)
                ms = median_ms(client, str(url), 3)
                share = ms / 1000 / LIMIT_SECONDS
                ratios = f"{ms / base:8.1f}× the baseline  {share:5.2f}× the limit"
                print(f"  {doc:<11} {ms:9.1f} ms  {ratios}")
        client.close()
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
