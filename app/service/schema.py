"""The database file: its schema, the upgrade of an older one, and the checks made before
the server starts (a file that is not a backprop-lab database, is damaged, has a newer
schema, is a folder or lies in a missing folder stops the start with a message naming the
file and the problem).

Schema version 2 keeps states compactly (app/service/codec.py): the current state of each
network whole, each undo level as a delta from the state after it, with its size, so that
the undo kept per network is bounded in bytes as well as in levels; samples once per
distinct content; when each network was last used (for expiry); and the creation budget of
each client address. Version 1 kept every state as JSON text; `upgrade_1_to_2` rewrites
such a database in place. Version 3 gives each network a watch id (its read-only link:
random, unique, not derived from the id) and a title; `upgrade_2_to_3` adds both, a new
watch id to every network there is.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time

import orjson

from app.service import codec

SCHEMA_VERSION = 3
APPLICATION = "backprop-lab"
SQLITE_HEADER = b"SQLite format 3\x00"
TABLES = ("meta", "networks", "undo", "data", "creations")
V1_TABLES = ("meta", "networks", "undo", "data")

CREATE_V2 = [
    """CREATE TABLE networks (
           id TEXT PRIMARY KEY, version INTEGER NOT NULL, state BLOB NOT NULL,
           data_key TEXT NOT NULL, touched INTEGER NOT NULL)""",
    """CREATE TABLE undo (
           id TEXT NOT NULL, seq INTEGER NOT NULL, state BLOB NOT NULL,
           data_key TEXT NOT NULL, bytes INTEGER NOT NULL, PRIMARY KEY (id, seq))""",
    "CREATE TABLE data (key TEXT PRIMARY KEY, body BLOB NOT NULL)",
    """CREATE TABLE creations (
           client TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL)""",
    "CREATE INDEX networks_data ON networks (data_key)",
    "CREATE INDEX networks_touched ON networks (touched)",
    "CREATE INDEX undo_data ON undo (data_key)",
    "CREATE INDEX creations_at ON creations (at)",
]


class DatabaseProblem(Exception):
    """The database file cannot be used; the message names the file, the problem and what
    to do."""


def check_path(path: str) -> None:
    """Problems visible before SQLite opens the file: a folder, a missing folder, a file
    that is not an SQLite database."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise DatabaseProblem(
            f"{path} is a folder, not a database file; give a file name (--db FILE)"
        )
    if not os.path.isdir(folder):
        raise DatabaseProblem(
            f"{path}: the folder {folder} does not exist; create it, or choose another "
            "file with --db"
        )
    if os.path.exists(path) and os.path.getsize(path) > 0:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
        if head != SQLITE_HEADER:
            raise DatabaseProblem(
                f"{path} is not an SQLite database (it does not start with SQLite's header); "
                "move it away or choose another file with --db"
            )


def schema_version(conn: sqlite3.Connection, path: str) -> int:
    """0 for an empty database; else the version its meta table records. Raises
    DatabaseProblem for a database that is not backprop-lab's."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return 0
    row = None
    if "meta" in tables:
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    if row is None or not str(row[0]).isdecimal():
        names = ", ".join(sorted(tables)[:5])
        raise DatabaseProblem(
            f"{path} is not a backprop-lab database (it holds the tables {names}, without "
            "backprop-lab's schema); choose another file with --db"
        )
    version = int(row[0])
    if version > SCHEMA_VERSION:
        raise DatabaseProblem(
            f"{path} has schema version {version}, newer than this backprop-lab knows "
            f"({SCHEMA_VERSION}); upgrade backprop-lab, or choose another file with --db"
        )
    expected = V1_TABLES if version == 1 else TABLES
    missing = [t for t in expected if t not in tables]
    if missing:
        raise DatabaseProblem(
            f"{path} is damaged: its table {missing[0]} is missing; restore the file from a "
            "backup, or choose another file with --db"
        )
    return version


def migrate(conn: sqlite3.Connection, path: str) -> bool:
    """Create the schema, or upgrade an older one, in one transaction. True when the
    database was upgraded from an earlier version (worth a VACUUM after)."""
    if conn.execute("PRAGMA page_count").fetchone()[0] == 0:
        conn.execute("PRAGMA auto_vacuum=INCREMENTAL")  # before the first table
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = schema_version(conn, path)
        if current == 0:
            conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            for statement in CREATE_V2:
                conn.execute(statement)
        elif current == 1:
            upgrade_1_to_2(conn)
        if current < 3:
            upgrade_2_to_3(conn)
        if current < SCHEMA_VERSION:
            conn.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [("schema_version", str(SCHEMA_VERSION)), ("application", APPLICATION)],
            )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return current == 1


def upgrade_1_to_2(conn: sqlite3.Connection) -> None:
    """Rewrite a version-1 database: each state JSON text → a compact blob, each undo
    level → a delta from the level (or state) after it, samples → compact blobs."""
    for table in ("networks", "undo", "data"):
        conn.execute(f"ALTER TABLE {table} RENAME TO old_{table}")
    for index in ("networks_data", "undo_data"):
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    for statement in CREATE_V2:
        conn.execute(statement)
    now = int(time.time())
    for key, body in conn.execute("SELECT key, body FROM old_data").fetchall():
        blob = codec.encode(codec.Packed(orjson.loads(body)))
        conn.execute("INSERT INTO data VALUES (?, ?)", (key, blob))
    for nid, version, text, key in conn.execute("SELECT * FROM old_networks").fetchall():
        newer = codec.Packed(orjson.loads(text))
        conn.execute(
            "INSERT INTO networks VALUES (?, ?, ?, ?, ?)",
            (nid, version, codec.encode(newer), key, now),
        )
        newer_key = key
        levels = conn.execute(
            "SELECT seq, state, data_key FROM old_undo WHERE id=? ORDER BY seq DESC", (nid,)
        ).fetchall()
        for seq, level_text, level_key in levels:
            older = codec.Packed(orjson.loads(level_text))
            delta = codec.encode(older, newer)
            size = len(delta) + data_size(conn, level_key, newer_key)
            conn.execute(
                "INSERT INTO undo VALUES (?, ?, ?, ?, ?)", (nid, seq, delta, level_key, size)
            )
            newer, newer_key = older, level_key
    for table in ("networks", "undo", "data"):
        conn.execute(f"DROP TABLE old_{table}")


def new_watch_id() -> str:
    """144 random bits, URL-safe, drawn on their own: a network's read-only link."""
    return secrets.token_urlsafe(18)


def upgrade_2_to_3(conn: sqlite3.Connection) -> None:
    """Give every network a watch id (unique) and an empty title."""
    conn.execute("ALTER TABLE networks ADD COLUMN watch_id TEXT")
    conn.execute("ALTER TABLE networks ADD COLUMN title TEXT NOT NULL DEFAULT ''")
    ids = [r[0] for r in conn.execute("SELECT id FROM networks").fetchall()]
    conn.executemany(
        "UPDATE networks SET watch_id=? WHERE id=?", [(new_watch_id(), nid) for nid in ids]
    )
    conn.execute("CREATE UNIQUE INDEX networks_watch ON networks (watch_id)")


def data_size(conn: sqlite3.Connection, key: str, newer_key: str) -> int:
    """The bytes of samples an undo level keeps alive: its samples' blob when the state
    after it has other samples, else nothing."""
    if key == newer_key:
        return 0
    row = conn.execute("SELECT length(body) FROM data WHERE key=?", (key,)).fetchone()
    return int(row[0]) if row else 0


def quick_check(conn: sqlite3.Connection, path: str) -> None:
    """SQLite's own check of the file's structure (every page read once)."""
    rows = conn.execute("PRAGMA quick_check(3)").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        found = "; ".join(str(r[0]) for r in rows)
        raise DatabaseProblem(
            f"{path} is damaged (SQLite finds: {found}); restore it from a backup, or choose "
            "another file with --db"
        )


def problem(path: str, e: sqlite3.Error) -> str:
    """A start-time message for SQLite's error `e` about the file at `path`."""
    text, other = str(e), "or choose another file with --db"
    if "not a database" in text:
        return f"{path} is not an SQLite database ({text}); move it away, {other}"
    if "malformed" in text or "corrupt" in text:
        return f"{path} is damaged ({text}); restore it from a backup, {other}"
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only, and its schema needs creating or upgrading; make it writable"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.access(folder, os.W_OK) or os.statvfs(folder).f_flag & os.ST_RDONLY:
        return (
            f"{path} cannot be opened: its folder is read-only, and SQLite writes beside the "
            "database (its -wal and -shm files); make the folder writable"
        )
    return f"{path} cannot be used: {text}; check the file and its folder, {other}"
