"""Where networks live: SQLite through the standard library, in WAL mode.

Tables: ``networks`` (the current state of each network), ``undo`` (earlier states, at most
`undo_levels` per network) and ``data`` (inputs and targets, stored once per distinct
content and shared by the states that use them). A state is the engine's record without its
samples; the engine rebuilds the trace from it.

Every change runs in ``BEGIN IMMEDIATE``: the write lock is taken before the state is
read, so concurrent changes to one network, from any thread or process, are applied one
after another and none is lost.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import orjson

SCHEMA_VERSION = 1
MIGRATIONS = {
    1: [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE networks (
               id TEXT PRIMARY KEY, version INTEGER NOT NULL,
               state TEXT NOT NULL, data_key TEXT NOT NULL)""",
        """CREATE TABLE undo (
               id TEXT NOT NULL, seq INTEGER NOT NULL,
               state TEXT NOT NULL, data_key TEXT NOT NULL, PRIMARY KEY (id, seq))""",
        "CREATE TABLE data (key TEXT PRIMARY KEY, body TEXT NOT NULL)",
        "CREATE INDEX networks_data ON networks (data_key)",
        "CREATE INDEX undo_data ON undo (data_key)",
    ],
}


@dataclass
class Stored:
    id: str
    version: int
    state: dict  # the engine's record (engine.to_record) without its samples
    data: dict | None  # the samples {"inputs", "targets"[, "test_inputs", "test_targets"]}


def new_id() -> str:
    """144 random bits, URL-safe: the network's only key and its share link."""
    return secrets.token_urlsafe(18)


def _dumps(obj) -> str:
    """Compact JSON (orjson: fast, and floats in their shortest exact form)."""
    return orjson.dumps(obj, option=orjson.OPT_SERIALIZE_NUMPY).decode()


_loads = orjson.loads


class SQLiteStore:
    def __init__(self, path: str, undo_levels: int = 100):
        self.path = path
        self.undo_levels = undo_levels
        self._local = threading.local()
        self._migrated = False
        self._lock = threading.Lock()
        self._writer = threading.Lock()

    # ---- connections and schema ---------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            if not self._migrated:
                with self._lock:
                    if not self._migrated:
                        self._migrate(conn)
                        self._migrated = True
            self._local.conn = conn
        return conn

    @contextmanager
    def _write(self):
        """One write transaction. Threads of this process queue on a lock first: SQLite's
        busy handler would make them sleep and retry, which wastes time under load."""
        conn = self._conn()
        with self._writer:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _migrate(self, conn) -> None:
        """Create or upgrade the schema, one version at a time, under the write lock."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            has_meta = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
            ).fetchone()
            current = 0
            if has_meta:
                row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
                current = int(row[0]) if row else 0
            if current > SCHEMA_VERSION:
                raise RuntimeError(
                    f"database {self.path} has schema version {current}; this version of "
                    f"backprop-lab knows up to {SCHEMA_VERSION}. Upgrade backprop-lab."
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
                conn.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(version),)
                )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def ping(self) -> None:
        self._conn().execute("SELECT 1 FROM meta").fetchone()

    # ---- data blobs -----------------------------------------------------------------
    def _put_data(self, conn, data: dict) -> str:
        body = _dumps(data)
        key = hashlib.sha256(body.encode()).hexdigest()
        conn.execute("INSERT OR IGNORE INTO data VALUES (?, ?)", (key, body))
        return key

    def _get_data(self, conn, key: str) -> dict:
        return _loads(conn.execute("SELECT body FROM data WHERE key=?", (key,)).fetchone()[0])

    def _drop_data_if_unused(self, conn, key: str) -> None:
        used = conn.execute(
            "SELECT 1 FROM networks WHERE data_key=? UNION ALL "
            "SELECT 1 FROM undo WHERE data_key=? LIMIT 1",
            (key, key),
        ).fetchone()
        if not used:
            conn.execute("DELETE FROM data WHERE key=?", (key,))

    # ---- networks -------------------------------------------------------------------
    def insert(self, state: dict, data: dict) -> Stored:
        with self._write() as conn:
            nid = new_id()
            key = self._put_data(conn, data)
            conn.execute("INSERT INTO networks VALUES (?, 1, ?, ?)", (nid, _dumps(state), key))
        return Stored(nid, 1, state, data)

    def load(self, nid: str) -> Stored | None:
        conn = self._conn()
        row = conn.execute(
            "SELECT version, state, data_key FROM networks WHERE id=?", (nid,)
        ).fetchone()
        return None if row is None else self.stored(conn, nid, *row)

    def stored(self, conn, nid: str, version: int, state_text: str, data_key: str) -> Stored:
        """A row read into a Stored: the one place where a network's state is parsed."""
        return Stored(nid, version, _loads(state_text), self._get_data(conn, data_key))

    def delete(self, nid: str) -> bool:
        with self._write() as conn:
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
        with self._write() as conn:
            row = conn.execute(
                "SELECT version, state, data_key FROM networks WHERE id=?", (nid,)
            ).fetchone()
            if row is None:
                yield None
                return
            yield Change(self, conn, nid, row)

    def undo_depth(self, nid: str) -> int:
        return self._conn().execute("SELECT COUNT(*) FROM undo WHERE id=?", (nid,)).fetchone()[0]


class Change:
    """One network's row inside a write transaction. Its state is parsed only when asked
    for (`current`): a caller that already holds this version need not read it again."""

    def __init__(self, store: SQLiteStore, conn, nid: str, row):
        self.store, self.conn, self.id = store, conn, nid
        self.version, self._state_text, self.data_key = row[0], row[1], row[2]
        self._current: Stored | None = None

    @property
    def current(self) -> Stored:
        if self._current is None:
            self._current = self.store.stored(
                self.conn, self.id, self.version, self._state_text, self.data_key
            )
        return self._current

    def save(self, state: dict, data: dict | None, undoable: bool = True) -> Stored:
        """Write the new state (version + 1), with new samples `data` (None: the samples
        stay as they are); the old state goes onto the undo stack."""
        conn = self.conn
        key = self.data_key if data is None else self.store._put_data(conn, data)
        if undoable:
            top = conn.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM undo WHERE id=?", (self.id,)
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO undo VALUES (?, ?, ?, ?)",
                (self.id, top + 1, self._state_text, self.data_key),
            )
            self._trim()
        conn.execute(
            "UPDATE networks SET version=?, state=?, data_key=? WHERE id=?",
            (self.version + 1, _dumps(state), key, self.id),
        )
        if key != self.data_key:
            self.store._drop_data_if_unused(conn, self.data_key)
        return Stored(self.id, self.version + 1, state, data)  # data None: unchanged

    def _trim(self) -> None:
        rows = self.conn.execute(
            "SELECT seq, data_key FROM undo WHERE id=? ORDER BY seq DESC LIMIT -1 OFFSET ?",
            (self.id, self.store.undo_levels),
        ).fetchall()
        for seq, key in rows:
            self.conn.execute("DELETE FROM undo WHERE id=? AND seq=?", (self.id, seq))
            self.store._drop_data_if_unused(self.conn, key)

    def undo(self) -> Stored | None:
        """Bring back the latest earlier state (version + 1); None when there is none."""
        conn = self.conn
        row = conn.execute(
            "SELECT seq, state, data_key FROM undo WHERE id=? ORDER BY seq DESC LIMIT 1", (self.id,)
        ).fetchone()
        if row is None:
            return None
        seq, state_text, key = row
        conn.execute("DELETE FROM undo WHERE id=? AND seq=?", (self.id, seq))
        conn.execute(
            "UPDATE networks SET version=?, state=?, data_key=? WHERE id=?",
            (self.version + 1, state_text, key, self.id),
        )
        if key != self.data_key:
            self.store._drop_data_if_unused(conn, self.data_key)
        return self.store.stored(conn, self.id, self.version + 1, state_text, key)
