"""The follow hub in one process (app/web/follow.py): a change is rendered once per
(network, version, view) and the same bytes go to every follower with that view; a
follower's stream paces itself; the hub's streams end when the server stops; a follower
that goes leaves nothing behind."""

from __future__ import annotations

import asyncio

from app.main import create_app
from app.settings import Settings
from app.views.display import Display
from tests.support.app_client import running


def follow_many(client, nid: str, watch_id: str, views: list, changes: int) -> dict:
    """Followers in `views` (None: JSON only) while the network steps `changes` times; what
    each received (its chunks), and how many regions the hub rendered."""
    hub, service = client.app.state.follow, client.app.state.service

    async def scenario():
        got = [[] for _ in views]
        streams = [hub.follow(nid, watch_id, 1, v) for v in views]

        async def read(i, stream):
            async for chunk in stream:
                got[i].append(chunk)

        tasks = [asyncio.create_task(read(i, s)) for i, s in enumerate(streams)]
        await asyncio.sleep(0.2)
        before = hub.renders
        for _ in range(changes):
            version = (await asyncio.to_thread(service.step, nid)).version
            await delivered(got, version)
        rendered = hub.renders - before
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return {"got": got, "rendered": rendered, "channels": dict(hub.channels)}

    return client._portal.call(scenario)


async def delivered(got: list[list[bytes]], version: int, within: float = 10.0) -> None:
    """Until every follower has the change of `version` (a loaded machine renders slowly:
    a fixed pause let two changes coalesce into one event), then the pacing gap."""
    mark = b"id: %d\n" % version
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        if all(any(c.startswith(mark) for c in chunks) for chunks in got):
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.3)  # past MIN_GAP, so that the next change is an event of its own


def changes_in(chunks: list[bytes]) -> list[bytes]:
    return [c for c in chunks if b"event: change" in c]


def test_one_render_per_version_and_view_shared_by_every_follower(tmp_path):
    with running(create_app(Settings(db=str(tmp_path / "h.db"), heartbeat_seconds=5))) as c:
        made = c.post("/api/networks", json={"preset": "seed-xor"}).json()
        same = ((("focus", "n-1-1"),), Display(), "http://lab.test/")
        other = ((("focus", "n-2-1"),), Display(scale=1.3), "http://lab.test/")
        views = [same] * 30 + [other] * 10 + [None] * 5
        out = follow_many(c, made["id"], made["watch_id"], views, changes=3)
        firsts = [changes_in(g) for g in out["got"]]
        # three versions (fewer, if a slow machine coalesced one), each rendered once a view
        assert 1 <= len(firsts[0]) <= 3 and len(firsts[30]) == len(firsts[0])
        assert out["rendered"] == len(firsts[0]) + len(firsts[30])
        assert all(f == firsts[0] for f in firsts[:30])  # the very same bytes
        assert firsts[30] != firsts[0] and all(f == firsts[30] for f in firsts[30:40])
        assert all(b'"html"' not in chunk for f in firsts[40:] for chunk in f)
        assert b"focus" in firsts[0][0] and made["id"].encode() not in b"".join(firsts[0])
        # the live region says the page changed by itself (a screen reader hears it)
        assert b'role=\\"status\\">The network changed: ' in firsts[0][0], firsts[0][0][-3000:]
        assert out["channels"] == {}  # every follower gone: nothing kept


def test_the_streams_end_when_the_server_stops(tmp_path):
    with running(create_app(Settings(db=str(tmp_path / "s.db"), heartbeat_seconds=5))) as c:
        made = c.post("/api/networks", json={"preset": "seed-xor"}).json()
        hub = c.app.state.follow

        async def scenario():
            stream = hub.follow(made["id"], made["watch_id"], 1, None)
            chunks = []

            async def read():
                async for chunk in stream:
                    chunks.append(chunk)

            task = asyncio.create_task(read())
            await asyncio.sleep(0.2)
            hub.close()
            await asyncio.wait_for(task, 2)  # ends by itself, not cancelled
            return chunks

        chunks = c._portal.call(scenario)
        assert chunks and not changes_in(chunks)
