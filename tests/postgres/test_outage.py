"""A server whose PostgreSQL database goes away: /healthz answers 503 naming the store and
the cause, the API a JSON 503 and the pages an HTML one, each within the store's
timeouts (never hanging); when the database returns, the server recovers by itself."""

from __future__ import annotations

import time

import pytest

from app.main import create_app
from app.service.pgdatabase import POOL_SECONDS
from app.settings import Settings
from tests.support.api_helpers import JSON, checked
from tests.support.app_client import running

pytest.importorskip("psycopg")


def timed(call):
    start = time.monotonic()
    answer = call()
    return answer, time.monotonic() - start


def test_a_lost_database_is_503_at_once_and_the_server_recovers(own_cluster):
    with running(create_app(Settings(db=own_cluster.url))) as client:
        nid = checked(client.post("/api/networks", json={"preset": "seed-xor"}), 201)["id"]
        assert checked(client.get("/healthz")) == {"status": "ok", "store": "postgresql"}
        own_cluster.stop()
        try:
            health, took = timed(lambda: client.get("/healthz"))
            assert health.status_code == 503 and took < POOL_SECONDS + 3, (health.text, took)
            body = health.json()
            assert body["status"] == "unavailable" and body["store"] == "postgresql"
            assert "cannot reach its database" in body["detail"], body
            assert own_cluster.password not in health.text
            api, took = timed(lambda: client.post(f"/api/networks/{nid}/step", headers=JSON))
            assert api.status_code == 503 and took < POOL_SECONDS + 3
            assert "cannot reach its database" in api.json()["detail"]
            page, took = timed(lambda: client.get(f"/n/{nid}", headers={"accept": "text/html"}))
            assert page.status_code == 503 and took < POOL_SECONDS + 3
            assert page.headers["content-type"].startswith("text/html")
            assert "cannot reach its database" in page.text
        finally:
            own_cluster.start()
        deadline = time.monotonic() + 30
        while client.get("/healthz").status_code != 200:
            assert time.monotonic() < deadline, "the server did not recover"
            time.sleep(0.2)
        stepped = checked(client.post(f"/api/networks/{nid}/step", headers=JSON))
        assert stepped["iteration"] == 1
