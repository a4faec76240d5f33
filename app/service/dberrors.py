"""SQLite's errors as the service's: a disk that is full, a database that is read-only,
locked, damaged or unreadable becomes Unavailable (503) with the cause and what to do, and
one log line (at most one a second) naming the file."""

from __future__ import annotations

import logging
import sqlite3
import time

from app.errors import Unavailable

log = logging.getLogger("backprop_lab.store")
CAUSES = {
    "SQLITE_FULL": (
        "the server's disk is full, so the change was not saved (nothing changed)",
        "free some space on the server (backprop-lab gc returns the space of deleted and "
        "expired networks), then try again",
    ),
    "SQLITE_READONLY": (
        "the server's database is read-only, so changes cannot be saved (nothing changed)",
        "make the database file and its folder writable by the server, then try again",
    ),
    "SQLITE_BUSY": (
        "the server's database is locked by another program, so the request waited and "
        "gave up (nothing changed)",
        "try again in a moment; if it persists, stop the program that holds the database",
    ),
    "SQLITE_CORRUPT": (
        "the server's database is damaged",
        "restore the database file from a backup and restart the server",
    ),
    "SQLITE_IOERR": (
        "the server could not read or write its database (a disk error)",
        "check the server's disk, then try again",
    ),
    "SQLITE_CANTOPEN": (
        "the server cannot open its database file",
        "check that the database's folder exists and is writable by the server, then restart",
    ),
}
ALIASES = {"SQLITE_LOCKED": "SQLITE_BUSY", "SQLITE_NOTADB": "SQLITE_CORRUPT"}
_last_logged = [0.0]


def log_once(message: str) -> None:
    """Log `message`, unless the store logged an error less than a second ago."""
    now = time.monotonic()
    if now - _last_logged[0] >= 1.0:
        _last_logged[0] = now
        log.error("%s", message)


def cause_of(e: sqlite3.Error) -> str:
    """SQLite's primary error name (SQLITE_FULL, SQLITE_BUSY, …) of `e`, or ''."""
    code = getattr(e, "sqlite_errorcode", None)
    name = getattr(e, "sqlite_errorname", "") or ""
    if code is not None:  # extended codes (SQLITE_IOERR_WRITE …) carry the primary in the low byte
        primary = {13: "SQLITE_FULL", 8: "SQLITE_READONLY", 5: "SQLITE_BUSY", 6: "SQLITE_LOCKED"}
        primary |= {11: "SQLITE_CORRUPT", 10: "SQLITE_IOERR", 14: "SQLITE_CANTOPEN"}
        primary |= {26: "SQLITE_NOTADB"}
        name = primary.get(code & 0xFF, name)
    return ALIASES.get(name, name)


def unavailable(e: Exception, path: str) -> Unavailable:
    """The 503 for `e`: what happened and what to do (the file is named in the log only)."""
    name = cause_of(e) if isinstance(e, sqlite3.Error) else ""
    what, todo = CAUSES.get(
        name, (f"the server's database failed ({e})", "try again; if it persists, report it")
    )
    log_once(f"database {path}: {e} ({name or type(e).__name__})")
    cause = name.removeprefix("SQLITE_").lower() or "database"
    return Unavailable(f"{what}; {todo}", field=None, cause=cause)


def damaged(e: Exception, path: str) -> Unavailable:
    """The 503 for stored bytes that do not decode (the file was damaged)."""
    what, todo = CAUSES["SQLITE_CORRUPT"]
    log_once(f"database {path}: {e}")
    return Unavailable(f"{what} (a stored network does not read back); {todo}", cause="corrupt")
