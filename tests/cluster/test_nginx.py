"""nginx with the documented configuration (docs/nginx/backprop-lab.conf) in front of two
app servers on one PostgreSQL database, no sticky sessions: requests alternate between
the servers; a change through nginx works (its Origin checked against the address the
browser used); the event stream through nginx delivers, within a second, a change made
through the other server; the servers see the client's address, not nginx's, and a
client cannot claim another."""

from __future__ import annotations

import time
from itertools import pairwise

import httpx

from tests.support.cluster import JSON, new_network, state
from tests.support.sse import Stream


def upstream(answer: httpx.Response) -> str:
    return answer.headers["x-upstream"]  # which server answered (tests/support/nginx.py)


def test_requests_alternate_between_the_servers(servers, proxy):
    ports = {f"127.0.0.1:{server.port}" for server in servers}
    with httpx.Client() as http:  # one keep-alive connection to nginx
        seen = [upstream(http.get(f"{proxy.url}/healthz")) for _ in range(6)]
    assert set(seen) == ports
    assert all(x != y for x, y in pairwise(seen))  # in turn


def test_a_step_through_nginx(servers, proxy):
    made = new_network(proxy.url)
    nid = made["id"]
    # as a browser's own page sends it: an Origin that is the address it reached
    with httpx.Client() as http:
        steps = [
            http.post(f"{proxy.url}/api/networks/{nid}/step", headers={**JSON, "origin": proxy.url})
            for _ in range(4)
        ]
    assert [r.status_code for r in steps] == [200] * 4, steps[0].text
    assert {upstream(r) for r in steps} == {f"127.0.0.1:{s.port}" for s in servers}
    assert [r.json()["iteration"] for r in steps] == [1, 2, 3, 4]
    assert state(servers[0].url, nid)["iteration"] == state(servers[1].url, nid)["iteration"] == 4
    elsewhere = {**JSON, "origin": "http://evil.example"}
    assert httpx.post(f"{proxy.url}/api/networks/{nid}/step", headers=elsewhere).status_code == 403
    # the watch link in an answer names the address the client used (nginx's)
    page = httpx.get(f"{proxy.url}/n/{nid}")
    assert page.status_code == 200 and f"{proxy.url}/w/{made['watch_id']}" in page.text


def test_the_event_stream_through_nginx_sees_a_change_made_through_the_other_server(servers, proxy):
    made = new_network(proxy.url)
    nid, watch_id = made["id"], made["watch_id"]
    with Stream(f"{proxy.url}/api/watch/{watch_id}/events") as stream:
        assert stream.status == 200 and stream.headers is not None
        follows = upstream_of(stream)
        other = next(s for s in servers if f"127.0.0.1:{s.port}" != follows)
        assert stream.wait_for(lambda s: [c["version"] for c in s.of("change")] == [1])
        for _ in range(3):
            time.sleep(0.3)
            version = httpx.post(f"{other.url}/api/networks/{nid}/step", headers=JSON).json()[
                "version"
            ]
            assert stream.wait_for(  # within 1 s of the change's answer (its commit)
                lambda s, v=version: any(c["version"] == v for c in s.of("change")), 1.0
            ), stream.of("change")
        # and a change made through nginx, whichever server takes it
        version = httpx.post(f"{proxy.url}/api/networks/{nid}/step", headers=JSON).json()["version"]
        assert stream.wait_for(lambda s: s.of("change")[-1]["version"] == version, 1.0)


def upstream_of(stream: Stream) -> str:
    assert stream.headers is not None
    return stream.headers["x-upstream"]


def test_the_servers_count_creations_per_client_address_not_per_nginx(servers, proxy):
    def client(address: str) -> httpx.Client:
        return httpx.Client(transport=httpx.HTTPTransport(local_address=address))

    with client("127.0.0.2") as first, client("127.0.0.3") as second:
        made = [
            first.post(f"{proxy.url}/api/networks", json={"preset": "seed-xor"}) for _ in range(3)
        ]
        assert [r.status_code for r in made] == [201] * 3  # the limit is 3 a minute
        assert len({upstream(r) for r in made}) == 2  # over both servers: one count
        assert (
            first.post(f"{proxy.url}/api/networks", json={"preset": "seed-xor"}).status_code == 429
        )
        # claiming to be someone else changes nothing: nginx sends the address it saw
        claim = {"x-forwarded-for": "127.0.0.9"}
        again = first.post(f"{proxy.url}/api/networks", json={"preset": "seed-xor"}, headers=claim)
        assert again.status_code == 429
        # another address has a limit of its own
        assert (
            second.post(f"{proxy.url}/api/networks", json={"preset": "seed-xor"}).status_code == 201
        )
