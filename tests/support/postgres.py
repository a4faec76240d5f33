"""PostgreSQL for the tests: a throwaway cluster of our own (the same recipe as
.ci/pg-throwaway.sh: a temporary folder, a free loopback port, no durability, run as the
`postgres` user when we are root, since initdb and pg_ctl refuse root), and fresh databases
in a cluster, one per test, dropped after.

    cluster = Cluster().start()      # cluster.url: postgresql://bpl:…@127.0.0.1:PORT/bpl_test
    cluster.stop(); cluster.start()  # the same data again (a database that goes away, returns)
    cluster.remove()
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

REQUIRE = "BACKPROP_LAB_REQUIRE_POSTGRES"
URL = "BACKPROP_LAB_TEST_POSTGRES_URL"


def bindir() -> str | None:
    """The newest installed PostgreSQL's programs (Debian: /usr/lib/postgresql/N/bin)."""
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    found = [d for d in dirs if os.access(f"{d}/initdb", os.X_OK)]
    return found[-1] if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throwaway cluster with a role `bpl` (password, CREATEDB) owning database
    `bpl_test`; `url` is that database's address over TCP."""

    def __init__(self) -> None:
        found = bindir()
        if found is None:
            raise RuntimeError("no PostgreSQL installed (no /usr/lib/postgresql/*/bin/initdb)")
        self.bin = found
        self.dir = Path(tempfile.mkdtemp(prefix="pgtest."))
        self.port = free_port()
        self.password = secrets.token_hex(8)
        self.url = f"postgresql://bpl:{self.password}@127.0.0.1:{self.port}/bpl_test"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._made = False

    def _run(self, *command: str) -> None:
        subprocess.run(
            [*self.as_user, *command],
            cwd=self.dir,
            check=True,
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )

    def start(self) -> Cluster:
        data = self.dir / "data"
        if not self._made:
            self._run("mkdir", str(self.dir / "sock"))
            self._run(
                f"{self.bin}/initdb", "-D", str(data), "-U", "postgres", "--auth-local=trust",
                "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
            )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.dir / 'sock'} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            f"{self.bin}/pg_ctl", "-D", str(data), "-l", str(self.dir / "server.log"),
            "-w", "-t", "60", "-o", options, "start",
        )  # fmt: skip
        if not self._made:
            self._psql(
                f"CREATE ROLE bpl LOGIN CREATEDB PASSWORD '{self.password}'",
                "CREATE DATABASE bpl_test OWNER bpl",
            )
            self._made = True
        return self

    def _psql(self, *statements: str) -> None:
        commands = [a for s in statements for a in ("-c", s)]
        self._run(
            f"{self.bin}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.dir / "sock"),
            "-p", str(self.port), "-U", "postgres", "-d", "postgres", *commands,
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop the server, its connections closed at once; its data stays for `start`
        ("immediate": as a crash, which loses what was not flushed: fsync is off)."""
        self._run(f"{self.bin}/pg_ctl", "-D", str(self.dir / "data"), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        with suppress(subprocess.CalledProcessError):  # stopped already
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def emptied(url: str) -> None:
    """Empty the backprop-lab database at `url` (its schema stays, at this version): our
    connections still open to it are ended first, so that nothing holds a table (an
    autovacuum worker gives way to TRUNCATE by itself)."""
    import psycopg

    from app.service.schema import APPLICATION, SCHEMA_VERSION

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND usename = current_user AND backend_type = 'client backend'"
        )
        conn.execute("TRUNCATE networks, undo, data, creations, meta")
        conn.execute(
            "INSERT INTO meta VALUES ('schema_version', %s), ('application', %s)",
            (str(SCHEMA_VERSION), APPLICATION),
        )


def database_url(url: str, name: str) -> str:
    """`url` with its database name replaced by `name`."""
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@contextmanager
def fresh_database(url: str, template: str | None = None) -> Iterator[str]:
    """A new database in the cluster of `url` (a copy of `template`, else empty); its URL.
    Dropped afterwards, with any connection still open to it."""
    import psycopg
    from psycopg import sql

    name = f"t_{secrets.token_hex(6)}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        create += sql.SQL(" TEMPLATE {} STRATEGY FILE_COPY").format(sql.Identifier(template))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(create)
    try:
        yield database_url(url, name)
    finally:
        drop_database(url, name)


def drop_database(url: str, name: str) -> None:
    """Drop database `name` of the cluster of `url`, with the connections still open to it.
    This role's own are ended first. An autovacuum worker gives way to a plain DROP by
    itself, whereas DROP … WITH (FORCE) would refuse to end it (not this role's process)."""
    import psycopg
    from psycopg import sql

    drop = sql.SQL("DROP DATABASE {}").format(sql.Identifier(name))
    with psycopg.connect(url, autocommit=True) as conn:
        for _ in range(DROP_ATTEMPTS):
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND usename = current_user AND pid <> pg_backend_pid()",
                (name,),
            )
            try:
                conn.execute(drop)  # waits up to 5 s for the ended connections to go
                return
            except psycopg.errors.ObjectInUse:  # a connection opened meanwhile
                time.sleep(0.2)
        conn.execute(drop + sql.SQL(" WITH (FORCE)"))


DROP_ATTEMPTS = 5
