"""Where networks live: the store's SQL, written once for both databases (`Store`), and
`SQLiteStore`, the store on an SQLite file in WAL mode (the PostgreSQL one:
app/service/pgstore.py).

Tables (app/service/schema.py): ``networks`` (the current state of each network, when it
was last used), ``undo`` (earlier states, each a compact delta from the state after it:
app/service/codec.py; at most `undo_levels` and about `undo_bytes` per network), ``data``
(samples, stored once per distinct content and shared by the states that use them) and
``creations`` (each client address's creation budget). A state is the engine's record
without its samples; the engine rebuilds the trace from it. Each network also has a watch
id (its read-only link: random and unique, unrelated to the id) and a title, beside its
state: a title is not undone, and a copy starts with its original's.

Every change runs in a write transaction that holds its network's row: SQLite's
``BEGIN IMMEDIATE`` takes the database's write lock, PostgreSQL's ``SELECT … FOR UPDATE``
(`LOCK`) the row's. Either the lock is taken before the state is read (`change`), so
concurrent changes are applied one after another, or the new state was computed outside
it and is saved only if the network's version is still the one it was computed from
(`commit`); either way no change is lost. Samples shared by several networks are kept
while any state uses them (`_hold_data` keeps a new use and a deletion of the last one
apart on PostgreSQL). The database's errors leave as Unavailable (503) naming the cause
(app/service/dberrors.py, app/service/pgerrors.py).

What a store last read or wrote of a network (its decoded state, by (id, version), used
only with the very bytes the request's own transaction reads; its samples, by content key)
is kept per process in bounded LRUs (app/service/recent.py), so that the next request on it
need not decode them again.

The SQL is the subset both dialects share: `?` placeholders (PostgreSQL's connection
wrapper turns them into its own), ``INSERT … ON CONFLICT``, ``length()`` of a blob.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from functools import cached_property
from typing import Any

from app.errors import TooMany, Unavailable
from app.service import codec, quota
from app.service.change import Change
from app.service.database import Database
from app.service.quota import too_many
from app.service.recent import Entry, Recent, entry
from app.service.rows import COLUMNS, ROW, Pending, Stored, data_blob, new_id, prepare
from app.service.schema import data_size, new_watch_id

TOUCH_SECONDS = 3600  # a read refreshes a network's last use at most this often
# The undo levels to cut (`Store._trim`), in one statement: newest first, level n (from 1)
# goes when n > undo_levels, or n > 1 and the levels 1..n hold more than undo_bytes;
# the newest of those (the others are older), its n, and how many levels there are.
TRIM = (
    "SELECT MAX(CASE WHEN over THEN seq END), MIN(CASE WHEN over THEN n END), COUNT(*) "
    "FROM (SELECT seq, n, (n > ? OR (n > 1 AND total > ?)) AS over FROM ("
    "SELECT seq, ROW_NUMBER() OVER (ORDER BY seq DESC) AS n, SUM(bytes) OVER (ORDER BY seq "
    "DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS total "
    "FROM undo WHERE id=?) AS levels) AS marked"
)
# How many levels there are and their bytes: when those are within undo_bytes, only the
# count can be over, and the level to cut from is found by its place (`OLDEST`), without
# TRIM's running totals over every level (most saves of a network in use cut one level)
LEVELS = "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM undo WHERE id=?"
OLDEST = "SELECT seq FROM undo WHERE id=? ORDER BY seq LIMIT 1 OFFSET ?"  # the (k+1)th oldest
# ROW without the state (NULL in its place): what a save computed outside the lock needs
HELD = "id, version, NULL, data_key, watch_id, title"
__all__ = ["Change", "Pending", "SQLiteStore", "Store", "Stored", "prepare"]


class Store:
    """The networks, over a database layer that gives `transaction` (one write
    transaction), `reading` and `write_if_free` (see the module's docstring)."""

    kind = ""  # "sqlite" or "postgresql"
    LOCK = ""  # after a SELECT of the rows a write transaction holds until it ends
    SKIP = ""  # after a SELECT of rows to delete, leaving out those another one holds
    undo_levels: int
    undo_bytes: int

    # ---- the database layer's (the first base class of SQLiteStore, PostgresStore) ----
    def transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def write_if_free(self, sql: str, params: tuple) -> None:
        raise NotImplementedError

    @cached_property
    def states(self) -> Recent[str, Entry]:
        """The state this store last read or wrote of each network, by id
        (app/service/recent.py)."""
        return Recent()

    @cached_property
    def samples(self) -> Recent[str, Entry]:
        """The samples it last read or wrote, by content key (which is its own match: equal
        keys, equal samples)."""
        return Recent()

    def _hold_data(self, conn, key: str) -> None:
        """Before a write transaction adds a use of samples `key` or deletes them: wait
        for any other one doing either (SQLite's write lock does this already)."""

    # ---- data blobs -----------------------------------------------------------------
    def _put_data(self, conn, key: str, blob: bytes) -> None:
        self._hold_data(conn, key)
        conn.execute("INSERT INTO data VALUES (?, ?) ON CONFLICT DO NOTHING", (key, blob))

    def _get_data(self, conn, key: str) -> dict:
        """The samples of content key `key`: as this process last read or wrote them if it
        did (a key is a digest of the samples' content: it names them exactly), else read."""
        known = self.samples.get(key, key)
        if known is not None:
            return known.record()
        row = conn.execute("SELECT body FROM data WHERE key=?", (key,)).fetchone()
        if row is None:
            raise Unavailable("the server's database is damaged: a network's samples are missing")
        body = bytes(row[0])
        data = codec.decode(body)
        self.keep_data(key, body, data)
        return data

    def keep_data(self, key: str, body: bytes, data: dict) -> None:
        """Remember that samples `key` are stored as `body`, which decodes to `data`."""
        kept = entry(data)
        self.samples.put(key, key, kept, kept.size + len(body))

    def _drop_data_if_unused(self, conn, key: str) -> None:
        self._hold_data(conn, key)
        used = conn.execute(
            "SELECT 1 FROM networks WHERE data_key=? UNION ALL "
            "SELECT 1 FROM undo WHERE data_key=? LIMIT 1",
            (key, key),
        ).fetchone()
        if not used:
            conn.execute("DELETE FROM data WHERE key=?", (key,))

    # ---- networks -------------------------------------------------------------------
    def creation_wait(self, client: str, per_minute: int) -> float:
        """Seconds until `client` may create a network (0: now)."""
        with self.reading() as conn:
            held = quota.tokens(conn, client, per_minute, time.time())
        return quota.wait_seconds(held, per_minute)

    def insert(
        self,
        state: dict,
        data: dict,
        client: str | None = None,
        per_minute: int = 0,
        checked: bool = False,
    ) -> Stored:
        """A new network; with `client` and `per_minute`, one of that address's creations
        (TooMany when it has none left). `checked`: as for rows.prepare."""
        packed = codec.Packed(state)
        blob = codec.encode(packed)
        key, body = data_blob(data)
        with self.transaction() as conn:
            self._take_creation(conn, client, per_minute)
            self._put_data(conn, key, body)
            nid, watch_id = self._insert_row(conn, blob, key, "")
        self.keep(nid, blob, state, packed, key if checked else "")
        self.keep_data(key, body, data)
        return Stored(nid, 1, state, data, watch_id=watch_id, blob=blob, data_key=key)

    def _take_creation(self, conn, client: str | None, per_minute: int) -> None:
        if client is not None and per_minute > 0:
            wait = quota.take(conn, client, per_minute, time.time(), self.LOCK)
            if wait:
                raise TooMany(too_many(per_minute, wait), retry_after=wait)

    def _insert_row(self, conn, blob: bytes, key: str, title: str) -> tuple[str, str]:
        """A new network's row at version 1: its (id, watch id), both new."""
        nid, watch_id = new_id(), new_watch_id()
        conn.execute(
            "INSERT INTO networks (id, version, state, data_key, touched, watch_id, title) "
            "VALUES (?, 1, ?, ?, ?, ?, ?)",
            (nid, blob, key, int(time.time()), watch_id, title),
        )
        return nid, watch_id

    def copy(self, key: str, by: str = "id", client: str | None = None, per_minute: int = 0):
        """A new network (new id and watch id) holding the current state, samples and title
        of the network whose `by` ("id" or "watch_id") is `key`, with no undo levels;
        None when there is no such network. The original is not touched."""
        with self.transaction() as conn:
            row = conn.execute(
                f"SELECT state, data_key, title FROM networks WHERE {COLUMNS[by]}=?{self.LOCK}",
                (key,),
            ).fetchone()  # held: its samples stay until the copy uses them too
            if row is None:
                return None
            self._take_creation(conn, client, per_minute)
            blob, data_key, title = row
            nid, watch_id = self._insert_row(conn, blob, data_key, title)
            return self.stored(conn, (nid, 1, blob, data_key, watch_id, title))

    def load(self, key: str, by: str = "id") -> Stored | None:
        """The network whose `by` ("id" or "watch_id") is `key`, or None."""
        with self.reading() as conn:
            row = conn.execute(
                f"SELECT {ROW}, touched, (SELECT COUNT(*) FROM undo WHERE undo.id=networks.id) "
                f"FROM networks WHERE {COLUMNS[by]}=?",
                (key,),
            ).fetchone()
            if row is None:
                return None
            stored = self.stored(conn, row[:6])
            stored.undo_depth = int(row[7])  # read with it, in the same transaction
        if time.time() - row[6] > TOUCH_SECONDS:
            self._touch(stored.id)
        return stored

    def stored(self, conn, row: tuple) -> Stored:
        """A row (ROW's columns) read into a Stored: the one place where a network's state
        is parsed."""
        nid, version, blob, data_key, watch_id, title = row
        blob = bytes(blob)
        known = self.states.get(nid, blob)
        if known is not None:
            state, packed, checked = known.record(), known.packed, known.checked
        else:
            state, packed = codec.decode_packed(blob)
            checked = ""
            self.keep(nid, blob, state, packed)
        if packed is not None:  # the next change packs its grown lists from it
            packed = packed.noting(state)
        data = self._get_data(conn, data_key)
        stored = Stored(nid, version, state, data, packed, watch_id, title, blob, data_key)
        stored.checked = bool(data_key) and checked == data_key
        return stored

    def keep(self, nid: str, blob: bytes, state: dict, packed, checked: str = "") -> None:
        """Remember that network `nid` is now stored as `blob`, which decodes to `state`
        (Packed: `packed`): its next read need not decode it. What was kept of its earlier
        versions goes (no read finds them again: app/service/recent.py; `checked`: see
        there)."""
        kept = entry(state, packed, checked)
        self.states.put(nid, blob, kept, len(blob) + kept.size)

    def accepted(self, stored: Stored) -> None:
        """The engine has accepted the state of `stored` with its samples
        (engine.from_record): what is kept of those very bytes is checked with those
        samples from now on."""
        key, blob = stored.id, stored.blob
        known = self.states.get(key, blob)
        if known is not None and stored.data_key and known.checked != stored.data_key:
            self.states.replace(key, blob, replace(known, checked=stored.data_key))

    def find(self, watch_id: str) -> tuple[str, int] | None:
        """(id, version) of the network with this watch id, or None: without its state."""
        with self.reading() as conn:
            row = conn.execute(
                "SELECT id, version FROM networks WHERE watch_id=?", (watch_id,)
            ).fetchone()
        return None if row is None else (row[0], int(row[1]))

    def _touch(self, nid: str) -> None:
        """Mark the network used now (for expiry), if the database lets us at once."""
        self.write_if_free("UPDATE networks SET touched=? WHERE id=?", (int(time.time()), nid))

    def delete(self, nid: str) -> bool:
        with self.transaction() as conn:
            return self.delete_in(conn, nid)

    def delete_in(self, conn, nid: str) -> bool:
        conn.execute(f"SELECT 1 FROM networks WHERE id=?{self.LOCK}", (nid,)).fetchall()
        keys = {
            r[0]
            for r in conn.execute(
                "SELECT data_key FROM networks WHERE id=? UNION SELECT data_key FROM undo "
                "WHERE id=?",
                (nid, nid),
            )
        }
        gone = conn.execute("DELETE FROM networks WHERE id=?", (nid,)).rowcount
        conn.execute("DELETE FROM undo WHERE id=?", (nid,))
        for key in keys:
            self._drop_data_if_unused(conn, key)
        return bool(gone)

    @contextmanager
    def change(self, nid: str):
        """Hold the write lock on the database; yield a Change for network `nid`, or None
        when there is no such network. Leaving the block commits; an exception rolls back."""
        with self.transaction() as conn:
            row = self._held_row(conn, nid)
            if row is None:
                yield None
                return
            yield Change(self, conn, row)

    def commit(self, nid: str, version: int, pending: Pending) -> Stored | int | None:
        """Save a change computed outside the lock from `version` of the network: the new
        Stored; or, when the network has moved on since, its version now (nothing saved);
        None when it was deleted."""
        with self.transaction() as conn:
            row = self._held_row(conn, nid, HELD)  # no state: only its version is compared
            if row is None:
                return None
            if row[1] != version:
                return int(row[1])
            return Change(self, conn, row).apply(pending)

    def _held_row(self, conn, nid: str, columns: str = ROW) -> tuple | None:
        """The network's row (ROW's columns, or `columns`), held until the transaction
        ends."""
        return conn.execute(
            f"SELECT {columns} FROM networks WHERE id=?{self.LOCK}", (nid,)
        ).fetchone()

    def _apply(self, conn, nid: str, version: int, old_key: str, pending: Pending) -> Stored:
        """Inside the write transaction: the state before goes onto the undo stack (as
        `pending.delta`), the new state into the network's row (its watch id and title
        stay: the caller's Stored gets them)."""
        key = old_key
        if pending.data_key is not None and pending.data_blob is not None:
            key = pending.data_key
            self._put_data(conn, key, pending.data_blob)
        top = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM undo WHERE id=?", (nid,)).fetchone()[
            0
        ]
        size = len(pending.delta) + data_size(conn, old_key, key)
        conn.execute(
            "INSERT INTO undo VALUES (?, ?, ?, ?, ?)", (nid, top + 1, pending.delta, old_key, size)
        )
        depth = self._trim(conn, nid, {old_key, key})
        conn.execute(
            "UPDATE networks SET version=?, state=?, data_key=?, touched=? WHERE id=?",
            (version + 1, pending.blob, key, int(time.time()), nid),
        )
        if key != old_key:
            self._drop_data_if_unused(conn, old_key)
        # data None: unchanged
        saved = Stored(nid, version + 1, pending.state, pending.data, blob=pending.blob)
        saved.data_key, saved.undo_depth = key, depth
        return saved

    def _trim(self, conn, nid: str, live: set[str]) -> int:
        """Keep the newest undo levels: at most `undo_levels`, and no more than `undo_bytes`
        together (the newest one always); the samples only they used go too (not those of
        `live` keys, which the network's row uses). Returns how many levels are left."""
        count, total = conn.execute(LEVELS, (nid,)).fetchone()
        if total <= self.undo_bytes:  # no running total is over: only the count can be
            if count <= self.undo_levels:
                return int(count)
            extra = int(count) - self.undo_levels  # the oldest `extra` levels go
            cut = conn.execute(OLDEST, (nid, extra - 1)).fetchone()[0]
            at = self.undo_levels + 1
        else:
            cut, at, count = conn.execute(TRIM, (self.undo_levels, self.undo_bytes, nid)).fetchone()
            if cut is None:
                return int(count)
        keys = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT data_key FROM undo WHERE id=? AND seq<=?", (nid, cut)
            )
        }
        conn.execute("DELETE FROM undo WHERE id=? AND seq<=?", (nid, cut))
        for key in keys - live:
            self._drop_data_if_unused(conn, key)
        return int(at) - 1

    def versions(self, ids: list[str]) -> dict[str, int]:
        """The version of each of these networks that exists."""
        marks = ",".join("?" * len(ids))
        with self.reading() as conn:
            rows = conn.execute(f"SELECT id, version FROM networks WHERE id IN ({marks})", ids)
            return {nid: int(version) for nid, version in rows}

    def undo_depth(self, nid: str) -> int:
        with self.reading() as conn:
            return conn.execute("SELECT COUNT(*) FROM undo WHERE id=?", (nid,)).fetchone()[0]

    # ---- expiry (app/service/upkeep.py) -----------------------------------------------
    def delete_unused(self, cutoff: float, batch: int) -> int:
        """Delete up to `batch` networks last used before `cutoff` (seconds since the
        epoch), in one transaction: how many went."""
        with self.transaction() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    f"SELECT id FROM networks WHERE touched < ? LIMIT ?{self.SKIP}",
                    (cutoff, batch),
                )
            ]
            for nid in ids:
                self.delete_in(conn, nid)
        return len(ids)

    def forget_full_budgets(self) -> None:
        """Drop the creation budgets that have refilled."""
        with self.transaction() as conn:
            quota.forget_full(conn, time.time())


class SQLiteStore(Database, Store):
    """The networks in an SQLite database (see the module's docstring)."""

    kind = "sqlite"

    def __init__(self, path: str, undo_levels: int = 100, undo_bytes: int = 4 << 20):
        Database.__init__(self, path)
        self.undo_levels = undo_levels
        self.undo_bytes = undo_bytes
