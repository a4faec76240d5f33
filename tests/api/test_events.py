"""GET /api/watch/{watch_id}/events on a real server with two worker processes: one
`change` per change, in order, whichever process made it (a worker, or another process
writing the same database file); `deleted` and the end on delete; the heartbeat; at most
4 changes a second however fast the network changes, ending on the newest; nothing in it
names the edit id."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from app.service.lab import LabService
from app.service.store import SQLiteStore
from app.settings import Settings
from tests.api.test_security_headers import assert_secure
from tests.support.live_server import LiveServer
from tests.support.sse import Stream

JSON = {"content-type": "application/json"}
HEARTBEAT = 0.3


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("events") / "lab.db")
    env = {
        "BACKPROP_LAB_HEARTBEAT_SECONDS": str(HEARTBEAT),
        "BACKPROP_LAB_CREATE_PER_MINUTE": "0",
        # the connection limits at their shortest: a stream outlives them all
        "BACKPROP_LAB_KEEP_ALIVE_SECONDS": "1",
        "BACKPROP_LAB_HEADER_SECONDS": "1",
        "BACKPROP_LAB_SEND_SECONDS": "2",
    }
    with LiveServer(db, workers=2, env=env) as live:
        yield live


@pytest.fixture
def elsewhere(server):
    """The lab's service in this test process over the server's database file: changes
    made by a process that serves no stream."""
    store = SQLiteStore(server.db)
    yield LabService(store, Settings(db=server.db))
    store.close()


def new_network(url: str) -> tuple[str, str]:
    made = httpx.post(f"{url}/api/networks", json={"preset": "seed-xor"}).json()
    return made["id"], made["watch_id"]


def test_one_change_per_change_in_order_from_other_processes(server, elsewhere):
    nid, watch_id = new_network(server.url)
    with Stream(f"{server.url}/api/watch/{watch_id}/events") as stream:
        assert stream.status == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.wait_for(lambda s: [c["version"] for c in s.of("change")] == [1])
        versions = [1]
        for i in range(6):
            if i % 2:
                snap = elsewhere.step(nid)  # this test's process: neither worker
            else:
                with httpx.Client() as fresh:  # a new connection: either worker
                    snap_json = fresh.post(f"{server.url}/api/networks/{nid}/step", headers=JSON)
                    snap_json.raise_for_status()
            versions.append(versions[-1] + 1)
            assert stream.wait_for(
                lambda s: [c["version"] for c in s.of("change")] == versions, timeout=2
            ), (versions, stream.of("change"))
            time.sleep(0.3)  # slower than the pacing: every change is its own event
        last = stream.of("change")[-1]
        state = httpx.get(f"{server.url}/api/watch/{watch_id}").json()
        assert {k: last[k] for k in ("version", "iteration", "phase")} == {
            k: state[k] for k in ("version", "iteration")
        } | {"phase": snap.net.phase}
        assert last["iteration"] == 6 and "html" not in last


def test_deleted_then_the_end_of_the_stream(server):
    nid, watch_id = new_network(server.url)
    with Stream(f"{server.url}/api/watch/{watch_id}/events") as stream:
        assert stream.wait_for(lambda s: s.of("change"))
        assert httpx.delete(f"{server.url}/api/networks/{nid}", headers=JSON).status_code == 204
        assert stream.ended.wait(3), "the stream did not end"
        assert stream.events[-1] == ("deleted", {})
        gone = httpx.get(f"{server.url}/api/watch/{watch_id}/events")
        assert gone.status_code == 404 and "watch id" in gone.json()["detail"]


def test_a_heartbeat_comment_in_silence_past_every_connection_timeout(server):
    nid, watch_id = new_network(server.url)
    with Stream(f"{server.url}/api/watch/{watch_id}/events?seen=1") as stream:
        started = time.monotonic()
        assert stream.wait_for(lambda s: len(s.of("comment")) >= 3, timeout=3)
        took = time.monotonic() - started
        assert took >= 2 * HEARTBEAT and not stream.of("change")  # seen=1: nothing newer yet
        time.sleep(3.5 - took)  # past the keep-alive, header and send timeouts
        assert not stream.ended.is_set() and len(stream.of("comment")) >= 3.5 / HEARTBEAT - 2
        httpx.post(f"{server.url}/api/networks/{nid}/step", headers=JSON).raise_for_status()
        assert stream.wait_for(lambda s: [c["version"] for c in s.of("change")] == [2])


def test_a_burst_of_changes_is_paced_and_ends_on_the_newest(server, elsewhere):
    nid, watch_id = new_network(server.url)
    with Stream(f"{server.url}/api/watch/{watch_id}/events?seen=1") as stream:
        time.sleep(0.3)
        started = time.monotonic()
        for _ in range(40):
            final = elsewhere.step(nid)
            time.sleep(0.03)
        elapsed = time.monotonic() - started
        assert stream.wait_for(
            lambda s: s.of("change") and s.of("change")[-1]["version"] == final.version
        )
        versions = [c["version"] for c in stream.of("change")]
        assert versions == sorted(set(versions)) and versions[-1] == final.version == 41
        assert len(versions) <= elapsed * 4 + 2, (len(versions), elapsed)
        assert len(versions) >= 2  # paced, not held back until the end


def test_the_watch_stream_never_names_the_edit_id(server):
    nid, watch_id = new_network(server.url)
    url = f"{server.url}/api/watch/{watch_id}/events?fragment=1&focus=n-1-2&mode=train"
    with Stream(url) as stream:
        httpx.post(f"{server.url}/api/networks/{nid}/forward", headers=JSON).raise_for_status()
        assert stream.wait_for(lambda s: len(s.of("change")) == 2)
        first, second = stream.of("change")
        assert first["html"] != second["html"] and second["phase"] == "forward"
        assert "data-watching" in second["html"] and 'id="lab"' in second["html"]
        assert f'data-version="{second["version"]}"' in second["html"]
        assert "/n/" not in second["html"]
        # its one form that posts is Make my own copy, which changes no network
        posts = re.findall(r'<form[^>]*method="post"[^>]*>', second["html"])
        assert [f'action="/w/{watch_id}/copy"' in form for form in posts] == [True]
        head = "\n".join(f"{k}: {v}" for k, v in stream.headers.items())
        assert nid not in head and nid not in "\n".join(stream.lines)
        assert_secure(
            httpx.Response(200, headers=stream.headers, request=httpx.Request("GET", url))
        )


def test_clients_that_go_do_not_stop_the_others(server):
    nid, watch_id = new_network(server.url)
    gone = [Stream(f"{server.url}/api/watch/{watch_id}/events") for _ in range(20)]
    for s in gone:
        s.close()
    with Stream(f"{server.url}/api/watch/{watch_id}/events") as stay:
        httpx.post(f"{server.url}/api/networks/{nid}/step", headers=JSON).raise_for_status()
        assert stay.wait_for(lambda s: [c["version"] for c in s.of("change")] == [1, 2])
        assert httpx.get(f"{server.url}/healthz").status_code == 200


def test_an_unknown_or_malformed_watch_id_or_seen(server):
    nid, watch_id = new_network(server.url)
    for path in (f"/api/watch/{nid}/events", "/api/watch/x/events", "/api/watch/a%20b/events"):
        assert httpx.get(server.url + path).status_code == 404, path
    bad = httpx.get(f"{server.url}/api/watch/{watch_id}/events?seen=abc")
    assert bad.status_code == 422 and bad.json()["field"] == "seen"


def test_the_streams_end_at_once_when_the_server_stops(tmp_path):
    server = LiveServer(str(tmp_path / "stop.db"), workers=2).start()
    try:
        _, watch_id = new_network(server.url)
        streams = [Stream(f"{server.url}/api/watch/{watch_id}/events") for _ in range(4)]
        assert all(s.wait_for(lambda s: s.of("change")) for s in streams)
        started = time.monotonic()
        server.stop()
        took = time.monotonic() - started
        assert took < 5, took  # not the 10 s of the graceful shutdown's limit
        assert all(s.ended.wait(2) for s in streams)
        assert "Traceback" not in server.output(), server.output()
    finally:
        server.stop()
