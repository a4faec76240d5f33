"""A notifier for any store (app/service/notify.py's interface): SQLiteNotifier's polling,
while the process has subscribers, without its cheap check of the file first: one query
of the subscribed networks' versions (`store.versions`) every `interval` seconds, on a
thread of its own. It serves a store that has no notifier of its own."""

from __future__ import annotations

from app.service.notify import MAX_INTERVAL, SQLiteNotifier
from app.service.stores import NetworkStore


class StoreNotifier(SQLiteNotifier):
    def __init__(self, store: NetworkStore, interval: float = MAX_INTERVAL):
        super().__init__(store.kind, interval)
        self.store = store

    def _versions(self, ids: list[str]) -> dict[str, int]:
        return self.store.versions(ids)

    def _moved(self) -> bool:
        return True  # no cheaper question to ask first

    def _disconnect(self) -> None:
        """The store's connections are the store's."""
