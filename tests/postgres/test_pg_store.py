"""The PostgreSQL store itself: its schema (the SQLite v3 tables with PostgreSQL's types),
made once when several servers start together (the advisory lock); the change trigger's
notifications, as the notifier expects them; concurrent changes to one network, from
threads of one server and from two stores (as two servers), none lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.main import create_app
from app.service.pgschema import CHANNEL
from app.service.rows import prepare
from app.settings import Settings
from tests.support.api_helpers import JSON, checked
from tests.support.app_client import running
from tests.support.stores import rows

psycopg = pytest.importorskip("psycopg")
from app.service.pgstore import PostgresStore  # noqa: E402 (needs psycopg)

XOR = {"preset": "seed-xor"}


def opened(url: str, **kw) -> PostgresStore:
    store = PostgresStore(url, **kw)
    store.open()
    return store


def test_the_schema_is_made_once_by_servers_starting_together(pg_db):
    start = threading.Barrier(6)

    def open_one(_):
        start.wait()
        return opened(pg_db)

    with ThreadPoolExecutor(6) as pool:
        stores = list(pool.map(open_one, range(6)))
    for store in stores:
        store.ping()
        store.close()
    assert rows(pg_db, "SELECT key, value FROM meta ORDER BY key") == [
        ("application", "backprop-lab"),
        ("schema_version", "3"),
    ]
    types = dict(
        rows(
            pg_db,
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public'",
        )
    )
    assert types["networks.state"] == types["undo.state"] == types["data.body"] == "bytea"
    assert types["networks.version"] == types["networks.touched"] == "bigint"
    assert types["undo.seq"] == types["undo.bytes"] == "bigint"
    assert types["creations.tokens"] == types["creations.at"] == "double precision"
    assert types["networks.watch_id"] == types["networks.title"] == "text"


def test_the_trigger_notifies_each_new_version_and_each_deletion(pg_db):
    store = opened(pg_db)
    with psycopg.connect(pg_db, autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        with running(create_app(Settings(db=pg_db))) as client:
            nid = checked(client.post("/api/networks", json=XOR), 201)["id"]
            checked(client.post(f"/api/networks/{nid}/step", headers=JSON))
            checked(client.patch(f"/api/networks/{nid}", json={"title": "mine"}))
            rows(pg_db, "UPDATE networks SET touched = touched - 5000 WHERE id = ?", nid)
            assert client.delete(f"/api/networks/{nid}").status_code == 204
        got = [n.payload for n in listener.notifies(timeout=2, stop_after=3)]
    store.close()
    assert got == [f"{nid} 2", f"{nid} 3", f"{nid} -"]  # the touch was not a change


def test_steps_from_many_threads_on_one_network_are_all_kept(pg_db):
    with running(create_app(Settings(db=pg_db, db_pool=4))) as client:
        nid = checked(client.post("/api/networks", json=XOR), 201)["id"]
        step = f"/api/networks/{nid}/step"
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: client.post(step, headers=JSON), range(40)))
        assert [a.status_code for a in answers] == [200] * 40
        final = checked(client.get(f"/api/networks/{nid}"))
    assert final["iteration"] == 40 and final["version"] == 41
    assert sorted(a.json()["iteration"] for a in answers) == list(range(1, 41))
    assert rows(pg_db, "SELECT COUNT(*) FROM undo WHERE id = ?", nid) == [(40,)]


def test_two_stores_changing_one_network_lose_nothing(pg_db):
    """Two pools, as two server processes: `change` holds the row (FOR UPDATE), `commit`
    saves only on the version it was computed from."""
    a, b = opened(pg_db), opened(pg_db)
    first = a.insert({"n": 0}, {"inputs": [[0]], "targets": [[0]]})

    def bump(store: PostgresStore) -> None:
        for _ in range(15):
            with store.change(first.id) as ch:
                assert ch is not None
                ch.save({"n": ch.current.state["n"] + 1}, None)

    threads = [threading.Thread(target=bump, args=(s,)) for s in (a, b, a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    now = b.load(first.id)
    assert now is not None and now.state == {"n": 60} and now.version == 61
    stale = prepare(now.packed, {"n": -1}, None)
    assert a.commit(first.id, now.version - 1, stale) == now.version  # moved on: not saved
    saved = a.commit(first.id, now.version, stale)
    assert not isinstance(saved, int) and saved is not None and saved.version == now.version + 1
    assert b.load(first.id).state == {"n": -1}
    for store in (a, b):
        store.close()


def test_samples_stay_while_another_store_is_about_to_use_them(pg_db):
    """Store b deletes the only network using some samples while store a, in an open
    transaction, has just created a network with the same samples: b's deletion waits
    (the advisory lock named by their key), sees a's network, and keeps the samples."""
    from app.service import codec
    from app.service.rows import data_blob

    a, b = opened(pg_db), opened(pg_db)
    same = {"inputs": [[1.0]], "targets": [[0.0]]}
    only = b.insert({"n": 0}, same)
    key, body = data_blob(same)
    deleted = threading.Event()
    with a.transaction() as conn:
        a._put_data(conn, key, body)
        nid, _ = a._insert_row(conn, codec.encode(codec.Packed({"n": 1})), key, "")
        deleting = threading.Thread(target=lambda: (b.delete(only.id), deleted.set()))
        deleting.start()
        assert not deleted.wait(0.5)  # b waits for a's transaction
    deleting.join(5)
    assert deleted.is_set() and b.load(only.id) is None
    kept = b.load(nid)
    assert kept is not None and kept.data == same
    for store in (a, b):
        store.close()


def test_a_read_never_waits_for_the_touch_of_a_held_network(pg_db):
    """Marking a network used is bookkeeping: when another transaction holds its row the
    read goes on at once (the touch is skipped), and the next read after it makes it."""
    import time

    store = opened(pg_db)
    nid = store.insert({"n": 0}, {"inputs": [[0]], "targets": [[0]]}).id
    old = int(time.time()) - 30 * 86400
    rows(pg_db, "UPDATE networks SET touched=? WHERE id=?", old, nid)
    with psycopg.connect(pg_db) as holder:
        holder.execute("SELECT 1 FROM networks WHERE id=%s FOR UPDATE", (nid,))
        start = time.monotonic()
        assert store.load(nid) is not None
        assert time.monotonic() - start < 1
        assert rows(pg_db, "SELECT touched FROM networks WHERE id=?", nid) == [(old,)]
    assert store.load(nid) is not None
    (touched,) = rows(pg_db, "SELECT touched FROM networks WHERE id=?", nid)[0]
    assert time.time() - touched < 60
    store.close()
