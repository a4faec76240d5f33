"""Reading a test's store behind the app's back, on either database: `rows` runs one
statement (the store's SQL, `?` placeholders) on an SQLite file or a PostgreSQL URL."""

from __future__ import annotations

import sqlite3
import time

from app.service.stores import store_kind


def rows(db: str, sql: str, *args) -> list:
    if store_kind(db) == "sqlite":
        with sqlite3.connect(db) as conn:
            return conn.execute(sql, args).fetchall()
    import psycopg

    with psycopg.connect(db, autocommit=True) as conn:
        cursor = conn.execute(sql.replace("?", "%s"), args or None)
        return [tuple(r) for r in cursor.fetchall()] if cursor.description else []


def age(db: str, nid: str, days: float) -> None:
    """Make network `nid` look unused for `days` days."""
    rows(db, "UPDATE networks SET touched=? WHERE id=?", int(time.time() - days * 86400), nid)
