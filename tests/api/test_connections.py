"""Connections, against the real server: idle, partial and slow requests time out however
the bytes drip in; a client that reads nothing of an answer is dropped; past the
connection limit (kept under a lowered descriptor limit) new connections get 503 at once,
without a log flood or a busy loop, and the server recovers; two workers answer
back-to-back requests as fast as one; killing only the supervisor takes the workers with
it, and a restart binds the port again."""

from __future__ import annotations

import os
import signal
import socket
import statistics
import time

import httpx
import pytest

from tests.support.live_server import LiveServer, alive
from tests.support.networks import LARGEST

QUICK = {  # short limits, so that the tests need not wait long
    "BACKPROP_LAB_HEADER_SECONDS": "1",
    "BACKPROP_LAB_BODY_SECONDS": "1",
    "BACKPROP_LAB_KEEP_ALIVE_SECONDS": "1",
    "BACKPROP_LAB_SEND_SECONDS": "1",
}


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """A server with the short limits, shared by this module's tests."""
    db = str(tmp_path_factory.mktemp("conn") / "lab.db")
    with LiveServer(db, env=QUICK) as server:
        yield server


def connect(server: LiveServer) -> socket.socket:
    """A connection with a small receive window (set before connecting), so that an answer
    the client does not read soon stops in the server's buffers."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(10)
    sock.connect(("127.0.0.1", server.port))
    return sock


def read_all(sock: socket.socket, limit: float = 10) -> bytes:
    """Everything until the server closes (or `limit` seconds pass)."""
    sock.settimeout(limit)
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except (TimeoutError, ConnectionResetError):
        pass
    return b"".join(chunks)


def test_an_idle_connection_is_closed(quick):
    sock = connect(quick)
    start = time.monotonic()
    assert read_all(sock) == b""  # closed without a word: nothing was asked
    assert 0.8 < time.monotonic() - start < 3


def test_a_request_dripping_in_is_cut_off_at_the_header_deadline(quick):
    sock = connect(quick)
    start = time.monotonic()
    answer = b""
    sock.settimeout(0.2)
    for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40:
        try:
            sock.send(bytes([byte]))
        except OSError:
            break
        try:
            answer += sock.recv(4096)
            break
        except TimeoutError:
            pass
    answer += read_all(sock)
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert 0.8 < time.monotonic() - start < 3


def test_a_body_dripping_in_is_cut_off_at_the_body_deadline(quick):
    sock = connect(quick)
    sock.sendall(
        b"POST /api/networks HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n"
        b"content-length: 100\r\n\r\n{"
    )
    start = time.monotonic()
    answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert 0.8 < time.monotonic() - start < 3


def test_a_keep_alive_connection_closes_when_idle(quick):
    with httpx.Client(base_url=quick.url) as http:
        first = http.get("/healthz")
        port = first.extensions["network_stream"].get_extra_info("client_addr")[1]
        time.sleep(0.3)
        again = http.get("/healthz")  # still the same connection
        assert again.extensions["network_stream"].get_extra_info("client_addr")[1] == port
        time.sleep(1.6)
        later = http.get("/healthz")  # a new one: the idle one was closed
        assert later.extensions["network_stream"].get_extra_info("client_addr")[1] != port


def test_a_client_that_reads_nothing_is_dropped(quick):
    """The largest network's state after a step is about 10 MB, more than the kernel's
    buffers hold: the server waits the send deadline (1 s), then hangs up."""
    with httpx.Client(base_url=quick.url, timeout=60) as http:
        nid = http.post("/api/networks", json=LARGEST).json()["id"]
        http.post(f"/api/networks/{nid}/step", headers={"content-type": "application/json"})
        size = len(http.get(f"/api/networks/{nid}").content)
    assert size > 8_000_000
    sock = connect(quick)
    sock.sendall(f"GET /api/networks/{nid} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    time.sleep(3)  # read nothing for longer than the send deadline (1 s)
    got = read_all(sock, limit=5)
    assert 0 < len(got) < size / 2  # what was in flight, then the server hung up


def test_past_the_connection_limit_new_connections_get_503_and_the_server_recovers(tmp_path):
    """With 300 descriptors the server allows 100 connections; 160 idle ones: the last 60
    are answered 503 at once; no busy loop, at most a line a second in the log; once the
    idle ones are gone, it answers again."""
    env = {"BACKPROP_LAB_HEADER_SECONDS": "30"}
    with LiveServer(str(tmp_path / "lab.db"), env=env, nofile=300) as server:
        cpu_before = cpu_seconds(server.process.pid)
        opened = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(160)]
        time.sleep(0.5)
        held, refused = [], 0
        for sock in opened:
            sock.settimeout(0.01)
            try:
                answer = sock.recv(4096)
            except TimeoutError:
                held.append(sock)  # accepted and waiting for its request
                continue
            assert answer.startswith(b"HTTP/1.1 503"), answer
            assert b"retry-after: 1" in answer
            refused += 1
            sock.close()
        assert len(held) == 100 and refused == 60
        busy = httpx.get(server.url + "/healthz", timeout=5)
        assert busy.status_code == 503 and "as many connections" in busy.json()["detail"]
        time.sleep(1.0)
        assert cpu_seconds(server.process.pid) - cpu_before < 1.5  # 160 accepts, no spinning
        for sock in held:
            sock.close()
        time.sleep(0.3)
        assert httpx.get(server.url + "/healthz", timeout=5).status_code == 200
        lines = [line for line in server.output().splitlines() if "connections open" in line]
        assert 1 <= len(lines) <= 8, lines


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def back_to_back_ms(url: str, count: int = 40) -> float:
    """The median time of one GET on a keep-alive connection, requests one after another."""
    with httpx.Client(base_url=url) as http:
        nid = http.post("/api/networks", json={"preset": "worked-example"}).json()["id"]
        times = []
        for _ in range(count):
            start = time.perf_counter()
            assert http.get(f"/api/networks/{nid}").status_code == 200
            times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def test_two_workers_answer_back_to_back_requests_as_fast_as_one(quick, live_server):
    one = back_to_back_ms(quick.url)
    two = back_to_back_ms(live_server(workers=2))
    assert two < max(3 * one, one + 10), (one, two)  # without TCP_NODELAY: about one + 40 ms


def test_killing_the_supervisor_takes_its_workers_and_the_port_binds_again(tmp_path):
    server = LiveServer(str(tmp_path / "lab.db"), workers=2).start()
    try:
        pids = server.pids()
        workers = pids[1:]
        assert len(workers) >= 2, pids
        os.kill(server.process.pid, signal.SIGKILL)  # the supervisor only
        server.process.wait(timeout=10)
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in workers):
            assert time.monotonic() < deadline, "workers outlived their supervisor"
            time.sleep(0.1)
    finally:
        server.stop(signal.SIGKILL)
    with LiveServer(str(tmp_path / "lab.db"), port=server.port) as again:
        assert httpx.get(again.url + "/healthz").status_code == 200


def test_a_server_process_tunes_the_gil_threads_and_allocator(tmp_path, monkeypatch):
    """At start-up: the GIL handed on every millisecond, at most THREADS request threads,
    (glibc) large buffers mapped on their own (mallopt called with the threshold), and the
    cycle collector run rarely, never over what was there at start-up (frozen)."""
    import gc
    import sys

    import anyio.to_thread

    from app import server
    from app.main import create_app
    from app.settings import Settings
    from tests.support.app_client import running

    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, param: int, value: int) -> int:
            calls.append((param, value))
            return 1

    monkeypatch.setattr(server.ctypes, "CDLL", lambda name: Libc())
    monkeypatch.setattr(sys, "platform", "linux")
    before = sys.getswitchinterval()
    try:
        with running(create_app(Settings(db=str(tmp_path / "lab.db")))) as client:
            assert sys.getswitchinterval() == server.GIL_SWITCH_SECONDS == 0.001
            tokens = client._portal.call(
                lambda: _tokens(anyio.to_thread.current_default_thread_limiter())
            )
            assert tokens == server.THREADS
            assert gc.get_threshold()[0] == server.GC_YOUNG > 700
            assert gc.get_freeze_count() > 1000  # the modules, the routes, the templates
            collections = [0]

            def count(phase: str, info: dict) -> None:
                collections[0] += phase == "start"

            gc.collect(0)  # from a young generation counted from 0
            gc.callbacks.append(count)
            try:  # what a request makes and drops is not collected at all
                for _ in range(20):
                    held = [[i] for i in range(5000)]
                    del held
            finally:
                gc.callbacks.remove(count)
            assert collections[0] == 0
    finally:
        sys.setswitchinterval(before)
    assert (server.M_MMAP_THRESHOLD, server.MMAP_THRESHOLD) in calls
    assert (server.M_ARENA_MAX, 2) in calls


async def _tokens(limiter) -> int:
    return limiter.total_tokens


def test_the_server_runs_on_uvloop_where_installed_and_asyncio_where_not(quick, monkeypatch):
    """The event loop uvicorn makes with our options: uvloop's when the module is there (it
    is a dependency on CPython off Windows), else asyncio's; and the running server has
    loaded uvloop's compiled loop (it is in the process's memory maps)."""
    import importlib.util
    import sys
    from pathlib import Path

    import uvicorn

    from app import cli
    from app.settings import Settings

    def loop_module() -> str:
        config = uvicorn.Config("app.main:app", **cli.connection_options(Settings()))
        factory = config.get_loop_factory()
        assert factory is not None
        loop = factory()
        try:
            return type(loop).__module__
        finally:
            loop.close()

    installed = importlib.util.find_spec("uvloop") is not None
    assert loop_module().startswith("uvloop" if installed else "asyncio")
    monkeypatch.setitem(sys.modules, "uvloop", None)  # as if it were not installed
    assert loop_module().startswith("asyncio")
    if installed:
        maps = Path(f"/proc/{quick.process.pid}/maps").read_text()
        assert "uvloop/loop." in maps
