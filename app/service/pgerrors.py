"""PostgreSQL's errors as the service's: a server that cannot be reached, a timeout, a full
disk, a read-only server becomes Unavailable (503) with the cause and what to do, and one
log line (at most one a second) naming the database (never its password); and the
messages that stop a start."""

from __future__ import annotations

from urllib.parse import urlsplit

import psycopg
from psycopg import errors

from app.errors import Unavailable
from app.service.dberrors import log_once
from app.settings import database_text

UNREACHABLE = (
    "unreachable",
    "the server cannot reach its database, so the request was not done (nothing changed)",
    "try again in a moment; if it persists, check that the database server runs",
)
CAUSES: list[tuple[type[Exception], tuple[str, str, str]]] = [
    (
        errors.DiskFull,
        (
            "full",
            "the database server's disk is full, so the change was not saved (nothing changed)",
            "free some space on the database server (backprop-lab gc returns the space of "
            "deleted and expired networks), then try again",
        ),
    ),
    (
        errors.ReadOnlySqlTransaction,
        (
            "readonly",
            "the database server is read-only, so changes cannot be saved (nothing changed)",
            "point the server at the primary database, then try again",
        ),
    ),
    (
        errors.QueryCanceled,
        (
            "busy",
            "the database took too long to answer, so the request gave up (nothing changed)",
            "try again in a moment; if it persists, check the database server's load",
        ),
    ),
    (
        errors.LockNotAvailable,
        (
            "busy",
            "the network is held by another change for too long, so the request gave up "
            "(nothing changed)",
            "try again in a moment",
        ),
    ),
    (errors.DeadlockDetected, ("busy", "two changes waited on each other", "try again")),
    (errors.SerializationFailure, ("busy", "two changes met", "try again")),
    (psycopg.OperationalError, UNREACHABLE),
    (psycopg.InterfaceError, UNREACHABLE),
]


def secret_free(text: str, url: str) -> str:
    """`text` without the password of `url`."""
    password = urlsplit(url).password
    return text.replace(password, "***") if password else text


def unavailable(e: Exception, url: str) -> Unavailable:
    """The 503 for psycopg's error `e` on the database at `url`."""
    cause, what, todo = next(
        (found for kind, found in CAUSES if isinstance(e, kind)),
        ("database", f"the server's database failed ({type(e).__name__})", "try again"),
    )
    detail = secret_free(str(e).strip().splitlines()[0] if str(e).strip() else "", url)
    log_once(f"database {database_text(url)}: {detail} ({type(e).__name__})")
    return Unavailable(f"{what}; {todo}", field=None, cause=cause)


def problem(e: Exception, url: str) -> str:
    """A start-time message for psycopg's error `e` on the database at `url`."""
    detail = secret_free(" ".join(str(e).split()), url)
    where = database_text(url)
    if isinstance(e, psycopg.OperationalError):
        return (
            f"cannot connect to {where}: {detail}; check that the database server runs and "
            "that the URL (--db or BACKPROP_LAB_DB) names the right host, port, user, "
            "password and database"
        )
    return f"{where} cannot be used: {detail}"
