"""Two app server processes (two `backprop-lab` commands, not workers of one) on one
PostgreSQL database, as behind a load balancer (or, for the tests parametrised with
`shared_db` "sqlite", on one SQLite file); and nginx in front of them."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support import nginx
from tests.support.cluster import SERVER_ENV
from tests.support.live_server import LiveServer


@pytest.fixture
def shared_db(request, tmp_path):
    """The one database both servers use: a new PostgreSQL database, or one SQLite file
    when a test is parametrised with "sqlite"."""
    if getattr(request, "param", "postgresql") == "sqlite":
        return str(tmp_path / "shared.db")
    return request.getfixturevalue("pg_db")


@pytest.fixture
def servers(shared_db):
    """Servers A and B on `shared_db`, started at the same time (both create or check the
    schema at once: one does it, under the advisory lock)."""
    pair = [LiveServer(shared_db, env=SERVER_ENV) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        started = [pool.submit(server.start) for server in pair]
        errors = [f.exception() for f in started]
    try:
        if any(errors):
            raise RuntimeError(f"a server did not start: {errors}")
        yield pair
    finally:
        for server in pair:
            server.stop()


@pytest.fixture
def proxy(servers, tmp_path):
    """nginx with the documented configuration in front of both servers."""
    if nginx.binary() is None:
        if os.environ.get(nginx.REQUIRE) == "1":
            pytest.fail(f"{nginx.REQUIRE}=1 but nginx is not installed")
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light)")
    upstreams = [f"127.0.0.1:{server.port}" for server in servers]
    with nginx.Nginx(upstreams, tmp_path / "nginx") as running:
        yield running
