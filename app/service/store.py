"""Where networks live: SQLite through the standard library, in WAL mode.

Tables (app/service/schema.py): ``networks`` (the current state of each network, when it
was last used), ``undo`` (earlier states, each a compact delta from the state after it:
app/service/codec.py; at most `undo_levels` and about `undo_bytes` per network), ``data``
(samples, stored once per distinct content and shared by the states that use them) and
``creations`` (each client address's creation budget). A state is the engine's record
without its samples; the engine rebuilds the trace from it.

Every change runs in ``BEGIN IMMEDIATE``: either the write lock is taken before the state
is read (`change`), so concurrent changes are applied one after another, or the new state
was computed outside it and is saved only if the network's version is still the one it
was computed from (`commit`); either way no change is lost. SQLite's errors leave as
Unavailable (503) naming the cause (app/service/dberrors.py).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass

from app.errors import TooMany, Unavailable
from app.service import codec, quota
from app.service.database import Database
from app.service.quota import too_many
from app.service.schema import data_size

TOUCH_SECONDS = 3600  # a read refreshes a network's last use at most this often


@dataclass
class Stored:
    id: str
    version: int
    state: dict  # the engine's record (engine.to_record) without its samples
    data: dict | None  # the samples {"inputs", "targets"[, "test_inputs", "test_targets"]}
    packed: codec.Packed | None = None  # the state as read from its blob (for the next delta)


@dataclass
class Pending:
    """A change ready to save, encoded outside the write lock: the new state, its blob, the
    state before it as a delta from it, and new samples (None: the samples stay)."""

    state: dict
    blob: bytes
    delta: bytes
    data: dict | None
    data_key: str | None
    data_blob: bytes | None


def new_id() -> str:
    """144 random bits, URL-safe: the network's only key and its share link."""
    return secrets.token_urlsafe(18)


def data_blob(data: dict) -> tuple[str, bytes]:
    """(content key, compact blob) of samples: equal samples get equal keys."""
    return hashlib.sha256(codec.encode_json(data)).hexdigest(), codec.encode(codec.Packed(data))


def prepare(before: codec.Packed, state: dict, data: dict | None) -> Pending:
    """Encode a change from `before` to `state` (and samples `data`, None: unchanged)."""
    packed = codec.Packed(state)
    key, blob = data_blob(data) if data is not None else (None, None)
    delta = codec.encode(before, packed)
    return Pending(state, codec.encode(packed), delta, data, key, blob)


class SQLiteStore(Database):
    """The networks in an SQLite database (see the module's docstring)."""

    def __init__(self, path: str, undo_levels: int = 100, undo_bytes: int = 4 << 20):
        super().__init__(path)
        self.undo_levels = undo_levels
        self.undo_bytes = undo_bytes

    # ---- data blobs -----------------------------------------------------------------
    def _put_data(self, conn, key: str, blob: bytes) -> None:
        conn.execute("INSERT OR IGNORE INTO data VALUES (?, ?)", (key, blob))

    def _get_data(self, conn, key: str) -> dict:
        row = conn.execute("SELECT body FROM data WHERE key=?", (key,)).fetchone()
        if row is None:
            raise Unavailable("the server's database is damaged: a network's samples are missing")
        return codec.decode(row[0])

    def _drop_data_if_unused(self, conn, key: str) -> None:
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
        self, state: dict, data: dict, client: str | None = None, per_minute: int = 0
    ) -> Stored:
        """A new network; with `client` and `per_minute`, one of that address's creations
        (TooMany when it has none left)."""
        blob = codec.encode(codec.Packed(state))
        key, body = data_blob(data)
        with self.transaction() as conn:
            now = time.time()
            if client is not None and per_minute > 0:
                wait = quota.take(conn, client, per_minute, now)
                if wait:
                    raise TooMany(too_many(per_minute, wait), retry_after=wait)
            nid = new_id()
            self._put_data(conn, key, body)
            conn.execute("INSERT INTO networks VALUES (?, 1, ?, ?, ?)", (nid, blob, key, int(now)))
        return Stored(nid, 1, state, data)

    def load(self, nid: str) -> Stored | None:
        with self.reading() as conn:
            row = conn.execute(
                "SELECT version, state, data_key, touched FROM networks WHERE id=?", (nid,)
            ).fetchone()
            if row is None:
                return None
            stored = self.stored(conn, nid, *row[:3])
        if time.time() - row[3] > TOUCH_SECONDS:
            self._touch(nid)
        return stored

    def stored(self, conn, nid: str, version: int, blob: bytes, data_key: str) -> Stored:
        """A row read into a Stored: the one place where a network's state is parsed."""
        state, packed = codec.decode_packed(blob)
        return Stored(nid, version, state, self._get_data(conn, data_key), packed)

    def _touch(self, nid: str) -> None:
        """Mark the network used now (for expiry), if the database lets us at once."""
        self.write_if_free("UPDATE networks SET touched=? WHERE id=?", (int(time.time()), nid))

    def delete(self, nid: str) -> bool:
        with self.transaction() as conn:
            return self.delete_in(conn, nid)

    def delete_in(self, conn, nid: str) -> bool:
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
            row = conn.execute(
                "SELECT version, state, data_key FROM networks WHERE id=?", (nid,)
            ).fetchone()
            if row is None:
                yield None
                return
            yield Change(self, conn, nid, row)

    def commit(self, nid: str, version: int, pending: Pending) -> Stored | int | None:
        """Save a change computed outside the lock from `version` of the network: the new
        Stored; or, when the network has moved on since, its version now (nothing saved);
        None when it was deleted."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT version, data_key FROM networks WHERE id=?", (nid,)
            ).fetchone()
            if row is None:
                return None
            if row[0] != version:
                return int(row[0])
            return self._apply(conn, nid, version, row[1], pending)

    def _apply(self, conn, nid: str, version: int, old_key: str, pending: Pending) -> Stored:
        """Inside the write transaction: the state before goes onto the undo stack (as
        `pending.delta`), the new state into the network's row."""
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
        self._trim(conn, nid)
        conn.execute(
            "UPDATE networks SET version=?, state=?, data_key=?, touched=? WHERE id=?",
            (version + 1, pending.blob, key, int(time.time()), nid),
        )
        if key != old_key:
            self._drop_data_if_unused(conn, old_key)
        return Stored(nid, version + 1, pending.state, pending.data)  # data None: unchanged

    def _trim(self, conn, nid: str) -> None:
        """Keep the newest undo levels: at most `undo_levels`, and no more than `undo_bytes`
        together (the newest one always)."""
        kept, total, cut = 0, 0, None
        for seq, size in conn.execute(
            "SELECT seq, bytes FROM undo WHERE id=? ORDER BY seq DESC", (nid,)
        ):
            if kept >= self.undo_levels or (kept and total + size > self.undo_bytes):
                cut = seq
                break
            kept, total = kept + 1, total + size
        if cut is None:
            return
        keys = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT data_key FROM undo WHERE id=? AND seq<=?", (nid, cut)
            )
        }
        conn.execute("DELETE FROM undo WHERE id=? AND seq<=?", (nid, cut))
        for key in keys:
            self._drop_data_if_unused(conn, key)

    def undo_depth(self, nid: str) -> int:
        with self.reading() as conn:
            return conn.execute("SELECT COUNT(*) FROM undo WHERE id=?", (nid,)).fetchone()[0]


class Change:
    """One network's row inside a write transaction. Its state is parsed only when asked
    for (`current`): a caller that already holds this version need not read it again."""

    def __init__(self, store: SQLiteStore, conn, nid: str, row):
        self.store, self.conn, self.id = store, conn, nid
        self.version, self._blob, self.data_key = row[0], row[1], row[2]
        self._current: Stored | None = None

    @property
    def current(self) -> Stored:
        if self._current is None:
            self._current = self.store.stored(
                self.conn, self.id, self.version, self._blob, self.data_key
            )
        return self._current

    def _packed(self) -> codec.Packed:
        """The row's state as a Packed record: the one read already (not changed since: a
        Packed is its own), else decoded from the row."""
        if self._current is not None and self._current.packed is not None:
            return self._current.packed
        return codec.decode_packed(self._blob)[1]

    def save(self, state: dict, data: dict | None, before: codec.Packed | None = None) -> Stored:
        """Write the new state (version + 1), with new samples `data` (None: the samples
        stay as they are); the old state (`before`, Packed, if the caller holds it, else the
        row's) goes onto the undo stack."""
        old = before if before is not None else self._packed()
        pending = prepare(old, state, data)
        return self.store._apply(self.conn, self.id, self.version, self.data_key, pending)

    def undo(self) -> Stored | None:
        """Bring back the latest earlier state (version + 1); None when there is none."""
        conn = self.conn
        row = conn.execute(
            "SELECT seq, state, data_key FROM undo WHERE id=? ORDER BY seq DESC LIMIT 1", (self.id,)
        ).fetchone()
        if row is None:
            return None
        seq, delta, key = row
        state, packed = codec.decode_packed(delta, self._packed())
        conn.execute("DELETE FROM undo WHERE id=? AND seq=?", (self.id, seq))
        conn.execute(
            "UPDATE networks SET version=?, state=?, data_key=?, touched=? WHERE id=?",
            (self.version + 1, codec.encode(packed), key, int(time.time()), self.id),
        )
        if key != self.data_key:
            self.store._drop_data_if_unused(conn, self.data_key)
        return Stored(self.id, self.version + 1, state, self.store._get_data(conn, key))
