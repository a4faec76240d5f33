"""Where `python -m bench.classroom --store …` runs its class: on SQLite, one server with
two worker processes (the default deployment); on PostgreSQL, two app servers (two
`backprop-lab` commands of one worker each: as many app processes as the SQLite server
has) on one database, behind nginx with the documented configuration
(docs/nginx/backprop-lab.conf), as the load balancer of a deployment past one machine.

A Deployment is the address the learners reach and the processes whose CPU counts as the
server's: on PostgreSQL the app servers, nginx and the database server (when it is a
throwaway cluster of this run; one named by BACKPROP_LAB_TEST_POSTGRES_URL runs elsewhere
and is not counted, which the description says)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support import nginx, postgres
from tests.support.live_server import LiveServer

STORES = ("sqlite", "postgresql")
# a class reaches the server from one address here (as behind a school's NAT): the
# creation limit per address is off, as such a deployment would set it
ENV = {"BACKPROP_LAB_CREATE_PER_MINUTE": "0", "BACKPROP_LAB_FORWARDED_ALLOW_IPS": "127.0.0.1"}


@dataclass
class Deployment:
    url: str
    pids: tuple[int, ...]  # the roots of the process trees whose CPU is the server's
    what: str


@contextmanager
def deployment(store: str) -> Iterator[Deployment]:
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        if store == "sqlite":
            server = stack.enter_context(LiveServer(str(tmp / "class.db"), workers=2, env=ENV))
            assert server.process is not None
            yield Deployment(server.url, (server.process.pid,), "SQLite: one server, --workers 2")
            return
        db, database_pids, where = stack.enter_context(postgres_database())
        servers = [LiveServer(db, workers=1, env=ENV) for _ in range(2)]
        for server in servers:
            stack.callback(server.stop)
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(LiveServer.start, servers))
        if nginx.binary() is None:
            raise SystemExit("the PostgreSQL run needs nginx in front of its two servers")
        upstreams = [f"127.0.0.1:{s.port}" for s in servers]
        proxy = stack.enter_context(nginx.Nginx(upstreams, tmp / "nginx"))
        assert proxy.process is not None
        pids = (*(s.process.pid for s in servers if s.process), proxy.process.pid)
        yield Deployment(
            proxy.url,
            pids + database_pids,
            f"PostgreSQL ({where}): two servers of --workers 1 behind nginx",
        )


@contextmanager
def postgres_database() -> Iterator[tuple[str, tuple[int, ...], str]]:
    """(URL of a fresh database, the database server's pid to count if it is ours, where
    it runs): in BACKPROP_LAB_TEST_POSTGRES_URL's cluster, else in a throwaway cluster."""
    url = os.environ.get(postgres.URL)
    cluster = None if url else postgres.Cluster().start()
    try:
        base = url or cluster.url  # type: ignore[union-attr]
        with postgres.fresh_database(base) as db:
            if cluster is None:
                yield db, (), f"{postgres.URL}'s server, its CPU not counted"
            else:
                pid = int((cluster.dir / "data" / "postmaster.pid").read_text().split()[0])
                yield db, (pid,), "a throwaway cluster on this machine, fsync off"
    finally:
        if cluster is not None:
            cluster.remove()
