"""Run the app in a child process on a free loopback port: for tests and benchmarks.

with LiveServer(db="lab.db", workers=2) as server:
    httpx.get(server.url + "/healthz")
"""

from __future__ import annotations

import os
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

    def __init__(self, db: str, workers: int = 1, env: dict | None = None, port: int | None = None):
        self.db, self.workers, self.env = db, workers, env or {}
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
        )
        try:
            self.wait_until_up(self.url, self.process, timeout)
        except RuntimeError as e:
            self.stop()
            raise RuntimeError(f"{e}:\n{self.output()}") from None
        return self

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

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash."""
        self.stop(signal.SIGKILL)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
