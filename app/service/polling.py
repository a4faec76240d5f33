"""A notifier for any store (app/service/notify.py's interface): while the process has
subscribers, one query of their networks' versions every `interval` seconds, on a thread
of its own. The SQLite store has a cheaper one (SQLiteNotifier: it asks the file whether
anything changed first); this one serves a store that has none of its own."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from app.errors import Unavailable
from app.service.notify import MAX_INTERVAL, Notifier, Subscription
from app.service.stores import NetworkStore

log = logging.getLogger("backprop_lab.notify")


class StoreNotifier(Notifier):
    def __init__(self, store: NetworkStore, interval: float = MAX_INTERVAL):
        super().__init__()
        self.store, self.interval = store, min(interval, MAX_INTERVAL)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notify")
        self._task: asyncio.Task | None = None

    async def _versions(self, ids: list[str]) -> dict[str, int]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, self.store.versions, ids)

    async def subscribe(self, nid: str) -> Subscription:
        sub = Subscription(nid, (await self._versions([nid])).get(nid))
        self.subscribers.setdefault(nid, set()).add(sub)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._poll())
        return sub

    async def _poll(self) -> None:
        while self.subscribers:
            await asyncio.sleep(self.interval)
            ids = list(self.subscribers)
            try:
                found = await self._versions(ids)
            except Unavailable as e:  # the database is away: try again at the next check
                log.warning("checking for changes: %s", e.message)
                continue
            for nid in ids:
                self.publish(nid, found.get(nid))

    def close(self) -> None:
        super().close()
        if self._task is not None:
            self._task.cancel()
        self._thread.shutdown(wait=False)
