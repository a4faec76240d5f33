"""What the app does when a server process starts and stops: open the database (checked,
its schema created or upgraded: a database that cannot be used stops the start), follow
the supervisor (a worker ends with it), tune the GIL and the allocator (app/server.py),
expire unused networks periodically; at the end, end the event streams, checkpoint and
close the database, so that its file alone holds the data."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from app.server import die_with_parent, tune_process, when_stopping
from app.service import upkeep


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings, store = app.state.settings, app.state.service.store
    store.open()
    forget = when_stopping(app.state.follow.close)  # the event streams end at shutdown
    die_with_parent()
    tune_process()
    task = None
    if settings.expire_days > 0 and settings.gc_seconds > 0:
        task = asyncio.create_task(upkeep.every(store, settings.expire_days, settings.gc_seconds))
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        forget()
        app.state.follow.close()
        store.close()
