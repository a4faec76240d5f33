"""Two app server processes on one PostgreSQL database: any request may go to either.
Concurrent steps spread over both are applied one after another, none lost; a server
killed in the middle of a load loses no step it answered; a watcher on one server sees,
within a second, a change made through the other."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg
import pytest

from tests.support.cluster import JSON, new_network, state
from tests.support.sse import Stream


def listeners(url: str) -> int:
    """The connections LISTENing for changes (app/service/pgnotify.py), of any server."""
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
            "AND datname = current_database()",
            ("backprop-lab notify",),
        ).fetchone()[0]


def step(url: str) -> httpx.Response:
    with httpx.Client(timeout=30) as http:
        return http.post(url, headers=JSON)


@pytest.mark.parametrize("shared_db", ["postgresql", "sqlite"], indirect=True)
def test_forty_concurrent_steps_over_both_servers_make_exactly_forty_iterations(servers):
    a, b = servers
    made = new_network(a.url)
    nid = made["id"]
    before = state(b.url, nid)
    urls = [f"{(a, b)[i % 2].url}/api/networks/{nid}/step" for i in range(40)]
    with ThreadPoolExecutor(40) as pool:
        answers = list(pool.map(step, urls))
    assert [r.status_code for r in answers] == [200] * 40, [r.text for r in answers[:3]]
    after_a, after_b = state(a.url, nid), state(b.url, nid)
    assert after_a == after_b  # both servers read the same network
    assert after_a["iteration"] == before["iteration"] + 40
    assert after_a["version"] == before["version"] + 40
    # each answer is a different iteration: no two steps acted on the same state
    assert sorted(r.json()["iteration"] for r in answers) == list(
        range(before["iteration"] + 1, before["iteration"] + 41)
    )


@pytest.mark.parametrize("shared_db", ["postgresql", "sqlite"], indirect=True)
def test_a_server_killed_mid_load_loses_no_answered_step(servers):
    a, b = servers
    nid = new_network(b.url)["id"]
    start = state(b.url, nid)["iteration"]
    answered: list[int] = []  # the iteration of every step answered 200
    refused: list[str] = []  # any other answer (there must be none)
    failed = [0]  # steps without an answer (the killed server's connections)
    stop = threading.Event()

    def load(server) -> None:
        with httpx.Client(timeout=10) as http:
            while not stop.is_set():
                try:
                    answer = http.post(f"{server.url}/api/networks/{nid}/step", headers=JSON)
                except httpx.HTTPError:
                    failed[0] += 1
                    if server is a:
                        return  # it is gone
                    continue
                if answer.status_code == 200:
                    answered.append(answer.json()["iteration"])
                else:
                    refused.append(f"{answer.status_code} {answer.text}")

    threads = [threading.Thread(target=load, args=(s,)) for s in (a, a, a, b, b, b)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    killed_after = len(answered)
    a.kill()  # SIGKILL: no shutdown code runs, transactions under way are cut off
    time.sleep(1.0)
    stop.set()
    for thread in threads:
        thread.join(20)
    final = state(b.url, nid)["iteration"]
    assert refused == []
    assert killed_after > 5 and len(answered) > killed_after  # load on both, then on B
    assert len(set(answered)) == len(answered)  # no two answered steps on the same state
    assert max(answered) <= final
    # every answered step is in the count; at most the unanswered ones besides (a step
    # may have committed on A just before the kill, its answer lost)
    assert len(answered) <= final - start <= len(answered) + failed[0]


def test_a_watcher_on_one_server_sees_a_change_made_on_the_other_within_a_second(servers):
    a, b = servers
    made = new_network(b.url)
    nid, watch_id = made["id"], made["watch_id"]
    with Stream(f"{a.url}/api/watch/{watch_id}/events") as stream:
        assert stream.status == 200
        assert stream.wait_for(lambda s: [c["version"] for c in s.of("change")] == [1])
        assert listeners(a.db) == 1  # A LISTENs (for its one follower); B has none
        for n in range(3):
            time.sleep(0.3)  # slower than the stream's pacing
            answer = step(f"{b.url}/api/networks/{nid}/step")
            version = answer.json()["version"]
            assert stream.wait_for(  # within 1 s of the change's answer (its commit)
                lambda s, v=version: any(c["version"] == v for c in s.of("change")), 1.0
            ), (n, stream.of("change"))
        assert stream.of("change")[-1]["iteration"] == 3
        assert httpx.delete(f"{b.url}/api/networks/{nid}").status_code in (200, 204)
        assert stream.wait_for(lambda s: s.of("deleted") and s.ended.is_set(), 1.0)
