"""The PostgreSQL test plumbing: `pg_db` is a new, empty database for each test, reachable
with the password in its URL, and it is gone after the test."""

from __future__ import annotations

import pytest

psycopg = pytest.importorskip("psycopg")
seen: list[str] = []


@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_gets_a_fresh_empty_database(pg_db, postgres_url, turn):
    with psycopg.connect(pg_db) as conn:
        name = conn.execute("SELECT current_database()").fetchone()[0]
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
        conn.execute("CREATE TABLE scratch (x int)")  # the next test must not see it
    assert tables == 0
    assert name not in seen
    with psycopg.connect(postgres_url) as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
    assert name in names
    assert not names & set(seen)  # the earlier test's database was dropped
    seen.append(name)
