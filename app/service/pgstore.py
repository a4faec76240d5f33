"""The store on a PostgreSQL server (BACKPROP_LAB_DB=postgresql://…): the store's SQL
(app/service/store.py) over the PostgreSQL database layer (app/service/pgdatabase.py). A
change holds its network's row (``SELECT … FOR UPDATE``), so changes from any number of
server processes are applied one after another; expiry leaves out the rows a change holds
(``SKIP LOCKED``); a new use of shared samples and the deletion of their last use wait for
each other on an advisory lock named by the samples' key."""

from __future__ import annotations

from app.service.pgdatabase import PgDatabase
from app.service.store import Store

DATA_LOCKS = 1  # the first key of the samples' advisory locks (the second: hashtext(key))


class PostgresStore(PgDatabase, Store):
    kind = "postgresql"
    LOCK = " FOR UPDATE"
    SKIP = " FOR UPDATE SKIP LOCKED"

    def __init__(self, url: str, undo_levels: int = 100, undo_bytes: int = 4 << 20, pool: int = 10):
        PgDatabase.__init__(self, url, pool)
        self.undo_levels = undo_levels
        self.undo_bytes = undo_bytes

    def _hold_data(self, conn, key: str) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(?, hashtext(?))", (DATA_LOCKS, key))
