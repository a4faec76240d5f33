"""Starting on PostgreSQL: `--db postgresql://…` serves from that database (the start-up
line names it without its password, /healthz names the store); a server that cannot be
reached, a wrong password or a missing postgres extra stop the start (and `gc`) with a
clear message and exit status 2, no traceback, never the password."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

import httpx

from tests.support.live_server import LiveServer, free_port


def run(*args: str, hide_psycopg: bool = False) -> subprocess.CompletedProcess:
    code = "import sys\n"
    if hide_psycopg:  # as if the postgres extra were not installed
        code += "sys.modules['psycopg'] = sys.modules['psycopg_pool'] = None\n"
    code += "from app.cli import main\nmain(sys.argv[1:])\n"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60
    )


def test_an_unreachable_server_stops_the_start_and_gc_clearly():
    port = free_port()
    url = f"postgresql://bpl:s3cret-word@127.0.0.1:{port}/lab"
    for args in (["--db", url], ["gc", "--db", url]):
        done = run(*args)
        assert done.returncode == 2, done
        assert f"cannot connect to the postgresql database lab on 127.0.0.1:{port}" in done.stderr
        assert "check that the database server runs" in done.stderr
        assert "Traceback" not in done.stderr and "s3cret-word" not in done.stderr + done.stdout


def test_a_missing_extra_names_the_install_command():
    done = run("--db", "postgresql://bpl@127.0.0.1/lab", hide_psycopg=True)
    assert done.returncode == 2, done
    assert "pip install 'backprop-lab[postgres]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_wrong_password_is_named_without_the_password(postgres_url):
    wrong = postgres_url.replace(f":{urlsplit(postgres_url).password}@", ":not-the-word@")
    done = run("--db", wrong)
    assert done.returncode == 2, done
    assert "password authentication failed" in done.stderr
    assert "not-the-word" not in done.stderr and "Traceback" not in done.stderr


def test_the_server_serves_from_postgresql_and_names_it_without_the_password(pg_db):
    with LiveServer(pg_db) as server:
        health = httpx.get(f"{server.url}/healthz")
        created = httpx.post(f"{server.url}/api/networks", json={"preset": "seed-xor"})
    assert health.json() == {"status": "ok", "store": "postgresql"}
    assert created.status_code == 201
    name, where = urlsplit(pg_db).path.lstrip("/"), f"127.0.0.1:{urlsplit(pg_db).port}"
    line = server.output().splitlines()[0]
    assert line.endswith(f"networks in the postgresql database {name} on {where}"), line
    assert urlsplit(pg_db).password not in server.output()
