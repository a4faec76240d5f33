"""The service over either database: `services(n, **settings)` gives n LabServices, each
over a store of its own on one database (as n server processes on one SQLite file, or n
servers on one PostgreSQL database), each with caches of its own. Every test runs on
SQLite and on PostgreSQL (`pg_store_db`)."""

from __future__ import annotations

import pytest

from app.service.lab import LabService
from app.service.stores import open_store
from app.settings import Settings


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "lab.db")
    return request.getfixturevalue("pg_store_db")


@pytest.fixture
def services(database):
    opened: list[LabService] = []

    def make(count: int = 1, **options) -> list[LabService]:
        for _ in range(count):
            settings = Settings(db=database, **options)
            store = open_store(settings)
            store.open()
            opened.append(LabService(store, settings))
        return opened[-count:]

    yield make
    for service in opened:
        service.store.close()
