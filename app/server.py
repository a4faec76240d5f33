"""How the server treats connections (uvicorn's HTTP/1.1 protocol, with our limits), and
how its worker processes follow their supervisor.

- Every accepted socket gets TCP_NODELAY: uvicorn's socket for several workers is made
  without it, and Nagle's algorithm then holds back each answer's last packet until the
  client's delayed ACK (tens of milliseconds per request on a keep-alive connection).
- A request's headers must arrive within `header_seconds` of the connection (or of the
  previous answer) and its body within `body_seconds` after them, however slowly the
  bytes drip in; an idle keep-alive connection closes after `keep_alive_seconds`.
- A client that reads nothing of an answer for `send_seconds` is dropped, with what was
  waiting for it; answers are written in pieces as the client reads them.
- Past `max_connections` open connections (or fewer, to stay clear of the descriptor
  limit), a new connection is answered 503 at once and closed, and the log says so at
  most once a second.
- A worker process ends when its supervisor does (Linux: PR_SET_PDEATHSIG).
- When the server starts to shut down, the callbacks given to `when_stopping` run once
  (the event streams end then, instead of holding the shutdown for its whole timeout).
- A server process hands the GIL on every millisecond (not every 5 ms): a long train in
  one request thread then delays the other requests of its worker by about that much at
  each hand-over; and its large buffers (answers, arrays of 256 kB and more) are mapped
  and unmapped on their own, so that memory freed after a large answer goes back to the
  system instead of staying in the allocator's arenas (glibc: mallopt; at most 2 arenas).
- At most THREADS requests of a process run at once in its thread pool (anyio's default
  is 40): on two cores more gain no speed, and each may hold a large network's arrays
  and answer while it is built (40 clients asking for the largest answer at once). Play's
  refreshes are not among them: they run one at a time, under a limiter of their own
  (app/web/training.py: train_chunk).
- Python's cycle collector runs less often and never again over what the process holds
  at start-up (`tune_gc`). A request makes and drops thousands of lists and dicts (a
  record parsed, a diagram's labels): at Python's default of 700, the youngest generation
  was collected several times within each request and what the request still held was
  promoted, so that every few dozen Play refreshes a full collection went over every
  object of the process (modules, routes, templates: about 100,000) for about 75 ms.
  That was an eighth of a refresh's CPU, and a pause in every request of that worker.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import gc
import json
import logging
import multiprocessing
import os
import resource
import signal
import socket
import sys
import time
from collections.abc import Callable

import anyio.to_thread
import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.settings import Settings

log = logging.getLogger("backprop_lab.server")
RESERVED_DESCRIPTORS = 200  # for the database (3 a thread), spooled answers, the log, …
_settings: Settings | None = None
_last_said: dict[str, float] = {}
_stopping: list[Callable[[], None]] = []


def settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = Settings()
    return _settings


def say_at_most_every_second(key: str, message: str, *args) -> None:
    now = time.monotonic()
    if now - _last_said.get(key, 0.0) >= 1.0:
        _last_said[key] = now
        log.warning(message, *args)


def when_stopping(callback: Callable[[], None]) -> Callable[[], None]:
    """Run `callback` (on the event loop) when this process's server begins to shut down;
    returns the function that cancels it."""
    _stopping.append(callback)
    return lambda: _stopping.remove(callback) if callback in _stopping else None


def stopping() -> None:
    """The server is shutting down: run the callbacks, once."""
    while _stopping:
        _stopping.pop()()


def connection_limit(max_connections: int) -> int:
    """Open connections allowed: `max_connections`, but always well inside the process's
    descriptor limit."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return max_connections
    return max(1, min(max_connections, max(soft - RESERVED_DESCRIPTORS, soft // 3)))


def raw_response(status: int, reason: str, detail: str, extra: str = "") -> bytes:
    body = json.dumps({"detail": detail}).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n"
        f"x-content-type-options: nosniff\r\ncache-control: no-store\r\n{extra}\r\n"
    )
    return head.encode() + body


BUSY = "the server has as many connections open as it allows; try again in a moment"
ARRIVED = (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR)  # the request is all in
SLOW = "the request did not arrive in time; send it whole, without pauses"


class Protocol(H11Protocol):
    """uvicorn's h11 protocol with the limits above (see the module's docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        s = settings()
        self.header_seconds, self.body_seconds = s.header_seconds, s.body_seconds
        self.send_seconds = s.send_seconds
        self.limit = connection_limit(s.max_connections)
        self.deadline: asyncio.TimerHandle | None = None
        self.phase = "headers"  # headers | body | handling
        self.stuck: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if len(self.connections) > self.limit:
            say_at_most_every_second(
                "busy", "%d connections open, the limit: new ones get 503", self.limit
            )
            transport.write(raw_response(503, "Service Unavailable", BUSY, "retry-after: 1\r\n"))
            transport.close()
            return
        self.wait_for("headers", self.header_seconds)

    def wait_for(self, phase: str, seconds: float) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
        self.phase = phase
        self.deadline = self.loop.call_later(seconds, self.too_slow)

    def too_slow(self) -> None:
        """The request (headers or body) did not arrive in time: 408 when part of it came
        and nothing was answered yet, then close; a handler waiting for the body sees the
        client gone."""
        self.deadline = None
        if self.transport.is_closing():
            return
        if self.phase == "headers":
            partial = bool(self.conn.trailing_data[0])
        else:
            partial = self.cycle is not None and not self.cycle.response_started
        if partial:
            self.transport.write(raw_response(408, "Request Timeout", SLOW))
        self.transport.close()

    def follow(self) -> None:
        """Move the deadline along as the request arrives (bytes alone never reset it)."""
        state = self.conn.their_state
        if state is h11.SEND_BODY and self.phase == "headers":
            self.wait_for("body", self.body_seconds)
        elif state in ARRIVED and self.phase != "handling":
            if self.deadline is not None:
                self.deadline.cancel()
                self.deadline = None
            self.phase = "handling"

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self.follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self.wait_for("headers", self.header_seconds)
            self.follow()  # a pipelined request may be under way already

    def shutdown(self) -> None:
        stopping()
        super().shutdown()

    def connection_lost(self, exc) -> None:
        for timer in (self.deadline, self.stuck):
            if timer is not None:
                timer.cancel()
        super().connection_lost(exc)

    def pause_writing(self) -> None:
        super().pause_writing()
        if self.stuck is None:
            self.stuck = self.loop.call_later(self.send_seconds, self.drop_stuck)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self.stuck is not None:
            self.stuck.cancel()
            self.stuck = None

    def drop_stuck(self) -> None:
        self.stuck = None
        say_at_most_every_second(
            "stuck", "dropped a client that read nothing for %g s", self.send_seconds
        )
        self.transport.abort()


GIL_SWITCH_SECONDS = 0.001
THREADS = 8
MMAP_THRESHOLD = 256 * 1024
M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # glibc's mallopt parameters (malloc.h)
# net new containers between two collections of the youngest generation (Python's is
# 700): more than a request makes and still holds, so a request's own are freed by their
# counts before a collection could promote them
GC_YOUNG = 10_000


def tune_process() -> None:
    """The GIL hand-over, the thread pool's size and the allocator's settings above, for
    this process (called on the event loop, at start-up)."""
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    tune_gc()
    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc
        return
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    mallopt(M_ARENA_MAX, 2)


@functools.cache
def tune_gc() -> None:
    """Once per process: collect, then freeze what is left (gc.freeze: the collector never
    goes over it again; counts still free it) and collect the youngest generation only
    every GC_YOUNG new containers. Once, because a process that starts several apps (the
    tests) would otherwise freeze, and so keep, the cycles of those it has dropped."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG, older, oldest)


def die_with_parent() -> None:
    """In a worker process (one with a multiprocessing parent: uvicorn's supervisor), ask
    Linux for SIGTERM when the parent dies; if it already has, stop now."""
    parent = multiprocessing.parent_process()
    if parent is None or not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent.pid:
        os.kill(os.getpid(), signal.SIGTERM)
