"""The PostgreSQL database under the store: opening it (reached, its schema created or
checked under an advisory lock), a pool of connections per process (psycopg_pool, checked
when taken, so that a server that restarted is reconnected by itself), read and write
transactions whose errors leave as Unavailable (503, naming the cause), the health
check and a clean close.

Nothing waits for ever: a connection is made within CONNECT_SECONDS, a request waits at
most POOL_SECONDS for a free one, a statement runs at most STATEMENT_SECONDS, a lock is
waited for at most LOCK_SECONDS, and a connection whose server vanished is found dead by
TCP keepalives within seconds."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from app.errors import Unavailable
from app.service.codec import Damaged
from app.service.dberrors import damaged
from app.service.pgerrors import problem, unavailable
from app.service.pgschema import TABLES, migrate, schema_version
from app.service.schema import SCHEMA_VERSION, DatabaseProblem
from app.settings import database_text

log = logging.getLogger("backprop_lab.store")
CONNECT_SECONDS = 5
POOL_SECONDS = 5
RECONNECT_SECONDS = 3  # the pool's retries give up after this; the next request tries anew
STATEMENT_SECONDS = 30
LOCK_SECONDS = 10  # as SQLite's busy timeout (app/service/database.py)
TOUCH_LOCK_MS = 50  # bookkeeping (write_if_free) gives up after this
OPTIONS = (
    f"-c statement_timeout={STATEMENT_SECONDS}s -c lock_timeout={LOCK_SECONDS}s "
    "-c idle_in_transaction_session_timeout=60s"
)
# a connection whose peer went silently (no FIN: a network cut) is found dead in ~11 s
KEEPALIVES: dict[str, Any] = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
}
CONNECTION: dict[str, Any] = {
    "autocommit": True,  # transactions are begun explicitly (transaction, reading)
    "connect_timeout": CONNECT_SECONDS,
    "options": OPTIONS,
    **KEEPALIVES,
    "application_name": "backprop-lab",
}


@lru_cache(maxsize=256)
def dialect(query: str) -> str:
    """The store's SQL (`?` placeholders) in psycopg's (`%s`)."""
    return query.replace("?", "%s")


class Connection:
    """A psycopg connection that takes the store's SQL (sqlite3's `execute`)."""

    def __init__(self, conn: psycopg.Connection):
        self.raw = conn

    def execute(self, query: str, params: tuple | list = ()) -> psycopg.Cursor:
        return self.raw.execute(dialect(query), params or None)

    def executemany(self, query: str, params: list) -> None:
        self.raw.cursor().executemany(dialect(query), params)


class PgDatabase:
    def __init__(self, url: str, pool: int = 10):
        self.path = url  # as the SQLite store's (the errors name it without its password)
        self.size = max(1, pool)
        self._pool: ConnectionPool | None = None
        self._lock = threading.Lock()

    # ---- opening, connections, transactions -----------------------------------------
    def open(self, full_check: bool = False) -> None:
        """Reach the database and create or check its schema; DatabaseProblem when it
        cannot be used. (`full_check`: nothing more on PostgreSQL.)"""
        with self._lock:
            if self._pool is not None:
                return
            try:
                with psycopg.connect(self.path, **CONNECTION) as conn:
                    migrate(Connection(conn), database_text(self.path))
            except psycopg.Error as e:
                raise DatabaseProblem(problem(e, self.path)) from None
            self._pool = ConnectionPool(
                self.path,
                kwargs=CONNECTION,
                min_size=1,
                max_size=self.size,
                timeout=POOL_SECONDS,
                reconnect_timeout=RECONNECT_SECONDS,
                check=ConnectionPool.check_connection,
                name="backprop-lab",
                open=False,
            )
            self._pool.open()

    def _connections(self) -> ConnectionPool:
        if self._pool is None:
            try:
                self.open()
            except DatabaseProblem as e:
                raise Unavailable(f"the server's database cannot be used: {e}") from None
        assert self._pool is not None
        return self._pool

    @contextmanager
    def _session(self, begin: str) -> Iterator[Connection]:
        """A pooled connection inside a transaction begun with `begin`: committed when the
        block ends, rolled back when it raises; psycopg's errors as Unavailable."""
        try:
            with self._connections().connection() as raw:
                raw.execute(begin)
                try:
                    yield Connection(raw)
                    raw.execute("COMMIT")
                except BaseException:
                    with suppress(psycopg.Error):
                        raw.execute("ROLLBACK")
                    raise
        except psycopg.Error as e:
            raise unavailable(e, self.path) from None
        except Damaged as e:
            raise damaged(e, database_text(self.path)) from None

    def transaction(self):
        """One write transaction (READ COMMITTED; a change holds its rows: the store's LOCK)."""
        return self._session("BEGIN")

    def reading(self):
        """One read-only transaction that sees one snapshot (a row and its samples agree)."""
        return self._session("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def write_if_free(self, sql: str, params: tuple) -> None:
        """One statement of bookkeeping, run only if it can be at once: a busy pool, a held
        row or a database in trouble skips it and the request goes on."""
        pool = self._connections()
        with suppress(psycopg.Error), pool.connection(timeout=0.05) as raw:
            raw.execute("BEGIN")
            raw.execute(f"SET LOCAL lock_timeout = {TOUCH_LOCK_MS}")
            raw.execute(dialect(sql), params)
            raw.execute("COMMIT")

    def vacuum(self, full: bool = False) -> None:
        """`full`: VACUUM the tables (their free space is reused, the empty pages at their
        end returned); else nothing: PostgreSQL's autovacuum does the rest."""
        if not full:
            return
        try:
            with self._connections().connection() as raw:
                raw.execute("SET statement_timeout = 0")  # as long as it takes
                try:
                    raw.execute(f"VACUUM (ANALYZE) {', '.join(TABLES)}")
                finally:
                    raw.execute("RESET statement_timeout")
        except psycopg.Error as e:
            raise unavailable(e, self.path) from None

    def file_bytes(self) -> int:
        """The size of the tables on disk, with their indexes and TOAST."""
        sizes = " + ".join(f"pg_total_relation_size('{t}')" for t in TABLES)
        with self.reading() as conn:
            return int(conn.execute(f"SELECT {sizes}").fetchone()[0])

    def ping(self) -> None:
        """The database answers, its schema is this version's, every table is there."""
        with self.reading() as conn:
            try:
                version = schema_version(conn, database_text(self.path))
            except DatabaseProblem as e:
                raise Unavailable(f"the server's database cannot be used: {e}") from None
            if version != SCHEMA_VERSION:
                raise Unavailable(
                    f"the server's database has schema version {version}, not {SCHEMA_VERSION}"
                )

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close(timeout=5)
