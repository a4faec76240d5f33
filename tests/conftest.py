"""Fixtures shared by the test suites.

- `client`: a synchronous httpx client calling a fresh app in-process (httpx.ASGITransport)
  over a temporary SQLite file;
- `live_server`: a factory that starts the real server (uvicorn in a child process) on a
  free loopback port and returns its base URL; every server it started stops at teardown;
- `server_url`: one real server shared by the whole session;
- `postgres_url`: a PostgreSQL database for the session (BACKPROP_LAB_TEST_POSTGRES_URL, as
  .ci/run sets it; else a throwaway cluster of our own when PostgreSQL is installed; else
  the test is skipped, or fails under BACKPROP_LAB_REQUIRE_POSTGRES=1), and `pg_db`: a
  fresh empty database in it for one test (its URL), dropped after.

Property tests (Hypothesis) draw new examples on every run; under
`HYPOTHESIS_PROFILE=ci` (set by .ci/run) they draw the same ones each time, so that a
run of CI is repeatable (a failure found there fails again with the same example).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

from app.main import create_app
from app.settings import Settings
from tests.support import postgres
from tests.support.app_client import AppClient
from tests.support.live_server import LiveServer

hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db=str(tmp_path / "lab.db"))


@pytest.fixture
def client(settings):
    c = AppClient(create_app(settings))
    yield c
    c.close()


@pytest.fixture
def live_server(tmp_path):
    """start(env=None, workers=1, db=None) -> base URL such as http://127.0.0.1:PORT.

    `env` adds environment variables for the server; `db` defaults to a fresh file."""
    servers: list[LiveServer] = []

    def start(env: dict | None = None, workers: int = 1, db: str | None = None) -> str:
        path = db or str(tmp_path / f"live-{len(servers)}.db")
        server = LiveServer(path, workers=workers, env=env).start()
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def server_url(tmp_path_factory):
    """The base URL of one real server shared by the session."""
    db = str(tmp_path_factory.mktemp("live") / "lab.db")
    with LiveServer(db) as server:
        yield server.url


@pytest.fixture(scope="session")
def postgres_url():
    """The URL of a PostgreSQL database whose role may create databases."""
    url = os.environ.get(postgres.URL)
    missing = None
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing = "psycopg is not installed (pip install -e '.[test]')"
    if missing is None and url:
        yield url
        return
    if missing is None and postgres.bindir() is None:
        missing = f"no PostgreSQL: set {postgres.URL} or install postgresql"
    if missing is not None:
        if os.environ.get(postgres.REQUIRE) == "1":
            pytest.fail(f"{postgres.REQUIRE}=1 but {missing}")
        pytest.skip(missing)
    cluster = postgres.Cluster().start()
    try:
        yield cluster.url
    finally:
        cluster.remove()


@pytest.fixture
def pg_db(postgres_url):
    """A fresh empty database (its URL), dropped after the test."""
    with postgres.fresh_database(postgres_url) as url:
        yield url
