"""Copying networks from one store to another row for row (`backprop-lab migrate`,
app/migrate.py): each network's row, its undo levels and the samples they use, as stored
(the blobs are the same codec in every store), so the copy is the network itself: same
id, watch id, title, version, undo history and last use.

A network is read in one read transaction of the source and written in one write
transaction of the target, so a copy never holds half a network. A network the target
holds already is left alone when it is the same (a second run after an interrupted one
carries on), and reported as a conflict when it differs. `checksum` digests everything
that is copied, the same way in both stores: the copy is verified by reading it back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

NETWORK = "id, version, state, data_key, touched, watch_id, title"
UNDO = "seq, state, data_key, bytes"
BATCH = 200  # ids read at a time


@dataclass(frozen=True)
class NetworkRows:
    """One network as stored: its row (NETWORK's columns), its undo levels (UNDO's, oldest
    first) and the body of every sample set they name, by key."""

    network: tuple
    undo: list[tuple]
    data: dict[str, bytes]

    @property
    def id(self) -> str:
        return self.network[0]

    def checksum(self) -> str:
        """SHA-256 over every value, each tagged with its type and length."""
        h = hashlib.sha256()
        for value in (*self.network, *(v for level in self.undo for v in level)):
            _feed(h, value)
        for key in sorted(self.data):
            _feed(h, key)
            _feed(h, self.data[key])
        return h.hexdigest()


def _feed(h, value) -> None:
    raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
    tag = b"b" if isinstance(value, bytes | memoryview) else type(value).__name__[:1].encode()
    h.update(tag + len(raw).to_bytes(8, "big") + raw)


def ids(store) -> Iterator[str]:
    """Every network's id, in order, a batch at a time (the store may change meanwhile)."""
    after = ""
    while True:
        with store.reading() as conn:
            batch = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM networks WHERE id > ? ORDER BY id LIMIT ?", (after, BATCH)
                ).fetchall()
            ]
        yield from batch
        if len(batch) < BATCH:
            return
        after = batch[-1]


def read(store, nid: str) -> NetworkRows | None:
    """Network `nid` as stored, or None when there is none."""
    with store.reading() as conn:
        return read_in(conn, nid)


def read_in(conn, nid: str) -> NetworkRows | None:
    row = conn.execute(f"SELECT {NETWORK} FROM networks WHERE id = ?", (nid,)).fetchone()
    if row is None:
        return None
    undo = conn.execute(f"SELECT {UNDO} FROM undo WHERE id = ? ORDER BY seq", (nid,)).fetchall()
    keys = sorted({row[3], *(level[2] for level in undo)})
    data = {}
    for key in keys:
        body = conn.execute("SELECT body FROM data WHERE key = ?", (key,)).fetchone()
        if body is not None:
            data[key] = bytes(body[0])
    network = (*row[:2], bytes(row[2]), *row[3:])
    return NetworkRows(network, [(s, bytes(b), k, n) for s, b, k, n in undo], data)


Outcome = Literal["copied", "same", "conflict"]


def write(store, rows: NetworkRows) -> Outcome:
    """Put the network into `store`, as it is: "copied"; "same" when the store holds it
    already, identical; "conflict" when it holds a different network of that id or watch
    id (nothing is written)."""
    with store.transaction() as conn:
        there = read_in(conn, rows.id)
        if there is not None:
            return "same" if there.checksum() == rows.checksum() else "conflict"
        watch_id = rows.network[5]
        if conn.execute("SELECT 1 FROM networks WHERE watch_id = ?", (watch_id,)).fetchone():
            return "conflict"
        for key, body in rows.data.items():
            conn.execute(
                "INSERT INTO data (key, body) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (key, body),
            )
        conn.execute(f"INSERT INTO networks ({NETWORK}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows.network)
        for level in rows.undo:
            conn.execute(f"INSERT INTO undo (id, {UNDO}) VALUES (?, ?, ?, ?, ?)", (rows.id, *level))
    return "copied"


@dataclass
class Report:
    networks: int = 0  # networks in the source
    undo: int = 0  # their undo levels
    data: int = 0  # the sample sets they use
    copied: int = 0
    same: int = 0  # held by the target already, identical
    conflicts: list[str] = field(default_factory=list)  # ids the target holds differently
    mismatched: list[str] = field(default_factory=list)  # ids whose copy reads back different
    keys: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.mismatched


def copy_all(source, target, progress=None) -> Report:
    """Copy every network of `source` into `target`, then read each copy back and compare
    its checksum with the original's (`progress(done, report)` after each network)."""
    report = Report()
    for nid in ids(source):
        rows = read(source, nid)
        if rows is None:  # deleted while copying
            continue
        outcome = write(target, rows)
        report.networks += 1
        report.undo += len(rows.undo)
        report.keys.update(rows.data)
        if outcome == "conflict":
            report.conflicts.append(nid)
        else:
            report.copied += outcome == "copied"
            report.same += outcome == "same"
            back = read(target, nid)
            if back is None or back.checksum() != rows.checksum():
                report.mismatched.append(nid)
        if progress is not None:
            progress(report.networks, report)
    report.data = len(report.keys)
    return report


def counts(store) -> tuple[int, int, int]:
    """(networks, undo levels, sample sets) in the store."""
    with store.reading() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in ("networks", "undo", "data")
        )
