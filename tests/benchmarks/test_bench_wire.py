"""bench/wire.py, the classroom's lean HTTP/1.1 client: what it sends, how it reads an
answer (Content-Length, chunked, gzip), keep-alive and its retry when the server let a
reused connection go, its errors, and that a learner on it sees what httpx sees."""

from __future__ import annotations

import asyncio
import gzip
import random
import socket
import struct
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bench.learners import Learner, Stats
from bench.wire import ConnectError, ReadError, ReadTimeout, Wire
from tests.support.aio import run
from tests.support.live_server import LiveServer, free_port


class Cut(bytes):
    """An answer after which the server closes the connection."""


class Reset(bytes):
    """An answer after which the server resets the idle connection (a TCP RST)."""


class Scripted:
    """A loopback server that reads each request's head and body and answers with the next
    of `answers` (bytes; a Cut, then it closes; None: it closes without answering)."""

    def __init__(self, answers: list[bytes | None]):
        self.answers = list(answers)
        self.requests: list[tuple[int, bytes]] = []  # (connection number, request bytes)
        self.connections = 0

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self.serve, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def __aexit__(self, *exc) -> None:
        self.server.close()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        try:
            while self.answers:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await reader.readexactly(length)
                self.requests.append((number, head + body))
                answer = self.answers.pop(0)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
                if isinstance(answer, Cut):
                    break
                if isinstance(answer, Reset):
                    await asyncio.sleep(0.02)
                    sock = writer.get_extra_info("socket")
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                    return
        except asyncio.IncompleteReadError:
            pass
        writer.close()


def on_loop(kind: str, main):
    """main() to its end on a new thread, on asyncio's own event loop or on uvloop's (the
    loop bench.classroom runs on where uvloop is installed)."""
    if kind == "asyncio":
        return run(main)
    uvloop = pytest.importorskip("uvloop")

    def whole():
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(main())

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(whole).result()


def answer(body: bytes, *headers: str, status: str = "200 OK") -> bytes:
    lines = [f"HTTP/1.1 {status}", *headers]
    if not any(h.lower().startswith("transfer-encoding") for h in headers):
        lines.append(f"content-length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def chunked(body: bytes, size: int = 7) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def test_a_form_post_is_sent_as_a_browser_sends_it_and_a_chunked_gzip_answer_is_decoded():
    text = "δ = 0.1234, " * 50
    packed = gzip.compress(text.encode())
    reply = answer(
        chunked(packed),
        "Content-Type: text/html; charset=utf-8",
        "Content-Encoding: gzip",
        "Transfer-Encoding: chunked",
        "HX-Replace-Url: /n/abc?digits=4",
    )

    async def main():
        script = Scripted([reply])
        async with script as url, Wire(url) as wire:
            got = await wire.request(
                "POST",
                "/n/abc/step",
                data={"at": "x", "seen": "3 4"},
                headers={"HX-Request": "true"},
            )
        return script, got

    script, got = run(main)
    assert got.status_code == 200 and got.text == text
    assert got.headers.get("hx-replace-url") == "/n/abc?digits=4"
    assert got.headers.get("HX-Replace-Url") == "/n/abc?digits=4"  # any case, as httpx's
    sent = script.requests[0][1]
    head, body = sent.split(b"\r\n\r\n", 1)
    assert head.startswith(b"POST /n/abc/step HTTP/1.1\r\n")
    assert b"\r\nHX-Request: true" in head and b"Accept-Encoding: gzip" in head
    assert b"Content-Type: application/x-www-form-urlencoded" in head
    assert body == b"at=x&seen=3+4" and f"Content-Length: {len(body)}".encode() in head


def test_requests_share_one_connection_and_json_goes_both_ways():
    async def main():
        no_body = b"HTTP/1.1 204 No Content\r\nx-a: 1\r\nX-A: 2\r\n\r\n"  # no length: none
        script = Scripted([answer(b'{"id": "n1"}'), no_body])
        async with script as url, Wire(url) as wire:
            first = await wire.post("/api/networks", json={"preset": "seed-xor"})
            second = await wire.get("/healthz")
        return script, first, second

    script, first, second = run(main)
    assert first.status_code == 200 and first.json() == {"id": "n1"}
    assert second.status_code == 204 and second.content == b""
    assert second.headers["x-a"] == "1, 2"  # a repeated header, joined
    assert [n for n, _ in script.requests] == [1, 1]  # kept alive: one connection
    assert b'{"preset":"seed-xor"}' in script.requests[0][1]
    assert b"Content-Type: application/json" in script.requests[0][1]


def test_a_reused_connection_the_server_let_go_is_retried_once_on_a_new_one():
    async def main():
        # the second request finds its connection closed without an answer (the server's
        # keep-alive timeout): it goes again on a new connection
        script = Scripted([answer(b"one"), None, answer(b"two")])
        async with script as url, Wire(url) as wire:
            first = await wire.get("/a")
            second = await wire.get("/b")
        return script, first, second

    script, first, second = run(main)
    assert (first.text, second.text) == ("one", "two")
    assert [n for n, _ in script.requests] == [1, 1, 2]
    assert script.requests[2][1].startswith(b"GET /b ")


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_a_kept_connection_the_server_reset_while_idle_is_replaced(loop):
    async def main():
        script = Scripted([Reset(answer(b"one")), answer(b"two"), Cut(answer(b"three"))])
        async with script as url, Wire(url) as wire:
            first = await wire.get("/a")
            await asyncio.sleep(0.1)  # the reset arrives while the connection is idle
            second = await wire.get("/b")
            third = await wire.get("/c")  # after an answer that closed its connection
        return script, first, second, third

    script, *answers = on_loop(loop, main)
    assert [a.text for a in answers] == ["one", "two", "three"]
    assert [n for n, _ in script.requests] == [1, 2, 2]


def test_a_new_connection_closed_without_an_answer_is_an_error_not_retried():
    async def main():
        script = Scripted([None, answer(b"never")])
        async with script as url, Wire(url) as wire:
            with pytest.raises(ReadError):
                await wire.get("/a")
        return script

    assert len(run(main).requests) == 1


def test_an_idle_connection_is_let_go_before_the_servers_timeout():
    async def main():
        script = Scripted([answer(b"one"), answer(b"two")])
        async with script as url, Wire(url, keep_alive=0.05) as wire:
            await wire.get("/a")
            await asyncio.sleep(0.1)
            await wire.get("/b")
        return script

    assert [n for n, _ in run(main).requests] == [1, 2]


def test_no_answer_in_time_no_server_and_a_cut_answer_are_errors_by_kind():
    async def silent(reader, writer):
        await asyncio.sleep(5)

    async def main():
        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with Wire(f"http://127.0.0.1:{port}", timeout=0.2) as wire:
            with pytest.raises(ReadTimeout):
                await wire.get("/slow")
        server.close()
        async with Wire(f"http://127.0.0.1:{free_port()}") as wire:
            with pytest.raises(ConnectError):
                await wire.get("/")
        cut = Cut(answer(b"0123456789")[:-4])  # says 10 bytes, sends 6, then closes
        async with Scripted([cut]) as url, Wire(url, timeout=5) as wire:
            with pytest.raises(ReadError):
                await wire.get("/cut")

    run(main)
    with pytest.raises(ValueError, match="plain http"):
        Wire("https://example.org")


def test_a_learner_on_the_wire_sees_what_it_sees_on_httpx(tmp_path):
    """The same pages and answers, byte for byte, from the app itself; and learners on
    the wire open the lab page, click, play and refresh (as markup, then as numbers)."""

    async def main(url: str):
        async with Wire(url) as wire, httpx.AsyncClient(base_url=url) as http:
            nid = (await wire.post("/api/networks", json={"preset": "worked-example"})).json()["id"]
            same = []
            for path in (f"/n/{nid}", f"/api/networks/{nid}", "/static/css/lab.css"):
                a, b = await wire.get(path), await http.get(path)
                same.append((a.status_code, a.content) == (b.status_code, b.content))
            stats = Stats()
            learner = Learner(wire, nid, stats, random.Random(0))
            assert await learner.open()
            for _ in range(3):
                assert await learner.click()
            versions = (await http.get(f"/api/networks/{nid}")).json()["version"]
            body = {"preset": "circle-tanh"}
            other = (await wire.post("/api/networks", json=body)).json()["id"]
            player = Learner(wire, other, stats, random.Random(0))
            assert await player.open() and await player.play()
            for _ in range(3):  # as numbers (JSON): the page's layout goes with each
                assert await player.refresh()
            played = (await http.get(f"/api/networks/{other}")).json()["iteration"]
            return same, stats, versions, played, player.holds.fields()

    with LiveServer(db=str(tmp_path / "lab.db")) as server:
        same, stats, version, played, held = run(lambda: main(server.url))
    assert same == [True, True, True]
    assert not stats.errors and len(stats.latencies["click"]) == 3
    assert version == 4  # made at 1, then three clicks each changed it
    assert len(stats.latencies["refresh"]) == 3 and played > 0
    assert held.get("layout")  # the numbers' layout, sent back as play.js does
