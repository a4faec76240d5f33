"""A PostgreSQL cluster of a test module's own, for tests that stop and start it (the
shared one of `postgres_url` must stay up for the others)."""

from __future__ import annotations

import os

import pytest

from tests.support import postgres


@pytest.fixture(scope="module")
def own_cluster():
    if postgres.bindir() is None:
        if os.environ.get(postgres.REQUIRE) == "1":
            pytest.fail(f"{postgres.REQUIRE}=1 but PostgreSQL is not installed")
        pytest.skip("PostgreSQL is not installed")
    cluster = postgres.Cluster().start()
    try:
        yield cluster
    finally:
        cluster.remove()
