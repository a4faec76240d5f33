"""Change events shared by a server's workers (app/web/shared_events.py): however the
watchers of one view spread over the workers, the region of a change is rendered once
between them and every watcher gets the very same bytes; a claimed event that never comes
(its worker died) is made by the waiting worker itself; old files are swept."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from app.main import create_app
from app.settings import Settings
from app.views.display import Display
from app.web import shared_events
from app.web.follow import Hub
from app.web.shared_events import SharedEvents, make_folder, remove_folder
from tests.app.test_follow_hub import changes_in, delivered
from tests.support.app_client import running

VIEW = ((("focus", "n-1-1"),), Display(scale=1.15), "http://lab.test/")


def workers_of(client, folder, count: int = 2) -> list[Hub]:
    """`count` hubs on the app's service, as the app's workers would each have one,
    sharing the events in `folder`."""
    hub = client.app.state.follow
    shared = SharedEvents(folder)
    return [Hub(hub.service, hub.notifier, hub.templates, 5, shared) for _ in range(count)]


def follow(client, hubs: list[Hub], nid: str, watch_id: str, changes: int, per_hub: int = 3):
    """`per_hub` followers of VIEW on each hub while the network steps; what each got."""
    service = client.app.state.service

    async def scenario():
        streams = [h.follow(nid, watch_id, 1, VIEW) for h in hubs for _ in range(per_hub)]
        got: list[list[bytes]] = [[] for _ in streams]

        async def read(i, stream):
            async for chunk in stream:
                got[i].append(chunk)

        tasks = [asyncio.create_task(read(i, s)) for i, s in enumerate(streams)]
        await asyncio.sleep(0.2)
        for _ in range(changes):
            version = (await asyncio.to_thread(service.step, nid)).version
            await delivered(got, version)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return got

    return client._portal.call(scenario)


def test_a_change_is_rendered_once_for_the_watchers_of_every_worker(tmp_path):
    folder = tmp_path / "events"
    folder.mkdir()
    with running(create_app(Settings(db=str(tmp_path / "h.db"), heartbeat_seconds=5))) as c:
        made = c.post("/api/networks", json={"preset": "seed-xor"}).json()
        hubs = workers_of(c, folder)
        got = follow(c, hubs, made["id"], made["watch_id"], changes=3)
    events = [changes_in(g) for g in got]
    assert 1 <= len(events[0]) <= 3  # three versions (fewer if a slow machine coalesced)
    assert all(e == events[0] for e in events)  # every watcher of both: the very same bytes
    assert b"html" in events[0][-1] and b"The network changed: " in events[0][-1]
    assert sum(h.renders for h in hubs) == len(events[0])  # once a version, not once a hub
    assert len(list(folder.glob("*.event"))) == len(events[0])


def test_without_shared_events_each_worker_renders_its_own(tmp_path):
    """The case the sharing removes (and the test above's oracle of what is rendered)."""
    with running(create_app(Settings(db=str(tmp_path / "h.db"), heartbeat_seconds=5))) as c:
        made = c.post("/api/networks", json={"preset": "seed-xor"}).json()
        hub = c.app.state.follow
        hubs = [Hub(hub.service, hub.notifier, hub.templates, 5) for _ in range(2)]
        got = follow(c, hubs, made["id"], made["watch_id"], changes=2)
    events = [changes_in(g) for g in got]
    assert sum(h.renders for h in hubs) == 2 * len(events[0])
    assert all(e == events[0] for e in events)  # the same bytes either way


def test_a_claimed_event_that_never_comes_is_made_by_the_waiting_worker(tmp_path, monkeypatch):
    monkeypatch.setattr(shared_events, "WAIT_SECONDS", 0.3)
    folder = tmp_path / "events"
    folder.mkdir()
    with running(create_app(Settings(db=str(tmp_path / "h.db"), heartbeat_seconds=5))) as c:
        made = c.post("/api/networks", json={"preset": "seed-xor"}).json()
        (hub,) = workers_of(c, folder, count=1)
        shared = hub.shared
        assert shared is not None
        nid = made["id"]
        version = made["version"] + 1  # the version the step below makes
        dead = shared.key(nid, version, VIEW)
        assert shared.claim(dead)  # a worker claimed it, then died before publishing
        t0 = time.monotonic()
        got = follow(c, [hub], nid, made["watch_id"], changes=1, per_hub=2)
        waited = time.monotonic() - t0
    events = [changes_in(g) for g in got]
    assert events[0] and events[0] == events[1]
    assert b"id: %d\n" % version in events[0][-1]
    assert hub.renders == 1 and waited >= 0.3  # waited for it in vain, then made it


def test_claims_are_exclusive_events_are_whole_and_old_files_are_swept(tmp_path):
    one, other = SharedEvents(tmp_path), SharedEvents(tmp_path)
    name = one.key("n", 3, VIEW)
    assert one.claim(name) and not other.claim(name)
    assert other.get(name) is None
    one.put(name, 4, b"id: 4\nevent: change\ndata: {}\n\n")
    assert other.get(name) == (4, b"id: 4\nevent: change\ndata: {}\n\n")
    assert not list(tmp_path.glob("*.part"))
    old = time.time() - shared_events.KEEP_SECONDS - 1
    os.utime(tmp_path / f"{name}.claim", (old, old))
    fresh = one.key("n", 5, VIEW)
    assert one.claim(fresh)
    one.sweep(now=time.time())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"{name}.event", f"{fresh}.claim"])


def test_the_key_of_a_view_is_the_same_in_every_process(tmp_path):
    here = SharedEvents(tmp_path).key("net", 7, VIEW)
    code = (
        "from app.web.shared_events import SharedEvents; "
        "from tests.app.test_shared_events import VIEW; "
        f"print(SharedEvents({str(tmp_path)!r}).key('net', 7, VIEW))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == here
    assert SharedEvents(tmp_path).key("net", 8, VIEW) != here  # another version, another key


def test_a_servers_folder_is_made_and_removed():
    folder = make_folder()
    assert os.path.isdir(folder) and shared_events.shared_events(folder) is not None
    remove_folder(folder)
    assert not os.path.exists(folder) and shared_events.shared_events(folder) is None


def test_a_server_of_two_workers_gives_them_one_folder_and_removes_it_when_it_stops(tmp_path):
    from bench.cpu import descendants
    from tests.support.live_server import LiveServer

    server = LiveServer(str(tmp_path / "lab.db"), workers=2).start()
    try:
        assert server.process is not None
        folders = set()
        for pid in descendants(server.process.pid)[1:]:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            folders |= {e.split(b"=", 1)[1] for e in environ if e.startswith(b"BACKPROP_LAB_EV")}
        assert len(folders) == 1  # the workers (and their helpers) share one
        folder = folders.pop().decode()
        assert os.path.isdir(folder)
    finally:
        server.stop()
    assert not os.path.exists(folder)


def test_the_folders_of_servers_that_are_gone_are_removed_when_one_starts(tmp_path, monkeypatch):
    monkeypatch.setattr(shared_events, "MEMORY", tmp_path)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = tmp_path / f"{shared_events.PREFIX}{gone.stdout.strip()}-abc"
    alive = tmp_path / f"{shared_events.PREFIX}{os.getpid()}-def"
    other = tmp_path / "something-else"
    for folder in (dead, alive, other):
        folder.mkdir()
        (folder / "x.event").write_bytes(b"1\n")
    made = Path(make_folder())
    assert made.parent == tmp_path and made.name.startswith(f"{shared_events.PREFIX}{os.getpid()}-")
    assert not dead.exists() and alive.exists() and other.exists()
    remove_folder(str(made))
