"""httpx against the app in-process (httpx.ASGITransport), called synchronously."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

import anyio.from_thread
import httpx


class AppClient:
    """httpx against the app in-process, called synchronously through an anyio portal."""

    def __init__(self, app):
        self.app = app
        self._portal_cm = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_cm.__enter__()
        transport = httpx.ASGITransport(app=app)
        self._client = httpx.AsyncClient(transport=transport, base_url="http://lab.test")

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        return self._portal.call(partial(self._client.request, method, url, **kwargs))

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs) -> httpx.Response:
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)

    def close(self) -> None:
        self._portal.call(self._client.aclose)
        self._portal_cm.__exit__(None, None, None)


@contextmanager
def running(app) -> Iterator[AppClient]:
    """An AppClient with the app's lifespan run around it (start-up checks, periodic
    tasks, and the clean close at the end), as a server runs it."""
    client = AppClient(app)
    lifespan = app.router.lifespan_context(app)
    client._portal.call(lifespan.__aenter__)
    try:
        yield client
    finally:
        client._portal.call(lifespan.__aexit__, None, None, None)
        client.close()
