"""How many networks one client address may create: a token bucket per address, kept in the
database so that it holds across worker processes. The bucket holds at most `per_minute`
tokens and refills at `per_minute` a minute; a creation takes one."""

from __future__ import annotations

from typing import Any

Connection = Any  # the store's: sqlite3's, or PostgreSQL's wrapper (app/service/pgdatabase.py)


def tokens(conn: Connection, client: str, per_minute: int, now: float, lock: str = "") -> float:
    """The tokens `client` has at `now` (a full bucket for an address not seen lately);
    `lock` (the store's LOCK) holds its row until the transaction ends."""
    row = conn.execute(
        f"SELECT tokens, at FROM creations WHERE client=?{lock}", (client,)
    ).fetchone()
    if row is None:
        return float(per_minute)
    held, at = row
    return min(float(per_minute), held + max(0.0, now - at) * per_minute / 60.0)


def wait_seconds(held: float, per_minute: int) -> float:
    """Seconds until a bucket holding `held` tokens has one (0 when it has one now)."""
    return 0.0 if held >= 1 else (1 - held) * 60.0 / per_minute


def take(conn: Connection, client: str, per_minute: int, now: float, lock: str = "") -> float:
    """Take a token for `client` inside the caller's write transaction: 0 when taken, else
    the seconds to wait for one (nothing is taken). A new address's row is made first (a
    full bucket), so that concurrent creations from it queue on the row (`lock`)."""
    conn.execute(
        "INSERT INTO creations VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (client, float(per_minute), now),
    )
    held = tokens(conn, client, per_minute, now, lock)
    wait = wait_seconds(held, per_minute)
    if wait == 0:
        conn.execute("UPDATE creations SET tokens=?, at=? WHERE client=?", (held - 1, now, client))
    return wait


def forget_full(conn: Connection, now: float) -> int:
    """Drop the rows of addresses whose bucket has refilled (they hold nothing useful)."""
    return conn.execute("DELETE FROM creations WHERE at < ?", (now - 60.0,)).rowcount


def too_many(per_minute: int, wait: float) -> str:
    return (
        f"too many networks created from this address: at most {per_minute} a minute "
        f"(BACKPROP_LAB_CREATE_PER_MINUTE); try again in {max(1, round(wait))} s, or keep "
        "working on a network you have (its page's address is its link)"
    )
