"""Makes tests/data/v1.db, a database of schema version 1 written by the app as it was
before schema version 2 (commit BASELINE), and tests/data/v1.json, what that app answered
about it: each network's state and, undoing one level at a time, its earlier states.

    python -m tests.support.v1_database   # from a clone with its history

The code of BASELINE runs from `git archive` in a temporary folder, through its own API
(in-process), so the file is exactly what that version writes."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

BASELINE = "d797ee3"  # the last commit with schema version 1
ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data"

SCRIPT = r"""
import json, shutil, sys
from app.main import create_app
from app.settings import Settings
from tests.support.app_client import AppClient

db, out = sys.argv[1], sys.argv[2]
client = AppClient(create_app(Settings(db=db)))
post = lambda url, body=None: client.post(url, **({} if body is None else {"json": body})).json()
made = {}
xor = post("/api/networks", {"preset": "seed-xor"})["id"]
for action in ("forward", "step", "step", "undo", "step"):
    post(f"/api/networks/{xor}/{action}")
post(f"/api/networks/{xor}/train", {"iterations": 40})
post(f"/api/networks/{xor}/forward")
made["seed-xor"] = xor
small = {"name": "circle", "samples": 24}
body = {"preset": "circle-tanh", "optimizer": "adam", "test_split": 0.25, "dataset": small}
adam = post("/api/networks", body)["id"]
for _ in range(3):
    post(f"/api/networks/{adam}/step")
client.patch(f"/api/networks/{adam}", json={"learning_rate": 0.05})
post(f"/api/networks/{adam}/regenerate", {"dataset": {"name": "circle", "samples": 20, "seed": 7}})
post(f"/api/networks/{adam}/step")
made["circle-adam"] = adam
worked = post("/api/networks", {"preset": "worked-example"})["id"]
made["worked-example"] = worked
twin = post("/api/networks", {"preset": "worked-example"})["id"]  # shares its data blob
post(f"/api/networks/{twin}/step")
made["worked-twin"] = twin
expected = {}
for name, nid in made.items():
    states = [client.get(f"/api/networks/{nid}").json()]
    expected[name] = {"id": nid, "states": states}
client.close()
import sqlite3
sqlite3.connect(db).execute("PRAGMA wal_checkpoint(TRUNCATE)")
shutil.copy(db, db + ".copy")  # undo to the bottom on a copy: the file stays as written
check = AppClient(create_app(Settings(db=db + ".copy")))
for name, nid in made.items():
    while True:
        r = check.post(f"/api/networks/{nid}/undo")
        if r.status_code != 200:
            break
        expected[name]["states"].append(r.json())
check.close()
json.dump(expected, open(out, "w"), separators=(",", ":"))
"""


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", BASELINE], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        db = Path(tmp) / "v1.db"
        subprocess.run(
            [sys.executable, "-c", SCRIPT, str(db), str(OUT / "v1.json")], cwd=tmp, check=True
        )
        con = __import__("sqlite3").connect(db)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        con.execute("VACUUM")
        con.close()
        (OUT / "v1.db").write_bytes(db.read_bytes())
    print(f"wrote {OUT / 'v1.db'} and {OUT / 'v1.json'}")


if __name__ == "__main__":
    main()
