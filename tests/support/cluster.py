"""What the tests of several app servers on one database share (tests/cluster)."""

from __future__ import annotations

import httpx

JSON = {"content-type": "application/json"}
SERVER_ENV = {
    "BACKPROP_LAB_CREATE_PER_MINUTE": "3",  # per client address, over both servers
    "BACKPROP_LAB_FORWARDED_ALLOW_IPS": "127.0.0.1",  # nginx's address
}


def new_network(url: str, http: httpx.Client | None = None) -> dict:
    """A new seed-xor network made through `url` (its id, watch_id, version, …)."""
    answer = (http or httpx).post(f"{url}/api/networks", json={"preset": "seed-xor"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def state(url: str, nid: str) -> dict:
    answer = httpx.get(f"{url}/api/networks/{nid}")
    assert answer.status_code == 200, answer.text
    return answer.json()
