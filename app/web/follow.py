"""Following a network live: what the event stream of a watch id sends (app/api/events.py),
made once per server process and shared by every follower.

Per network followed in this process, a Channel holds its newest Snapshot (read once per
version, whoever asks first) and the events made from it: the `change` event of a version
for each view (focus, sample, decimals, mode, text size, screen), with the watch page's
lab region rendered in it when the follower asked for it (a watch page: it morphs the
region in place without another request), or the bare JSON (an API client, the edit
page's other tabs, which fetch their own region). A change is rendered once per
(network, version, view), however many watchers share that view; only the newest few
versions are kept.

Pacing: a follower gets at most one `change` event every MIN_GAP seconds (4 a second while
the teacher plays), always the newest version, so the last event of a burst is the
network as it is now; a comment line every `heartbeat` seconds of silence; `deleted`, and
the end of the stream, when the network is deleted; the end of the stream when the server
stops.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import replace

import anyio.to_thread
import orjson

from app.errors import NotFound
from app.service.lab import LabService
from app.service.notify import Notifier, Subscription
from app.service.snapshot import Snapshot
from app.views.display import Display
from app.views.lab import status
from app.views.viewstate import ViewState
from app.web.responses import full_context, model_of, share_of, view_of
from app.web.shared_events import SharedEvents

MIN_GAP = 0.25  # seconds between two change events to one follower
KEPT_EVENTS = 32  # per network: (version, view) events kept for followers still catching up
DELETED = b"event: deleted\ndata: {}\n\n"
RETRY = b"retry: 1000\n\n"  # EventSource reconnects after a second when the stream drops
Asked = tuple[tuple, Display, str]  # the view a follower asked for (its query's view
# parameters, its text size and screen) and the server address it reached (the watch link)


class Channel:
    """One followed network in this process (see the module's docstring)."""

    def __init__(self, hub: Hub, nid: str, watch_id: str):
        self.hub, self.nid, self.watch_id = hub, nid, watch_id
        self.followers = 0
        self.snap: Snapshot | None = None
        self._loading: asyncio.Future | None = None
        self.events: OrderedDict[tuple, asyncio.Future] = OrderedDict()

    async def snapshot(self, version: int) -> Snapshot | None:
        """The network at `version` or newer, read once for all who ask; None: deleted."""
        if self.snap is not None and self.snap.version >= version:
            return self.snap
        if self._loading is None or self._loading.done():
            self._loading = asyncio.ensure_future(self._load())
        snap = await asyncio.shield(self._loading)
        if snap is not None and (self.snap is None or snap.version > self.snap.version):
            self.snap = snap
        return self.snap if snap is not None else None

    async def _load(self) -> Snapshot | None:
        try:
            return await anyio.to_thread.run_sync(self.hub.service.watch, self.watch_id)
        except NotFound:
            return None

    async def event(self, version: int, asked: Asked | None) -> tuple[int, bytes] | None:
        """(version, the `change` event's bytes) of the newest state at least `version`, with
        the lab region rendered in the view `asked` for (None: JSON only); None when the
        network is gone. A region is made once for all the server's workers when they
        share their events (app/web/shared_events.py), else once in this process."""
        shared = self.hub.shared
        if shared is not None and asked is not None:
            key = ("shared", version, asked)
            made = self.events.get(key)
            if made is None:
                made = asyncio.ensure_future(self._shared(shared, version, asked))
                self.events[key] = made
                self._trim()
            self.events.move_to_end(key)
            found = await asyncio.shield(made)
            if found is not None:
                return found
        return await self._here(version, asked)

    async def _shared(
        self, shared: SharedEvents, version: int, asked: Asked
    ) -> tuple[int, bytes] | None:
        """The event made by whichever worker claims it first: here (and published), or
        read from the worker that did; None when it did not come in time (or the network
        is gone): the caller makes it here."""
        name = shared.key(self.nid, version, asked)
        if not shared.claim(name):
            return await shared.wait(name)
        made = await self._here(version, asked)
        if made is not None:
            shared.put(name, *made)
        return made

    def _trim(self) -> None:
        while len(self.events) > 2 * KEPT_EVENTS:
            self.events.popitem(last=False)

    async def _here(self, version: int, asked: Asked | None) -> tuple[int, bytes] | None:
        """`event`, made in this process (once per version and view)."""
        snap = await self.snapshot(version)
        if snap is None:
            return None
        key = (snap.version, asked)  # as asked for; then as the view it means
        made = self.events.get(key)
        if made is None:
            view = None
            if asked is not None:
                view = replace(view_of(snap, dict(asked[0]), edit=None), display=asked[1])
            base = asked[2] if asked is not None else ""
            same = (snap.version, None if view is None else (view.query(), view.display, base))
            made = self.events.get(same) or asyncio.ensure_future(self._make(snap, view, base))
            self.events[same] = self.events[key] = made
            self._trim()
        self.events.move_to_end(key)
        return snap.version, await asyncio.shield(made)

    async def _make(self, snap: Snapshot, view: ViewState | None, base: str = "") -> bytes:
        data = summary(snap)
        if view is not None:
            data["html"] = await anyio.to_thread.run_sync(self.hub.render, snap, view, base)
        return b"id: %d\nevent: change\ndata: %s\n\n" % (snap.version, orjson.dumps(data))


def summary(snap: Snapshot) -> dict:
    """What every change event says: version, iteration, phase, the next action, the
    layer reached, the title."""
    net = snap.net
    return {
        "version": snap.version,
        "iteration": net.iteration,
        "phase": net.phase,
        "next": net.next_action,
        "layer": net.layer,
        "title": snap.title,
    }


class Hub:
    """The channels of this process, over the notifier (app/service/notify.py)."""

    def __init__(
        self,
        service: LabService,
        notifier: Notifier,
        templates,
        heartbeat: float,
        shared: SharedEvents | None = None,
    ):
        self.service, self.notifier, self.templates = service, notifier, templates
        self.heartbeat, self.shared = heartbeat, shared  # shared: with the other workers
        self.channels: dict[str, Channel] = {}
        self.renders = 0  # how many lab regions were rendered for followers (for tests)

    def render(self, snap: Snapshot, view: ViewState, base: str = "") -> str:
        """A watcher's lab region (_lab.html) of `snap` in `view`, its watch link on the
        server at `base` (the address the follower reached); its live region says where the
        iteration now stands (for a screen reader: the page changed by itself)."""
        self.renders += 1
        net = model_of(snap)
        said = f"The network changed: {status(net, digits=view.digits)['where']}"
        context = full_context(snap, net, view, last={"announce": said})
        context["share"] = share_of(base, snap)
        return self.templates.get_template("_lab.html").render(context)

    async def find(self, watch_id: str) -> tuple[str, int] | None:
        return await anyio.to_thread.run_sync(self.service.store.find, watch_id)

    async def follow(
        self, nid: str, watch_id: str, seen: int, asked: Asked | None
    ) -> AsyncIterator[bytes]:
        """The event stream of network `nid` for one follower that has seen version `seen`
        (-1: none), in the view it `asked` for (see Channel.event)."""
        channel = self.channels.get(nid) or self.channels.setdefault(
            nid, Channel(self, nid, watch_id)
        )
        channel.followers += 1
        sub = await self.notifier.subscribe(nid)
        try:
            yield RETRY
            async for chunk in self._events(channel, sub, seen, asked):
                yield chunk
        finally:
            self.notifier.unsubscribe(sub)
            channel.followers -= 1
            if channel.followers == 0:
                self.channels.pop(nid, None)

    async def _events(
        self, channel: Channel, sub: Subscription, seen: int, asked: Asked | None
    ) -> AsyncIterator[bytes]:
        sent, sent_at = seen, -MIN_GAP
        while not sub.closed:
            if sub.deleted:
                yield DELETED
                return
            if sub.version is not None and sub.version > sent:
                pause = sent_at + MIN_GAP - time.monotonic()
                if pause > 0:
                    await asyncio.sleep(pause)  # coalesce: then send the newest
                    continue
                made = await channel.event(sub.version, asked)
                if made is None:
                    yield DELETED
                    return
                sent, chunk = made
                sent_at = time.monotonic()
                yield chunk
                continue
            if not await sub.wait(self.heartbeat):
                yield b": heartbeat\n\n"

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        self.notifier.close()
