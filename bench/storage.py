"""How fast one client's create-then-step loop fills the disk.

    python -m bench.storage [--seconds 20]

Starts the server as the README does (one worker) and, in the same run, the baseline
(bench.procs.BASELINE: the commit before compact undo, the byte cap and the creation
limit). Against each, one client loops: create a network, step it once (as fast as the
server answers; a 429 of the creation limit is waited out for its Retry-After, as a
well-behaved client would, so the figure is the most the limit lets through). Once on the
largest network the limits allow (8 layers of 16, Adam, 1000 samples), once on seed-xor.
Prints the database's growth (the file and its WAL) a second, now against the baseline
(target: at most 5 %), the bytes one network with its step costs, and a day of the loop at
that rate.

Then the undo stack at its caps: the largest network stepped 120 times (the level cap is
100, the byte cap 4 MiB), the disk cost of one network at the limits.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from pathlib import Path

import httpx

from bench.memory import largest_network
from bench.procs import BaselineServer
from tests.support.api_helpers import JSON
from tests.support.live_server import LiveServer

TARGET_RATIO = 0.05
DAY = 86_400
LIMIT = 60  # BACKPROP_LAB_CREATE_PER_MINUTE's default


def disk_bytes(db: str) -> int:
    """The database's size once its WAL is written back (a checkpoint, as the server's own
    would do): the WAL's preallocated pages would otherwise swamp a short run's growth."""
    with sqlite3.connect(db, timeout=30) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p))


def fill(server: LiveServer, body: dict, seconds: float) -> dict:
    """The create-then-step loop for `seconds`: growth a second, networks made, refusals."""
    made = refused = 0
    with httpx.Client(base_url=server.url, timeout=60) as http:
        http.post("/api/networks", json={"preset": "seed-xor"}).raise_for_status()  # schema
        start_bytes, start = disk_bytes(server.db), time.monotonic()
        while time.monotonic() - start < seconds:
            created = http.post("/api/networks", json=body)
            if created.status_code == 429:
                refused += 1
                wait = float(created.headers.get("retry-after", "1"))
                time.sleep(min(wait, max(0.0, start + seconds - time.monotonic())))
                continue
            created.raise_for_status()
            made += 1
            step = http.post(f"/api/networks/{created.json()['id']}/step", headers=JSON)
            step.raise_for_status()
        elapsed = time.monotonic() - start
    grown = disk_bytes(server.db) - start_bytes
    return {
        "rate": grown / elapsed,
        "made": made,
        "refused": refused,
        "per_network": grown / max(made, 1),
    }


def undo_at_the_caps(server: LiveServer, steps: int = 120) -> int:
    """Bytes one largest network takes after `steps` steps (its undo stack at its caps)."""
    with httpx.Client(base_url=server.url, timeout=60) as http:
        http.post("/api/networks", json={"preset": "seed-xor"}).raise_for_status()
        before = disk_bytes(server.db)
        nid = http.post("/api/networks", json=largest_network()).json()["id"]
        for _ in range(steps):
            http.post(f"/api/networks/{nid}/step", headers=JSON).raise_for_status()
    return disk_bytes(server.db) - before


def mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    cases = {"largest": largest_network(), "seed-xor": {"preset": "seed-xor"}}
    results: dict[tuple[str, str], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in (("baseline", BaselineServer), ("now", LiveServer)):
            for case, body in cases.items():
                with make(str(Path(tmp) / f"{name}-{case}.db")) as server:
                    results[name, case] = fill(server, body, args.seconds)
        with LiveServer(str(Path(tmp) / "undo-now.db")) as server:
            undo_now = undo_at_the_caps(server)
        with BaselineServer(str(Path(tmp) / "undo-base.db")) as server:
            undo_base = undo_at_the_caps(server)
    for case in cases:
        base, now = results["baseline", case], results["now", case]
        for name, r in (("baseline", base), ("now", now)):
            print(
                f"{case:9} {name:8}: {mb(r['rate'])}/s; {r['made']} networks made, "
                f"{r['refused']} refused (429); {r['per_network'] / 1e3:.1f} kB a network "
                f"with its step; a day at this rate: {r['rate'] * DAY / 1e9:.1f} GB"
            )
        ratio = now["rate"] / base["rate"]
        # a day of the loop: the limit's burst, then one creation every 60 / LIMIT seconds
        day_now = (LIMIT + DAY * LIMIT / 60) * now["per_network"]
        day_ratio = day_now / (base["rate"] * DAY)
        verdict = "meets" if day_ratio <= TARGET_RATIO else "MISSES"
        print(
            f"{case:9} growth now / baseline: {ratio:.4f} over {args.seconds:g} s (the "
            f"limit's burst of {LIMIT} included); over a day {day_ratio:.4f}: "
            f"{day_now / 1e9:.1f} GB against {base['rate'] * DAY / 1e9:.1f} GB ({verdict} "
            f"the target ≤ {TARGET_RATIO})"
        )
    print(
        f"largest network stepped 120 times (undo at its caps): now {mb(undo_now)}, "
        f"baseline {mb(undo_base)} ({undo_now / undo_base:.3f})"
    )


if __name__ == "__main__":
    main()
