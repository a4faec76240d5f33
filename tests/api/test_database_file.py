"""The database file: a bad one stops the server at start, naming the file and the problem;
a full disk, a read-only or a locked database give 503 in the API's error shape (or the
error page), keep the connection, and change nothing; DELETE works again once space is
freed; /healthz checks the schema; a clean shutdown leaves the data in the .db file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from app import cli
from app.main import create_app
from app.service import database
from app.service.schema import DatabaseProblem
from app.settings import Settings
from tests.support.api_helpers import JSON, checked
from tests.support.app_client import AppClient, running
from tests.support.filesystems import fill, remount, small_disk
from tests.support.live_server import LiveServer, free_port

pytestmark = pytest.mark.sqlite_only  # the SQLite file itself (PostgreSQL's: tests/postgres)


def a_real_database(path) -> None:
    """A backprop-lab database of several pages, checkpointed into the one file."""
    with running(create_app(Settings(db=str(path)))) as client:
        for preset in ("circle-tanh", "sine-regression", "gauss-softmax"):
            nid = checked(client.post("/api/networks", json={"preset": preset}), 201)["id"]
            checked(client.post(f"/api/networks/{nid}/step", headers=JSON))


def bad_files(tmp_path) -> dict:
    """name → (path, words the message must hold)."""
    good = tmp_path / "good.db"
    a_real_database(good)
    data = good.read_bytes()
    made = {}

    def write(name: str, content: bytes) -> str:
        path = tmp_path / f"{name}.db"
        path.write_bytes(content)
        return str(path)

    made["random bytes"] = (write("random", os.urandom(8192)), "not an SQLite database")
    made["truncated"] = (write("truncated", data[: len(data) // 2]), "damaged")
    made["garbled header"] = (write("garbled", b"garbage!" * 2 + data[16:]), "not an SQLite")
    made["garbled pages"] = (write("pages", data[:4096] + os.urandom(len(data) - 4096)), "damaged")
    newer = write("newer", data)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    made["newer schema"] = (newer, "schema version 99, newer")
    other = str(tmp_path / "other.db")
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    made["not ours"] = (other, "not a backprop-lab database")
    dropped = write("dropped", data)
    with sqlite3.connect(dropped) as conn:
        conn.execute("DROP TABLE networks")
    made["networks dropped"] = (dropped, "table networks is missing")
    (tmp_path / "folder.db").mkdir()
    made["a folder"] = (str(tmp_path / "folder.db"), "is a folder")
    made["missing folder"] = (str(tmp_path / "nowhere" / "lab.db"), "does not exist")
    return made


def test_every_bad_database_stops_the_start_naming_the_file(tmp_path, monkeypatch, capsys):
    def started(*args, **kwargs):
        raise AssertionError("the server started")

    monkeypatch.setattr(cli.uvicorn, "run", started)
    for name, (path, words) in bad_files(tmp_path).items():
        with pytest.raises(SystemExit) as stop:
            cli.main(["--db", path, "--port", "1"])
        out = capsys.readouterr()
        assert stop.value.code == 2, name
        assert path in out.err and words in out.err, (name, out.err)
        assert "open http" not in out.out, name  # the URL is printed only once it can start
        with pytest.raises(DatabaseProblem, match=words), running(create_app(Settings(db=path))):
            pass  # served by uvicorn app.main:app: its lifespan stops the start


def test_the_command_exits_non_zero_before_printing_its_url(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(os.urandom(4096))
    command = [sys.executable, "-m", "app", "--db", str(bad), "--port", str(free_port())]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"backprop-lab: cannot start: {bad} is not an SQLite database" in done.stderr
    assert done.stdout == ""


def test_a_damaged_record_is_a_503_not_a_500(tmp_path):
    db = str(tmp_path / "lab.db")
    client = AppClient(create_app(Settings(db=db)))
    try:
        nid = checked(client.post("/api/networks", json={"preset": "seed-xor"}), 201)["id"]
        checked(client.post(f"/api/networks/{nid}/step", headers=JSON))
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE undo SET state=? WHERE id=?", (b"\x02garbage", nid))
            conn.execute("UPDATE networks SET state=? WHERE id=?", (os.urandom(64), nid))
        for method, url in (("GET", f"/api/networks/{nid}"), ("POST", f"/api/networks/{nid}/undo")):
            broken = client.request(method, url, headers=JSON)
            assert broken.status_code == 503 and broken.json()["cause"] == "corrupt", url
            assert "damaged" in broken.json()["detail"]
        assert client.get(f"/n/{nid}").status_code == 503
    finally:
        client.close()


def test_healthz_checks_the_schema_and_the_tables(tmp_path):
    db = str(tmp_path / "lab.db")
    client = AppClient(create_app(Settings(db=db)))
    try:
        assert client.get("/healthz").status_code == 200
        with sqlite3.connect(db) as conn:
            conn.execute("DROP TABLE undo")
        broken = client.get("/healthz")
        assert broken.status_code == 503 and "table undo is missing" in broken.json()["detail"]
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
        assert "schema version 99" in client.get("/healthz").json()["detail"]
    finally:
        client.close()


def test_a_clean_shutdown_leaves_all_the_data_in_the_db_file(tmp_path):
    db = tmp_path / "lab.db"
    with LiveServer(str(db), workers=2) as server, httpx.Client(base_url=server.url) as http:
        nid = http.post("/api/networks", json={"preset": "circle-tanh"}).json()["id"]
        state = checked(http.post(f"/api/networks/{nid}/step", headers=JSON))
    assert server.process.returncode == 0
    assert not (tmp_path / "lab.db-wal").exists() or (tmp_path / "lab.db-wal").stat().st_size == 0
    alone = tmp_path / "copy" / "lab.db"
    alone.parent.mkdir()
    shutil.copy(db, alone)  # the .db file only
    with running(create_app(Settings(db=str(alone)))) as client:
        assert checked(client.get(f"/api/networks/{nid}")) == state


def local_port(response: httpx.Response) -> int:
    return response.extensions["network_stream"].get_extra_info("client_addr")[1]


def test_a_full_disk_gives_503_keeps_the_connection_and_delete_works_once_space_is_freed(
    tmp_path,
):
    disk = tmp_path / "disk"
    with small_disk(disk, "3m") as mounted:
        if not mounted:  # not root: test_a_read_only_database… covers the 503s
            return
        server = LiveServer(str(disk / "lab.db")).start()
        try:
            with httpx.Client(base_url=server.url, timeout=30) as http:
                ids = [
                    checked(http.post("/api/networks", json={"preset": "circle-tanh"}), 201)["id"]
                    for _ in range(3)
                ]
                kept = checked(http.get(f"/api/networks/{ids[1]}"))
                filler = fill(disk)
                refused = full_disk_refusal(http)
                assert refused.status_code == 503, refused.text
                assert "disk is full" in refused.json()["detail"]
                assert refused.json()["cause"] == "full"
                again = http.get(f"/api/networks/{ids[1]}")  # the same connection, still up
                assert local_port(again) == local_port(refused) and again.json() == kept
                page = http.post("/presets/seed-xor", headers={"accept": "text/html"})
                assert page.status_code == 503 and "disk is full" in page.text
                assert "<html" in page.text.lower()
                filler.unlink()
                assert http.delete(f"/api/networks/{ids[0]}").status_code == 204
                assert http.get(f"/api/networks/{ids[0]}").status_code == 404
                assert checked(http.get(f"/api/networks/{ids[1]}")) == kept
                checked(http.post("/api/networks", json={"preset": "seed-xor"}), 201)
        finally:
            server.stop()
        assert "Traceback" not in server.output()


def full_disk_refusal(http: httpx.Client) -> httpx.Response:
    """Create networks until the disk refuses one (the WAL may hold some pages first)."""
    body = {"preset": "circle-tanh", "dataset": {"name": "circle", "samples": 1000}}
    for _ in range(200):
        answer = http.post("/api/networks", json=body)
        if answer.status_code != 201:
            return answer
    raise AssertionError("the full disk took 200 networks")


@contextmanager
def read_only(path) -> Iterator[None]:
    """`path` read-only: immutable for root (whom permissions do not stop), else 0444."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        return
    os.chmod(path, 0o444)
    try:
        yield
    finally:
        os.chmod(path, 0o644)


def test_a_read_only_database_serves_reads_and_refuses_changes_with_503(tmp_path):
    db = tmp_path / "lab.db"
    with running(create_app(Settings(db=str(db)))) as client:
        nid = checked(client.post("/api/networks", json={"preset": "seed-xor"}), 201)["id"]
    with read_only(db), running(create_app(Settings(db=str(db)))) as client:
        before = checked(client.get(f"/api/networks/{nid}"))
        refused = client.post(f"/api/networks/{nid}/step", headers=JSON)
        assert refused.status_code == 503
        assert refused.json()["cause"] == "readonly" and "read-only" in refused.json()["detail"]
        assert client.post("/api/networks", json={"preset": "seed-xor"}).status_code == 503
        assert checked(client.get(f"/api/networks/{nid}")) == before


def test_a_read_only_folder_stops_the_start_naming_it(tmp_path, monkeypatch, capsys):
    disk = tmp_path / "disk"
    with small_disk(disk, "4m") as mounted:
        if not mounted:
            return
        with running(create_app(Settings(db=str(disk / "lab.db")))) as client:
            checked(client.post("/api/networks", json={"preset": "seed-xor"}), 201)
        remount(disk, "ro")
        try:
            monkeypatch.setattr(cli.uvicorn, "run", lambda *a, **k: None)
            with pytest.raises(SystemExit):
                cli.main(["--db", str(disk / "lab.db")])
            assert "read-only" in capsys.readouterr().err
        finally:
            remount(disk, "rw")


def test_a_locked_database_gives_503_after_waiting_and_works_once_free(tmp_path, monkeypatch):
    monkeypatch.setattr(database, "BUSY_SECONDS", 0.3)
    db = str(tmp_path / "lab.db")
    client = AppClient(create_app(Settings(db=db)))
    try:
        nid = checked(client.post("/api/networks", json={"preset": "seed-xor"}), 201)["id"]
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        refused = client.post(f"/api/networks/{nid}/step", headers=JSON)
        assert refused.status_code == 503 and refused.json()["cause"] == "busy"
        assert "locked by another program" in refused.json()["detail"]
        other.execute("ROLLBACK")
        other.close()
        assert checked(client.post(f"/api/networks/{nid}/step", headers=JSON))["iteration"] == 1
    finally:
        client.close()


def test_a_change_waits_for_another_process_to_commit_and_then_goes_on(tmp_path):
    """The write lock of another connection (as of another process) is waited for, the
    change goes on once it is free and sees what was committed, and the connection's busy
    timeout is the usual one again after."""
    import threading

    from app.service.store import SQLiteStore

    db = str(tmp_path / "lab.db")
    store = SQLiteStore(db)
    nid = store.insert({"n": 0}, {"inputs": [[0]], "targets": [[0]]}).id
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE networks SET title='from the other program' WHERE id=?", (nid,))
    threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
    with store.transaction() as conn:  # waits for the COMMIT
        title = conn.execute("SELECT title FROM networks WHERE id=?", (nid,)).fetchone()[0]
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == database.BUSY_SECONDS * 1000
    assert title == "from the other program"
    other.close()
    store.close()
