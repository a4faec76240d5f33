"""The PostgreSQL change notifier (app/service/pgnotify.py) against a real server: what a
commit elsewhere NOTIFYs reaches the subscribers of this process at once; one listening
connection, only while there are subscribers; a lost connection comes back by itself and
what changed while it was away is published then. The first tests use a table of their
own with the trigger the schema's contract describes; the last, the app's own schema."""

from __future__ import annotations

import asyncio
import time

import pytest

from app.service import pgnotify
from app.service.lab import LabService
from app.service.notify import SQLiteNotifier, notifier_for
from app.service.pgnotify import PostgresNotifier, parse
from app.service.stores import open_store
from app.settings import Settings
from tests.support import aio

psycopg = pytest.importorskip("psycopg")


@pytest.fixture
def db(pg_db):
    """`pg_db` with the app's schema (whose trigger NOTIFYs "<id> <version>" and "<id> -")
    and two networks' rows: a at version 1, b at 7."""
    store = open_store(Settings(db=pg_db))
    store.open()
    store.close()
    with psycopg.connect(pg_db, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO networks (id, version, state, data_key, touched, watch_id, title) "
            "VALUES ('a', 1, '', 'k', 0, 'wa', ''), ('b', 7, '', 'k', 0, 'wb', '')"
        )
    return pg_db


def run(sql: str, url: str, *args) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql, args)


def listeners(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
            "AND datname = current_database()",
            ("backprop-lab notify",),
        ).fetchone()[0]


async def until(test, timeout: float = 5.0) -> float:
    """Seconds until `test()` holds; AssertionError after `timeout`."""
    t0 = time.monotonic()
    while not test():
        assert time.monotonic() - t0 < timeout, "not within the time"
        await asyncio.sleep(0.005)
    return time.monotonic() - t0


def test_payloads_parse_as_the_trigger_writes_them():
    assert parse("abc-D_9 12") == ("abc-D_9", 12)
    assert parse("abc -") == ("abc", None)
    assert parse("abc x") is None
    assert parse("12") is None


def test_a_commit_elsewhere_reaches_the_subscribers_at_once(db):
    async def main():
        notifier = PostgresNotifier(db)
        a1, a2, b = [await notifier.subscribe(n) for n in ("a", "a", "b")]
        assert (a1.version, a2.version, b.version) == (1, 1, 7)  # as read on subscribing
        t0 = time.monotonic()
        await asyncio.to_thread(run, "UPDATE networks SET version = 2 WHERE id = 'a'", db)
        assert await a1.wait(2) and await a2.wait(2)
        took = time.monotonic() - t0
        assert (a1.version, a2.version, b.version) == (2, 2, 7)
        assert not await b.wait(0.2)  # b did not change
        await asyncio.to_thread(run, "UPDATE networks SET id = id WHERE id = 'b'", db)
        assert not await b.wait(0.3)  # same version: no notification, nobody woken
        await asyncio.to_thread(run, "DELETE FROM networks WHERE id = 'b'", db)
        assert await b.wait(2) and b.deleted
        assert listeners(db) == 1  # one listening connection for all of them
        notifier.close()
        return took

    took = aio.run(main)
    assert took < 0.5, f"{took:.3f} s from the commit to the subscriber"


def test_subscribers_that_arrive_during_a_stream_of_changes_all_end_on_the_last(db):
    """Each subscribe reads the version while changes commit around it: none of them may
    be left behind (a change between its read and its LISTEN, or during the read)."""

    def changes() -> None:
        with psycopg.connect(db, autocommit=True) as conn:
            for v in range(2, 62):
                conn.execute("UPDATE networks SET version = %s WHERE id = 'a'", (v,))

    async def main():
        notifier = PostgresNotifier(db)
        first = await notifier.subscribe("a")
        changing = asyncio.create_task(asyncio.to_thread(changes))
        subs = [first]
        while not changing.done():
            subs.append(await notifier.subscribe("a"))
            await asyncio.sleep(0.002)
        await changing
        await until(lambda: all(sub.version == 61 for sub in subs), 1.0)
        notifier.close()
        return len(subs)

    assert aio.run(main) > 5  # subscribed while it changed


def test_a_stale_notification_wakes_nobody(db):
    async def main():
        notifier = PostgresNotifier(db)
        sub = await notifier.subscribe("a")
        await asyncio.to_thread(run, "UPDATE networks SET version = 5 WHERE id = 'a'", db)
        assert await sub.wait(2) and sub.version == 5
        await asyncio.to_thread(run, "SELECT pg_notify('backprop_lab_changes', 'a 3')", db)
        assert not await sub.wait(0.3)
        assert sub.version == 5
        notifier.close()

    aio.run(main)


def test_the_connection_is_open_only_while_there_are_subscribers(db, monkeypatch):
    monkeypatch.setattr(pgnotify, "LINGER", 0.2)

    async def main():
        notifier = PostgresNotifier(db)
        assert listeners(db) == 0
        sub = await notifier.subscribe("a")
        assert listeners(db) == 1
        notifier.unsubscribe(sub)
        await until(lambda: listeners(db) == 0)
        again = await notifier.subscribe("a")  # a new subscriber opens it again
        assert again.version == 1 and listeners(db) == 1 and notifier.connects == 2
        notifier.close()
        await until(lambda: listeners(db) == 0)

    aio.run(main)


def test_a_lost_connection_comes_back_and_publishes_what_changed_meanwhile(
    db, postgres_url, monkeypatch
):
    monkeypatch.setattr(pgnotify, "BACKOFF", (0.05, 0.2))
    name = db.rpartition("/")[2]

    async def main():
        notifier = PostgresNotifier(db)
        sub = await notifier.subscribe("a")
        with psycopg.connect(db, autocommit=True) as changer:  # opened before the outage
            # the outage: nobody may connect to the database, and the listener is cut off
            run(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false', postgres_url)
            run(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'backprop-lab notify'",
                postgres_url,
            )
            await asyncio.sleep(0.5)  # the notifier tries, and fails, to reconnect
            changer.execute("UPDATE networks SET version = 9 WHERE id = 'a'")  # unheard
            await asyncio.sleep(0.3)
            assert sub.version == 1 and notifier.connects == 1
            run(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true', postgres_url)
            await until(lambda: sub.version == 9, 3)  # read again once back
            assert notifier.connects == 2
            changer.execute("UPDATE networks SET version = 10 WHERE id = 'a'")
            await until(lambda: sub.version == 10, 1)  # and LISTENing again
        notifier.close()

    aio.run(main)


def test_subscribing_while_the_database_is_away_reads_the_version_once_it_returns(
    db, postgres_url, monkeypatch
):
    monkeypatch.setattr(pgnotify, "BACKOFF", (0.05, 0.2))
    monkeypatch.setattr(pgnotify, "READ_SECONDS", 0.3)
    name = db.rpartition("/")[2]

    async def main():
        notifier = PostgresNotifier(db)
        run(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false', postgres_url)
        t0 = time.monotonic()
        sub = await notifier.subscribe("b")
        assert time.monotonic() - t0 < 1  # it does not hang
        assert sub.version == pgnotify.UNKNOWN
        run(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true', postgres_url)
        await until(lambda: sub.version == 7, 3)
        notifier.close()

    aio.run(main)


def test_the_app_hears_the_schemas_trigger_through_the_notifier_its_settings_choose(pg_db):
    settings = Settings(db=pg_db)
    store = open_store(settings)
    store.open()
    service = LabService(store, settings)
    notifier = notifier_for(settings)
    assert isinstance(notifier, PostgresNotifier)
    assert isinstance(notifier_for(Settings(db="lab.db")), SQLiteNotifier)
    snap = service.create({"preset": "seed-xor"})

    async def main():
        sub = await notifier.subscribe(snap.id)
        assert sub.version == snap.version
        stepped = await asyncio.to_thread(service.step, snap.id)  # the store's own change
        assert await sub.wait(2) and sub.version == stepped.version == snap.version + 1
        await asyncio.to_thread(service.delete, snap.id)
        assert await sub.wait(2) and sub.deleted
        notifier.close()

    try:
        aio.run(main)
    finally:
        store.close()
