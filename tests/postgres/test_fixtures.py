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


def test_a_database_is_dropped_with_a_connection_still_open_to_it(postgres_url):
    """The teardown ends this role's connections itself and drops the database with a
    plain DROP (which an autovacuum worker gives way to; WITH (FORCE) may not end one)."""
    from tests.support.postgres import fresh_database

    with fresh_database(postgres_url) as url:
        left_open = psycopg.connect(url, autocommit=True)
        name = left_open.execute("SELECT current_database()").fetchone()[0]
    with psycopg.connect(postgres_url) as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
    assert name not in names
    with pytest.raises(psycopg.OperationalError):
        left_open.execute("SELECT 1")  # it was ended
    left_open.close()
