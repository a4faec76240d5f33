"""Who is told when a network changes: the followers of a network (watch pages, the edit
page's other tabs, API clients of its event stream) subscribe to it in their server
process, and the notifier wakes them when its version changes or it is deleted, whichever
process made the change.

`Notifier` is the interface, and `notifier_for(settings)` the one for the store the
settings name. `SQLiteNotifier` implements it for the SQLite store by a cheap check, made
only while the process has subscribers: every `interval` seconds (at most 0.1)
`PRAGMA data_version` on a connection of its own (it changes when any other connection,
of any process, commits to the file), and when that moved, one query of the versions of
the subscribed networks. On PostgreSQL, `PostgresNotifier` (app/service/pgnotify.py)
LISTENs: the schema's trigger NOTIFYs each change's network id and version in its
transaction, whichever server made it, so a follower on one app server hears of a change
made on another at once. Nothing above this module knows which one runs.

A Subscription is a level, not a queue: it holds the newest version seen and a flag that
it changed since the subscriber last looked, so a slow subscriber never piles up
changes, and reads the newest one when it looks (the event stream paces itself on it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from app.errors import LabError

if TYPE_CHECKING:
    from app.settings import Settings

log = logging.getLogger("backprop_lab.notify")
MAX_INTERVAL = 0.1


class Subscription:
    """One follower of network `nid`: `version` is its newest version (None once it is
    deleted); `wait` returns when it changed since the last `wait` (or `timeout` passed)."""

    def __init__(self, nid: str, version: int | None):
        self.nid, self.version = nid, version
        self._changed = asyncio.Event()
        self.closed = False

    @property
    def deleted(self) -> bool:
        return self.version is None

    def changed(self, version: int | None) -> None:
        self.version = version
        self._changed.set()

    def close(self) -> None:
        """End the subscription from the server's side (it is shutting down)."""
        self.closed = True
        self._changed.set()

    async def wait(self, timeout: float) -> bool:
        """True when the network changed (or the subscription closed) since the last wait;
        False after `timeout` seconds without a change."""
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except TimeoutError:
            return False
        self._changed.clear()
        return True


class Notifier:
    """The interface (see the module's docstring); subscribe and unsubscribe on the event
    loop. `version_of(nid)` is the network's version now (None: no such network)."""

    def __init__(self) -> None:
        self.subscribers: dict[str, set[Subscription]] = {}

    async def subscribe(self, nid: str) -> Subscription:
        raise NotImplementedError

    def unsubscribe(self, sub: Subscription) -> None:
        group = self.subscribers.get(sub.nid)
        if group is not None:
            group.discard(sub)
            if not group:
                del self.subscribers[sub.nid]

    def publish(self, nid: str, version: int | None) -> None:
        """Wake every subscriber of `nid` whose version is not `version` (None: deleted)."""
        for sub in list(self.subscribers.get(nid, ())):
            if sub.version != version:
                sub.changed(version)

    def close(self) -> None:
        """End every subscription (the server is stopping)."""
        for group in list(self.subscribers.values()):
            for sub in list(group):
                sub.close()


class SQLiteNotifier(Notifier):
    """The SQLite implementation: polls while there are subscribers (module docstring).
    Its queries run on a thread of its own, never on the event loop nor in the thread
    pool that serves requests."""

    def __init__(self, path: str, interval: float = MAX_INTERVAL):
        super().__init__()
        self.path, self.interval = path, min(interval, MAX_INTERVAL)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notify")
        self._conn: sqlite3.Connection | None = None
        self._task: asyncio.Task | None = None
        self._data_version: int | None = None

    async def subscribe(self, nid: str) -> Subscription:
        version = (await self._run(self._versions, [nid])).get(nid)
        sub = Subscription(nid, version)
        self.subscribers.setdefault(nid, set()).add(sub)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._poll())
        return sub

    async def _run(self, work: Callable, *args):
        return await asyncio.get_running_loop().run_in_executor(self._thread, work, *args)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA busy_timeout=1000")
        return self._conn

    def _versions(self, ids: list[str]) -> dict[str, int]:
        """The version of each of these networks that exists; reads data_version first, so
        that a commit after it is seen by the next check."""
        conn = self._connection()
        self._data_version = conn.execute("PRAGMA data_version").fetchone()[0]
        marks = ",".join("?" * len(ids))
        rows = conn.execute(f"SELECT id, version FROM networks WHERE id IN ({marks})", ids)
        return {nid: int(version) for nid, version in rows}

    def _moved(self) -> bool:
        return self._connection().execute("PRAGMA data_version").fetchone()[0] != (
            self._data_version
        )

    async def _poll(self) -> None:
        """While anyone is subscribed: check, and publish what changed."""
        while self.subscribers:
            await asyncio.sleep(self.interval)
            try:
                if not await self._run(self._moved):
                    continue
                ids = list(self.subscribers)
                found = await self._run(self._versions, ids)
            except (sqlite3.Error, LabError) as e:  # busy, damaged, away: try again later
                log.warning("checking for changes in %s: %s", self.path, e)
                continue
            for nid in ids:
                self.publish(nid, found.get(nid))

    def close(self) -> None:
        super().close()
        if self._task is not None:
            self._task.cancel()
        with contextlib.suppress(RuntimeError):  # closed already
            self._thread.submit(self._disconnect)  # on its thread, after any check under way
        self._thread.shutdown(wait=False)

    def _disconnect(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None


def notifier_for(settings: Settings) -> Notifier:
    """The notifier of the store `settings.db` names (app/service/stores.py)."""
    from app.service.stores import store_kind

    if store_kind(settings.db) == "postgresql":
        from app.service.pgnotify import PostgresNotifier

        return PostgresNotifier(settings.db)
    return SQLiteNotifier(settings.db, settings.notify_seconds)
