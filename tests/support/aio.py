"""Running a coroutine to its end from a test, on a thread of its own: the browser tests'
session-wide Playwright (its sync API) keeps an event loop running on the main thread,
where asyncio.run would refuse to start another."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def run(main: Callable[[], Awaitable[Any]]) -> Any:
    """asyncio.run(main()) on a new thread; its result (or its exception)."""
    import asyncio

    async def whole() -> Any:
        return await main()

    with ThreadPoolExecutor(1, thread_name_prefix="test-loop") as pool:
        return pool.submit(asyncio.run, whole()).result()
