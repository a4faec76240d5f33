"""Keeping the database bounded: networks unused for `expire_days` are deleted with their
undo and the samples no other network uses, and the freed pages go back to the file system.
The server does it every `gc_seconds` (incremental vacuum); `backprop-lab gc` does it at
once (a full VACUUM, which also packs the pages that stay)."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

import anyio.to_thread

from app.errors import LabError
from app.service.stores import NetworkStore

log = logging.getLogger("backprop_lab.store")


@dataclass
class Collected:
    networks: int  # networks deleted
    before: int  # bytes on disk (file and WAL) before
    after: int  # and after


def expire(store: NetworkStore, days: float, batch: int = 200) -> int:
    """Delete the networks not used for `days` days (0: none) and the creation budgets
    that have refilled; how many networks went. In batches, so that other changes wait at
    most one batch."""
    removed = 0
    while days > 0:
        gone = store.delete_unused(time.time() - days * 86400, batch)
        removed += gone
        if gone < batch:
            break
    store.forget_full_budgets()
    return removed


def collect(store: NetworkStore, days: float, full: bool = False) -> Collected:
    """Expire, then give the free pages back (`full`: VACUUM)."""
    before = store.file_bytes()
    removed = expire(store, days)
    store.vacuum(full)
    return Collected(removed, before, store.file_bytes())


async def every(store: NetworkStore, days: float, seconds: float) -> None:
    """Collect every `seconds` (in a worker thread) until cancelled."""
    while True:
        await asyncio.sleep(seconds)
        try:
            done = await anyio.to_thread.run_sync(collect, store, days)
        except LabError as e:
            log.warning("expiring networks failed: %s", e.message)
            continue
        if done.networks:
            log.info("expired %d networks: %d → %d bytes", done.networks, done.before, done.after)
