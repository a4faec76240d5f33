"""GET /api/watch/{watch_id}/events: a server-sent event stream of the network's changes
(what it sends: app/web/follow.py); documented with the JSON API, kept here beside the
page routes since it renders the watch page's region. The stream runs on the event loop,
not in a worker thread: a process holds any number of followers (up to its connection
limit, app/server.py) at the cost of a connection each, and it ends as soon as the
client goes."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from app.deps import WatchId
from app.service.sharing import unknown_watch
from app.views.display import display_of
from app.web.follow import Asked

router = APIRouter(prefix="/api/watch/{watch_id}", tags=["api"])
VIEW_PARAMS = (
    "focus",
    "sample",
    "digits",
    "mode",
    "log",
    "thumbs",
    "discrete",
    "present",
    "practice",
)
EVENTS_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/event-stream": {}},
        "description": "event `change` (data: JSON {version, iteration, phase, next, layer, "
        "title[, html]}, id: the version) per change, at most 4 a second, always ending on "
        "the newest; a comment line as a heartbeat; event `deleted`, then the end, when the "
        "network is deleted",
    },
    404: {"description": "no network with this watch id"},
    422: {"description": "a malformed `seen`"},
}


class EventStream(StreamingResponse):
    """text/event-stream from an async iterator of bytes; it stops at once when the client
    disconnects (its http.disconnect is listened for beside the stream)."""

    media_type = "text/event-stream"

    def __init__(self, events: AsyncIterator[bytes]):
        headers = {"cache-control": "private, no-store", "x-accel-buffering": "no"}
        super().__init__(events, headers=headers, media_type=self.media_type)
        self.events = events

    async def __call__(self, scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        async with anyio.create_task_group() as group:

            async def pump() -> None:
                try:
                    async for chunk in self.events:
                        await send({"type": "http.response.body", "body": chunk, "more_body": True})
                except OSError:  # the client went (ASGI 2.4 servers raise it on send)
                    pass
                group.cancel_scope.cancel()

            async def listen() -> None:
                while (await receive())["type"] != "http.disconnect":
                    pass
                group.cancel_scope.cancel()

            group.start_soon(pump)
            group.start_soon(listen)
        await self.events.aclose()  # type: ignore[attr-defined]
        with contextlib.suppress(OSError):  # the client went
            await send({"type": "http.response.body", "body": b"", "more_body": False})


@router.get("/events", status_code=200, response_class=EventStream, responses=EVENTS_DOC)
async def watch_events(
    watch_id: WatchId,
    request: Request,
    seen: Annotated[
        int, Query(ge=-1, description="the version the client shows (-1: none): newer is sent")
    ] = -1,
    fragment: Annotated[
        bool,
        Query(
            description="with the watch page's lab region (`html`), rendered in the view the "
            "other query parameters (focus, sample, digits, mode, …) and the text-size "
            "cookies give"
        ),
    ] = False,
):
    """The network's changes as server-sent events, as they happen (in every server
    process): `change` per change (coalesced to at most 4 a second), a heartbeat comment
    every 10 s of silence, `deleted` and the end of the stream when it is deleted. An
    EventSource reconnecting sends Last-Event-ID: nothing older than it is sent again."""
    hub = request.app.state.follow
    found = await hub.find(watch_id)
    if found is None:
        raise unknown_watch(watch_id)
    last = request.headers.get("last-event-id", "")
    if last.isdecimal() and len(last) < 12:
        seen = max(seen, int(last))
    asked: Asked | None = None
    if fragment:
        params = request.query_params
        view = tuple((k, params[k][:64]) for k in VIEW_PARAMS if k in params)
        asked = (view, display_of(request.cookies), str(request.base_url))
    return EventStream(hub.follow(found[0], watch_id, seen, asked))
