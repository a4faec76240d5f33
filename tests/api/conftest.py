"""Small factories for the API tests, and the store under them: every API test that uses
`settings` (or `client`, made from it) runs twice, on an SQLite file and on a fresh
PostgreSQL database (`pg_db`). A test about the SQLite file itself is marked
`sqlite_only` and runs on SQLite alone."""

from __future__ import annotations

import pytest

from app.settings import Settings
from tests.support.api_helpers import JSON, checked

STORES = ["sqlite", "postgresql"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only: about the SQLite file itself; not run on PostgreSQL"
    )


def pytest_collection_modifyitems(config, items):
    """Leave out the PostgreSQL runs of the tests marked sqlite_only."""
    keep, drop = [], []
    for item in items:
        kind = getattr(item, "callspec", None) and item.callspec.params.get("database")
        on_pg = kind == "postgresql"
        (drop if on_pg and item.get_closest_marker("sqlite_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(params=STORES)
def database(request, tmp_path) -> str:
    """The database setting of a fresh, empty store: an SQLite file's path, or the URL of
    a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "lab.db")
    return request.getfixturevalue("pg_db")


@pytest.fixture
def settings(database) -> Settings:
    return Settings(db=database)


@pytest.fixture
def create(client):
    """create(**body) -> NetworkState of a new network (201 checked)."""

    def make(**body) -> dict:
        return checked(client.post("/api/networks", json=body), 201)

    return make


@pytest.fixture
def act(client):
    """act(nid, action, body=None, status=200) -> JSON of POST /api/networks/{nid}/{action}."""

    def post(nid: str, action: str, body=None, status: int = 200):
        kwargs = {"headers": JSON} if body is None else {"json": body}
        return checked(client.post(f"/api/networks/{nid}/{action}", **kwargs), status)

    return post
