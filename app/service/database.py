"""The SQLite database file under the store: opening it (checked, its schema created or
upgraded), one connection per thread, read and write transactions whose SQLite errors
leave as Unavailable (503, naming the cause), the health check and a clean close."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from app.errors import Unavailable
from app.service.codec import Damaged
from app.service.dberrors import damaged, unavailable
from app.service.schema import (
    SCHEMA_VERSION,
    TABLES,
    DatabaseProblem,
    check_path,
    migrate,
    problem,
    quick_check,
    schema_version,
)

log = logging.getLogger("backprop_lab.store")
BUSY_SECONDS = 10  # how long a change waits for another process's write lock
NAP_SECONDS = (0.0002, 0.002)  # while it waits, it looks again after this long (doubling)
WAL_LIMIT_BYTES = 16 << 20  # the WAL file is cut back to this after a checkpoint


class Database:
    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()
        self._opened = False
        self._lock = threading.Lock()
        self._writer = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._registry = threading.Lock()  # guards _connections

    # ---- the file, connections, transactions ----------------------------------
    def open(self, full_check: bool = False) -> None:
        """Check the file and create or upgrade its schema; DatabaseProblem when it cannot
        be used. `full_check` also reads every page (SQLite's quick_check)."""
        with self._lock:
            if self._opened:
                return
            check_path(self.path)
            try:
                conn = self._connect()
                if full_check:
                    quick_check(conn, self.path)
                if migrate(conn, self.path):
                    self._compact(conn)
            except sqlite3.Error as e:
                raise DatabaseProblem(problem(self.path, e)) from None
            self._opened = True
            self._local.conn = conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "secure_delete=FAST"):
            with suppress(sqlite3.OperationalError):  # a read-only database still serves reads
                conn.execute(f"PRAGMA {pragma}")
        conn.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
        with self._registry:
            self._connections.append(conn)
        return conn

    def _compact(self, conn: sqlite3.Connection) -> None:
        """After an upgrade: turn on incremental vacuum and give the old pages back."""
        try:
            conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
            conn.execute("VACUUM")
        except sqlite3.Error as e:
            log.warning("database %s upgraded; VACUUM failed (%s): run gc", self.path, e)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if not self._opened:
                try:
                    self.open()
                except DatabaseProblem as e:
                    raise Unavailable(f"the server's database cannot be used: {e}") from None
            try:
                conn = self._connect()
            except sqlite3.Error as e:
                raise unavailable(e, self.path) from None
            self._local.conn = conn
        return conn

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        try:
            yield conn
        except sqlite3.Error as e:
            raise unavailable(e, self.path) from None
        except Damaged as e:
            raise damaged(e, self.path) from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction. Threads of this process queue on a lock first, and the
        write lock of another process is waited for by `_begin`: SQLite's busy handler
        would make them sleep and retry, which wastes time under load. A failed COMMIT (a
        full disk) is rolled back, and SQLite's error is the one raised."""
        conn = self._conn()
        with self._writer:
            try:
                self._begin(conn)
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        with suppress(sqlite3.Error):
                            conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as e:
                raise unavailable(e, self.path) from None
            except Damaged as e:
                raise damaged(e, self.path) from None

    def _begin(self, conn: sqlite3.Connection) -> None:
        """BEGIN IMMEDIATE, waiting at most BUSY_SECONDS for another process to commit.
        SQLite's busy handler naps for up to 100 ms between looks, so that the next writer
        often starts long after the lock is free, and the workers of one server sit idle
        while a class waits; here the naps stay under 2 ms."""
        conn.execute("PRAGMA busy_timeout=0")
        try:
            deadline, nap = time.monotonic() + BUSY_SECONDS, NAP_SECONDS[0]
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as e:
                    if "locked" not in str(e) and "busy" not in str(e):
                        raise
                    if time.monotonic() > deadline:
                        raise
                time.sleep(nap)
                nap = min(2 * nap, NAP_SECONDS[1])
        finally:
            conn.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")

    def write_if_free(self, sql: str, params: tuple) -> None:
        """One statement of bookkeeping, run only if the database is free now: a read-only,
        busy or full database skips it and the request goes on."""
        conn = self._conn()
        if not self._writer.acquire(blocking=False):
            return
        try:
            conn.execute("PRAGMA busy_timeout=0")
            with suppress(sqlite3.Error):
                conn.execute(sql, params)
        finally:
            conn.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
            self._writer.release()

    def vacuum(self, full: bool = False) -> None:
        """Return free pages to the file system: incremental vacuum, or with `full` a
        VACUUM (which also packs the pages that stay; it needs room for a copy)."""
        with self._writer, self.reading() as conn:
            conn.execute("VACUUM" if full else "PRAGMA incremental_vacuum")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def file_bytes(self) -> int:
        """The size of the database on disk: the file and its WAL."""
        paths = (self.path, self.path + "-wal")
        return sum(os.path.getsize(p) for p in paths if os.path.exists(p))

    def ping(self) -> None:
        """The schema is this version's and every table is there (else Unavailable)."""
        with self.reading() as conn:
            try:
                version = schema_version(conn, self.path)
            except DatabaseProblem as e:
                raise Unavailable(f"the server's database cannot be used: {e}") from None
            if version != SCHEMA_VERSION:
                raise Unavailable(
                    f"the server's database has schema version {version}, not {SCHEMA_VERSION}"
                )
            for table in TABLES:
                conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()

    def close(self) -> None:
        """Checkpoint the WAL into the database file and close every connection: after a
        clean shutdown the .db file alone holds all the data."""
        with self._registry:
            connections, self._connections = self._connections, []
        for i, conn in enumerate(connections):
            try:
                if i == 0:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.close()
            except sqlite3.Error as e:
                log.warning("database %s: closing: %s", self.path, e)
        self._local = threading.local()
