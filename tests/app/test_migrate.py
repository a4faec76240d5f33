"""`backprop-lab migrate`: every network, its undo history and samples copied exactly and
verified; a second run copies nothing twice; conflicts and bad sources are refused with a
message. The source is built through the service (creations, steps, edits, undos, titles,
copies sharing samples), so the rows copied are the ones the app writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import engine
from app.cli import main as cli
from app.service import transfer
from app.service.lab import LabService
from app.service.store import SQLiteStore
from app.service.stores import open_store
from app.settings import Settings

PRESETS = [p["name"] for p in engine.preset_summaries()]


def build_source(path: str, n: int) -> list[str]:
    """`n` networks of mixed presets with undo levels, new samples, titles and copies."""
    store = SQLiteStore(path)
    service = LabService(store, Settings(db=path, create_per_minute=0))
    ids = []
    for i in range(n):
        if i % 10 == 9:  # a copy: the same samples as its original, no undo
            ids.append(service.copy(ids[-1]).id)
            continue
        snap = service.create({"preset": PRESETS[i % len(PRESETS)]})
        for _ in range(i % 4):
            service.step(snap.id)
        if i % 3 == 0:
            service.regenerate(snap.id, test_split=0.25)
        if i % 5 == 0 and store.undo_depth(snap.id):
            service.undo(snap.id)
        service.set_title(snap.id, f"network {i} — «{i}»")
        ids.append(snap.id)
    store.close()
    return ids


def raw(path: str) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {
            "networks": conn.execute(
                f"SELECT {transfer.NETWORK} FROM networks ORDER BY id"
            ).fetchall(),
            "undo": conn.execute(
                f"SELECT id, {transfer.UNDO} FROM undo ORDER BY id, seq"
            ).fetchall(),
            "data": conn.execute("SELECT key, body FROM data ORDER BY key").fetchall(),
        }
    finally:
        conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str:
    """Where to migrate: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "to.db")
    return request.getfixturevalue("pg_db")


def test_migrate_copies_every_network_exactly_and_says_so(tmp_path, capsys, target):
    source, back = str(tmp_path / "from.db"), str(tmp_path / "back.db")
    ids = build_source(source, 100)
    cli(["migrate", "--from", source, "--to", target])
    out = capsys.readouterr().out
    rows = raw(source)
    assert len(rows["networks"]) == 100 and len(rows["undo"]) > 50
    assert f"100 network(s) with {len(rows['undo'])} undo level(s)" in out
    assert "100 copied, 0 there already" in out and "verified" in out
    # the round trip: back from the target into a new file, every row byte for byte
    if target.endswith(".db"):
        assert raw(target) == rows
    else:
        cli(["migrate", "--from", target, "--to", back])
        assert "100 copied, 0 there already" in capsys.readouterr().out
        assert raw(back) == rows
    # and the copies work: each loads with the original's state, undo and watch id
    a, b = SQLiteStore(source), open_store(Settings(db=target))
    for nid in ids[::7]:
        x, y = a.load(nid), b.load(nid)
        assert (y.version, y.state, y.data, y.watch_id, y.title) == (
            x.version,
            x.state,
            x.data,
            x.watch_id,
            x.title,
        )
        assert b.undo_depth(nid) == a.undo_depth(nid)
    a.close(), b.close()


def test_a_second_run_copies_nothing_twice(tmp_path, capsys, target):
    source = str(tmp_path / "from.db")
    build_source(source, 12)
    cli(["migrate", "--from", source, "--to", target])
    cli(["migrate", "--from", source, "--to", target])
    out = capsys.readouterr().out
    assert "0 copied, 12 there already" in out
    store = open_store(Settings(db=target))
    assert transfer.counts(store) == transfer.counts(SQLiteStore(source))
    store.close()


def test_a_different_network_under_the_same_id_is_a_conflict_and_not_overwritten(tmp_path, capsys):
    source, target = str(tmp_path / "from.db"), str(tmp_path / "to.db")
    ids = build_source(source, 3)
    cli(["migrate", "--from", source, "--to", target])
    store = SQLiteStore(source)
    LabService(store, Settings(db=source)).step(ids[0])  # the source moves on
    store.close()
    store = open_store(Settings(db=target))
    kept = transfer.read(store, ids[0])
    with pytest.raises(SystemExit) as e:
        cli(["migrate", "--from", source, "--to", target])
    assert e.value.code == 1
    err = capsys.readouterr().err
    assert "1 network(s) not copied" in err and ids[0] in err
    assert transfer.read(store, ids[0]) == kept
    store.close()


def test_checksum_sees_every_part_of_a_network(tmp_path):
    path = str(tmp_path / "a.db")
    nid = build_source(path, 2)[1]
    rows = transfer.read(SQLiteStore(path), nid)
    base = rows.checksum()
    changed = [
        transfer.NetworkRows((*rows.network[:6], rows.network[6] + "x"), rows.undo, rows.data),
        transfer.NetworkRows(rows.network, rows.undo[:-1], rows.data),
        transfer.NetworkRows(rows.network, rows.undo, {k: v + b"\0" for k, v in rows.data.items()}),
        transfer.NetworkRows(
            (*rows.network[:4], rows.network[4] + 1, *rows.network[5:]), rows.undo, rows.data
        ),
    ]
    assert rows.undo, "the network needs undo levels for this test"
    assert all(c.checksum() != base for c in changed)


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: None, "no such file"),
        (lambda p: Path(p).write_text("not a database" * 10), "is not an SQLite database"),
    ],
)
def test_a_source_that_is_not_a_database_is_refused(tmp_path, capsys, make, said):
    source = str(tmp_path / "from.db")
    make(source)
    with pytest.raises(SystemExit) as e:
        cli(["migrate", "--from", source, "--to", str(tmp_path / "to.db")])
    assert e.value.code == 2
    assert said in capsys.readouterr().err
    assert not (tmp_path / "to.db").exists() or raw(str(tmp_path / "to.db"))["networks"] == []
