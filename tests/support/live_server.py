"""Run the app in a child process on a free loopback port: for tests and benchmarks.

with LiveServer(db="lab.db", workers=2) as server:
    httpx.get(server.url + "/healthz")
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from typing import Self


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """`python -m app` on 127.0.0.1, in its own process group; `url` once it answers."""

    def __init__(
        self,
        db: str,
        workers: int = 1,
        env: dict | None = None,
        port: int | None = None,
        nofile: int | None = None,
        cwd: str | None = None,
    ):
        self.db, self.workers, self.env, self.nofile = db, workers, env or {}, nofile
        self.cwd = cwd  # where `python -m app` runs (and so which app it imports)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (kept until the server ends)

    def start(self, timeout: float = 30.0) -> Self:
        command = [
            sys.executable,
            "-m",
            "app",
            "--port",
            str(self.port),
            "--db",
            self.db,
            "--workers",
            str(self.workers),
        ]
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **self.env},
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=self._limits if self.nofile else None,
            cwd=self.cwd,
        )
        try:
            self.wait_until_up(self.url, self.process, timeout)
        except RuntimeError as e:
            self.stop()
            raise RuntimeError(f"{e}:\n{self.output()}") from None
        return self

    def _limits(self) -> None:
        """In the child: the lowered descriptor limit, when one was asked for."""
        resource.setrlimit(resource.RLIMIT_NOFILE, (self.nofile, self.nofile))

    @staticmethod
    def wait_until_up(url: str, process: subprocess.Popen, timeout: float) -> None:
        """Poll GET {url}/healthz until it answers 200; RuntimeError if the process ends or
        `timeout` seconds pass first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"the server did not start on {url}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server and its workers (the whole process group) with `sig`."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def pids(self) -> list[int]:
        """The server's processes: the command's and its workers (its children)."""
        if self.process is None:
            return []
        return [self.process.pid, *children(self.process.pid)]

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash."""
        self.stop(signal.SIGKILL)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie does not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
