"""The change notifier of the PostgreSQL store (the interface: app/service/notify.py).

The schema's trigger on `networks` runs `pg_notify('backprop_lab_changes', …)` in the
transaction of every change, whichever server process made it: the payload is
"<id> <version>" for a new version, "<id> -" for a deletion, delivered when it commits.

One connection per process LISTENs on that channel, only while the process has
subscribers, on a thread of its own (never on the event loop nor in the thread pool that
serves requests). The thread waits on the connection's socket and on a wake-up pipe (a new
subscriber, the last one gone, the server stopping), so that a notification is published
as soon as it arrives. `subscribe` reads the network's version on that connection, after
LISTEN: a change committed after the read is notified, one before it is in the version
read. A lost connection (the database restarted, the network dropped) is retried with
backoff; once back, it LISTENs again and reads the versions of every subscribed network,
so a change made during the outage is published then. Versions only grow: a notification
older than what a subscriber has seen (one queued before a read) wakes nobody.
Notifications that arrive while a read runs are kept by psycopg (3.2.4 and later) and
published right after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import select
import threading
import time
from concurrent.futures import Future, InvalidStateError

import psycopg

from app.service.notify import Notifier, Subscription
from app.service.pgdatabase import KEEPALIVES
from app.service.pgschema import CHANNEL

log = logging.getLogger("backprop_lab.notify")
UNKNOWN = -1  # a subscriber's version before it could be read (the database is away)
READ_SECONDS = 2.0  # how long subscribe waits for the version before it returns UNKNOWN
LINGER = 5.0  # the connection stays open this long after the last subscriber goes
BACKOFF = (0.1, 5.0)  # first and longest pause between two attempts to reconnect


def parse(payload: str) -> tuple[str, int | None] | None:
    """(id, version or None when deleted) of a notification's payload; None if malformed."""
    nid, _, version = payload.rpartition(" ")
    if not nid:
        return None
    if version == "-":
        return nid, None
    return (nid, int(version)) if version.isdecimal() else None


class PostgresNotifier(Notifier):
    """LISTEN / NOTIFY on `url` (see the module's docstring)."""

    def __init__(self, url: str, connect_timeout: float = 5.0):
        super().__init__()
        self.url, self.connect_timeout = url, connect_timeout
        self.connects = 0  # how many times the listening connection was opened (for tests)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._pipe: tuple[int, int] | None = None  # wakes the thread (read end, write end)
        self._asked: list[tuple[str, Future]] = []  # version reads waiting for the thread
        self._lock = threading.Lock()
        self._stopped = False
        self._stop = threading.Event()

    async def subscribe(self, nid: str) -> Subscription:
        sub = Subscription(nid, UNKNOWN)
        self.subscribers.setdefault(nid, set()).add(sub)  # first: no change slips by
        self._loop = asyncio.get_running_loop()
        asked: Future = Future()
        with self._lock:
            self._asked.append((nid, asked))
            if self._thread is None and not self._stopped:
                self._pipe = os.pipe()
                os.set_blocking(self._pipe[1], False)  # a full pipe wakes it all the same
                self._thread = threading.Thread(target=self._run, name="notify", daemon=True)
                self._thread.start()
        self._wake()
        with contextlib.suppress(TimeoutError):  # the database is away: read once it returns
            version = await asyncio.wait_for(asyncio.wrap_future(asked), READ_SECONDS)
            if sub.version == UNKNOWN:  # as read (no notification was quicker)
                sub.version = version
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        super().unsubscribe(sub)
        if not self.subscribers:
            self._wake()  # the thread starts its linger

    def publish(self, nid: str, version: int | None) -> None:
        """Wake the subscribers of `nid` that have not seen `version` (or newer)."""
        for sub in list(self.subscribers.get(nid, ())):
            if sub.deleted or sub.version == version:
                continue
            if version is None or sub.version is None or version > sub.version:
                sub.changed(version)

    def close(self) -> None:
        super().close()
        self._stopped = True
        self._stop.set()
        self._wake()

    # ---- on the notifier's thread ---------------------------------------------------
    def _wake(self) -> None:
        with self._lock, contextlib.suppress(OSError):
            if self._pipe is not None:
                os.write(self._pipe[1], b".")

    def _run(self) -> None:
        conn: psycopg.Connection | None = None
        pause, idle_since = BACKOFF[0], 0.0
        while not self._stopped:
            try:
                if not self.subscribers and not self._asked:
                    idle_since = idle_since or time.monotonic()
                    conn = self._idle(conn, idle_since)
                    continue
                idle_since = 0.0
                if conn is None:
                    conn = self._connect()
                    if self.connects > 1:  # reconnected: what changed meanwhile
                        self._refresh(conn, list(self.subscribers))
                self._answer(conn)
                self._drain(conn)  # what came in, or was read beside a query's answer
                self._wait(None, conn)
                pause = BACKOFF[0]
            except (psycopg.Error, OSError) as e:
                log.warning("listening for changes: %s; again in %.1f s", e, pause)
                _close(conn)
                conn = None
                self._stop.wait(pause)
                pause = min(pause * 2, BACKOFF[1])
        _close(conn)
        self._fail_asked()
        with self._lock:
            pipe, self._pipe = self._pipe, None
        for fd in pipe or ():
            os.close(fd)

    def _idle(self, conn: psycopg.Connection | None, since: float) -> psycopg.Connection | None:
        """No subscribers since `since`: close the connection once LINGER has passed, and
        wait for a wake-up (reading, for nobody, what comes in on the connection meanwhile)."""
        if conn is not None and time.monotonic() - since >= LINGER:
            _close(conn)
            conn = None
        if self._wait(None if conn is None else LINGER, conn) and conn is not None:
            self._drain(conn)
        return conn

    def _connect(self) -> psycopg.Connection:
        conn = psycopg.connect(
            self.url,
            autocommit=True,
            connect_timeout=max(1, round(self.connect_timeout)),
            application_name="backprop-lab notify",
            **KEEPALIVES,
        )
        conn.execute(f"LISTEN {CHANNEL}")
        self.connects += 1
        return conn

    def _wait(self, timeout: float | None, conn: psycopg.Connection | None) -> bool:
        """Until the connection has input (True), a wake-up or `timeout` (False)."""
        assert self._pipe is not None  # open while the thread runs
        wake = self._pipe[0]
        fds = [wake] if conn is None else [wake, conn.fileno()]
        ready, _, _ = select.select(fds, [], [], timeout)
        if wake in ready:
            os.read(wake, 4096)
        return conn is not None and conn.fileno() in ready

    def _versions(self, conn: psycopg.Connection, ids: list[str]) -> dict[str, int]:
        rows = conn.execute("SELECT id, version FROM networks WHERE id = ANY(%s)", (ids,))
        return {nid: int(version) for nid, version in rows}

    def _answer(self, conn: psycopg.Connection) -> None:
        """Read the versions subscribe asked for, and hand them over."""
        with self._lock:
            asked, self._asked = self._asked, []
        if not asked:
            return
        try:
            found = self._versions(conn, list({nid for nid, _ in asked}))
        except BaseException:
            with self._lock:
                self._asked = asked + self._asked  # asked again once reconnected
            raise
        for nid, future in asked:
            try:
                future.set_result(found.get(nid))
            except InvalidStateError:  # subscribe stopped waiting: publish it instead
                self._to_loop(nid, found.get(nid))

    def _refresh(self, conn: psycopg.Connection, ids: list[str]) -> None:
        """Publish the versions of `ids` as they are now (after a reconnection)."""
        if ids:
            found = self._versions(conn, ids)
            for nid in ids:
                self._to_loop(nid, found.get(nid))

    def _drain(self, conn: psycopg.Connection) -> None:
        for note in conn.notifies(timeout=0):
            parsed = parse(note.payload)
            if parsed is not None and parsed[0] in self.subscribers:
                self._to_loop(*parsed)

    def _to_loop(self, nid: str, version: int | None) -> None:
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: the server stopped
                self._loop.call_soon_threadsafe(self.publish, nid, version)

    def _fail_asked(self) -> None:
        with self._lock:
            asked, self._asked = self._asked, []
        for _, future in asked:
            with contextlib.suppress(InvalidStateError):
                future.set_result(UNKNOWN)


def _close(conn: psycopg.Connection | None) -> None:
    if conn is not None:
        with contextlib.suppress(psycopg.Error, OSError):
            conn.close()
