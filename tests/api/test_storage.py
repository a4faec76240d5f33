"""Bounded storage: schema version 2 upgrades a version-1 database in place; undo is capped
in bytes as well as levels; unused networks expire (periodically, and with `backprop-lab
gc`, which returns the space); one address may create only so many networks a minute,
across worker processes; the create-then-step loop stays within its size bound. The
store's rules run on both stores (`database`: SQLite and PostgreSQL); the file's upgrade
and sizes are SQLite's alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.service.schema import SCHEMA_VERSION
from app.service.stores import store_kind
from app.settings import Settings
from tests.support.api_helpers import JSON, checked
from tests.support.app_client import AppClient, running
from tests.support.floats import same_value
from tests.support.networks import LARGEST
from tests.support.stores import age, rows

DATA = Path(__file__).resolve().parents[1] / "data"


def app_client(db: str, **settings) -> AppClient:
    return AppClient(create_app(Settings(db=db, **settings)))


def closed(client: AppClient) -> None:
    client.close()
    client.app.state.service.store.close()


# The conventions came after the version-1 file was written: its networks have the defaults.
DEFAULTS = {
    "bias": "trained",
    "reduction": "mean",
    "batch_size": None,
    "shuffle": True,
    "regularization": "none",
    "regularization_rate": 0.0,
}


def assert_carries(now, then, name: str, path: str = "") -> None:
    """`now` answers everything `then` (the earlier app's answer) did, with the same
    values (floats to the last bits: tests/support/floats.py; fields added since are
    checked apart); and the conventions are the defaults."""
    if isinstance(then, dict):
        assert isinstance(now, dict), (name, path)
        for key, value in then.items():
            assert key in now, (name, f"{path}.{key}")
            assert_carries(now[key], value, name, f"{path}.{key}")
        if not path:
            assert {k: now[k] for k in DEFAULTS} == DEFAULTS, name
            assert now["epoch"] >= 1 and now["batch"] == list(range(len(now["inputs"]))), name
        return
    if isinstance(then, list) and then and isinstance(then[0], dict):
        assert isinstance(now, list) and len(now) == len(then), (name, path)
        for i, (a, b) in enumerate(zip(now, then)):
            assert_carries(a, b, name, f"{path}[{i}]")
        return
    assert same_value(then, now), (name, path, then, now)


@pytest.mark.sqlite_only
def test_a_version_1_database_is_upgraded_in_place(tmp_path):
    """tests/data/v1.db was written by the app before schema version 2 (see
    tests/support/v1_database.py); every network, and every undo level below it, comes back
    exactly as that app answered."""
    db = tmp_path / "v1.db"
    shutil.copy(DATA / "v1.db", db)
    expected = json.loads((DATA / "v1.json").read_text())
    with running(create_app(Settings(db=str(db)))) as client:
        assert rows(str(db), "SELECT value FROM meta WHERE key='schema_version'") == [
            (str(SCHEMA_VERSION),)
        ]
        for name, net in expected.items():
            states = net["states"]
            now = checked(client.get(f"/api/networks/{net['id']}"))
            assert_carries(now, states[0], name)
            for earlier in states[1:]:
                undone = checked(client.post(f"/api/networks/{net['id']}/undo", headers=JSON))
                for key in ("version", "undo_levels"):
                    undone.pop(key), earlier.pop(key)  # an undo is a change: version + 1
                assert_carries(undone, earlier, name)
            refused = client.post(f"/api/networks/{net['id']}/undo", headers=JSON)
            assert refused.status_code == 409, name
    kinds = rows(str(db), "SELECT DISTINCT typeof(state) FROM networks")
    assert kinds == [("blob",)]


def test_undo_is_capped_in_bytes_beside_levels(database):
    cap = 4000
    client = app_client(database, undo_bytes=cap)
    try:
        nid = checked(client.post("/api/networks", json={"preset": "circle-tanh"}), 201)["id"]
        step = f"/api/networks/{nid}/step"
        answers = [checked(client.post(step, headers=JSON)) for _ in range(60)]
        levels = answers[-1]["undo_levels"]
        sizes = rows(client.app.state.settings.db, "SELECT bytes FROM undo WHERE id=?", nid)
        assert 1 < levels == len(sizes) < 60 and sum(s for (s,) in sizes) <= cap
        for back in range(1, levels + 1):
            undone = checked(client.post(f"/api/networks/{nid}/undo", headers=JSON))
            assert undone["weights"] == answers[-1 - back]["weights"]
        assert client.post(f"/api/networks/{nid}/undo", headers=JSON).status_code == 409
    finally:
        closed(client)


def test_the_newest_undo_level_is_kept_whatever_its_size(database):
    client = app_client(database, undo_bytes=1)
    try:
        nid = checked(client.post("/api/networks", json={"preset": "seed-xor"}), 201)["id"]
        for _ in range(3):
            state = checked(client.post(f"/api/networks/{nid}/step", headers=JSON))
        assert state["undo_levels"] == 1
        assert checked(client.post(f"/api/networks/{nid}/undo", headers=JSON))["iteration"] == 2
    finally:
        closed(client)


def large_networks(db: str, n: int = 4) -> list[str]:
    """`n` of the largest networks, each stepped once (an undo level)."""
    with running(create_app(Settings(db=db))) as client:  # its end checkpoints the WAL
        old = [checked(client.post("/api/networks", json=LARGEST), 201)["id"] for _ in range(n)]
        for nid in old:
            checked(client.post(f"/api/networks/{nid}/step", headers=JSON))
    return old


def test_gc_deletes_networks_unused_for_the_days_and_returns_the_space(database):
    """SQLite's file shrinks (VACUUM); on PostgreSQL, whose files keep their size, every
    table of ours is VACUUMed (its free space is then used again)."""
    db = database
    old = large_networks(db)
    with running(create_app(Settings(db=db))) as client:
        kept = checked(client.post("/api/networks", json={"preset": "seed-xor"}), 201)["id"]
    for nid in old:
        age(db, nid, 91)
    before, vacuumed = on_disk(db), vacuums(db)
    command = [sys.executable, "-m", "app", "gc", "--db", db]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "deleted 4 network(s) unused for 90 days" in done.stdout
    after = on_disk(db)
    assert rows(db, "SELECT id FROM networks") == [(kept,)]
    assert rows(db, "SELECT COUNT(*) FROM undo WHERE id != ?", kept) == [(0,)]
    used = rows(db, "SELECT COUNT(*) FROM data WHERE key NOT IN (SELECT data_key FROM networks)")
    assert used == [(0,)]
    zero = subprocess.run([*command, "--days", "0"], capture_output=True, text=True, timeout=60)
    assert "deleted 0 network(s)" in zero.stdout and rows(db, "SELECT id FROM networks") == [
        (kept,)
    ]
    if store_kind(db) == "sqlite":
        assert after < before / 3, (before, after)
    else:
        assert vacuumed == dict.fromkeys(PG_TABLES, 0)
        assert vacuums(db) == dict.fromkeys(PG_TABLES, 2)  # the two gc runs


PG_TABLES = ("meta", "networks", "undo", "data", "creations")


def vacuums(db: str) -> dict[str, int]:
    """How often each PostgreSQL table was VACUUMed by hand ({} on SQLite)."""
    if store_kind(db) == "sqlite":
        return {}
    found = rows(db, "SELECT relname, vacuum_count FROM pg_stat_user_tables")
    return {name: int(count) for name, count in found if name in PG_TABLES}


def on_disk(db: str) -> int:
    """The store's bytes on disk: the SQLite file (checkpointed), or PostgreSQL's tables
    with their indexes and TOAST (after VACUUM, which the gc command runs)."""
    if store_kind(db) == "sqlite":
        return Path(db).stat().st_size
    sizes = " + ".join(f"pg_total_relation_size('{t}')" for t in PG_TABLES)
    return int(rows(db, f"SELECT {sizes}")[0][0])


def test_the_server_expires_unused_networks_by_itself(database):
    settings = Settings(db=database, expire_days=1, gc_seconds=0.2)
    with running(create_app(settings)) as client:
        old = client.post("/api/networks", json={"preset": "seed-xor"}).json()["id"]
        new = client.post("/api/networks", json={"preset": "seed-xor"}).json()["id"]
        age(settings.db, old, 2)
        deadline = time.monotonic() + 10
        while rows(settings.db, "SELECT 1 FROM networks WHERE id=?", old):  # (a GET would use it)
            assert time.monotonic() < deadline, "the old network was not expired"
            time.sleep(0.1)
        assert client.get(f"/api/networks/{old}").status_code == 404
        assert client.get(f"/api/networks/{new}").status_code == 200


def test_a_read_keeps_a_network_from_expiring(database):
    client = app_client(database)
    db = client.app.state.settings.db
    try:
        nid = checked(client.post("/api/networks", json={"preset": "seed-xor"}), 201)["id"]
        age(db, nid, 30)
        checked(client.get(f"/api/networks/{nid}"))
        (touched,) = rows(db, "SELECT touched FROM networks WHERE id=?", nid)[0]
        assert time.time() - touched < 60
    finally:
        closed(client)


def test_one_address_creates_at_most_the_limit_a_minute(database):
    client = app_client(database, create_per_minute=3)
    try:
        for _ in range(3):
            checked(client.post("/api/networks", json={"preset": "seed-xor"}), 201)
        refused = client.post("/api/networks", json={"preset": "seed-xor"})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 20
        assert "at most 3 a minute" in refused.json()["detail"]
        page = client.post("/presets/seed-xor")  # the start page's buttons count too
        assert page.status_code == 429 and "at most 3 a minute" in page.text
        assert rows(client.app.state.settings.db, "SELECT COUNT(*) FROM networks") == [(3,)]
    finally:
        closed(client)


def test_the_creation_limit_holds_across_worker_processes(live_server):
    url = live_server(workers=2, env={"BACKPROP_LAB_CREATE_PER_MINUTE": "5"})
    statuses = []
    for _ in range(12):  # a new connection each time: both workers answer some
        with httpx.Client(base_url=url) as http:
            statuses.append(http.post("/api/networks", json={"preset": "seed-xor"}).status_code)
    assert statuses.count(201) == 5 and statuses.count(429) == 7, statuses


@pytest.mark.sqlite_only  # the file's size
@pytest.mark.parametrize(
    "network,per_minute,loops", [(LARGEST, 6, 10), ({"preset": "seed-xor"}, 60, 80)]
)
def test_the_create_then_step_loop_stays_within_its_size_bound(
    tmp_path, network, per_minute, loops
):
    """The loop that filled 1 GB a minute: creations stop at the limit a minute (429, with
    tokens coming back at the limit's rate), and each network with its step stays under
    the bound the README gives for the largest network with one undo level (150 kB)."""
    db = tmp_path / "lab.db"
    settings = Settings(db=str(db), create_per_minute=per_minute)
    with running(create_app(settings)) as client:
        statuses, start = [], time.monotonic()
        for _ in range(loops):
            created = client.post("/api/networks", json=network)
            statuses.append(created.status_code)
            if created.status_code == 201:
                checked(client.post(f"/api/networks/{created.json()['id']}/step", headers=JSON))
        refilled = (time.monotonic() - start) * per_minute / 60
        assert set(statuses) == {201, 429}
        assert per_minute <= statuses.count(201) <= per_minute + refilled + 1
    schema = 64 * 1024  # the empty database's pages
    assert db.stat().st_size < schema + statuses.count(201) * 150_000, db.stat().st_size
