"""nginx in front of app servers, for the tests: the documented configuration
(docs/nginx/backprop-lab.conf) with only its addresses changed, inside a minimal main
configuration of our own that keeps every file nginx writes in a temporary folder (no
root paths), and adds one header naming the server that answered (X-Upstream).

    with Nginx(["127.0.0.1:8001", "127.0.0.1:8002"], folder) as proxy:
        httpx.get(proxy.url + "/healthz").headers["x-upstream"]
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Self

from tests.support.live_server import free_port

DOCUMENTED = Path(__file__).parents[2] / "docs" / "nginx" / "backprop-lab.conf"
REQUIRE = "BACKPROP_LAB_REQUIRE_NGINX"
MAIN = """\
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
{user}
events {{ worker_connections 512; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    add_header X-Upstream $upstream_addr always;
    include {dir}/backprop-lab.conf;
}}
"""


def binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def configured(text: str, upstreams: list[str], port: int) -> str:
    """The documented configuration with its two servers' addresses replaced by
    `upstreams` and its `listen 80` by loopback `port`; ValueError when it no longer has
    exactly those lines (the documented file changed: change this too)."""
    servers = re.findall(r"^\s*server 127\.0\.0\.1:800[12]\b", text, flags=re.M)
    listens = re.findall(r"^\s*listen 80;", text, flags=re.M)
    if len(servers) != len(upstreams) or len(listens) != 1:
        raise ValueError(f"{DOCUMENTED}: expected {len(upstreams)} servers and one listen 80")
    for n, address in enumerate(upstreams, start=1):
        text = text.replace(f"server 127.0.0.1:800{n}", f"server {address}", 1)
    return text.replace("listen 80;", f"listen 127.0.0.1:{port};", 1)


class Nginx:
    """nginx (master and one worker) on a free loopback port in front of `upstreams`."""

    def __init__(self, upstreams: list[str], folder: Path):
        found = binary()
        if found is None:
            raise RuntimeError("nginx is not installed")
        self.binary, self.dir = found, Path(folder)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.dir.mkdir(parents=True, exist_ok=True)
        site = configured(DOCUMENTED.read_text(), upstreams, self.port)
        (self.dir / "backprop-lab.conf").write_text(site)
        # as root, nginx's worker would run as nobody, who cannot enter a private folder
        user = "user root;" if os.geteuid() == 0 else ""
        (self.dir / "nginx.conf").write_text(MAIN.format(dir=self.dir, user=user))
        self.process: subprocess.Popen | None = None

    def command(self, *extra: str) -> list[str]:
        conf, log = str(self.dir / "nginx.conf"), str(self.dir / "error.log")
        return [self.binary, "-p", str(self.dir), "-e", log, "-c", conf, *extra]

    def start(self, timeout: float = 10.0) -> Self:
        checked = subprocess.run(self.command("-t"), capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t refused the configuration:\n{checked.stderr}")
        self.process = subprocess.Popen(
            self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not start:\n{self.errors()}")

    def errors(self) -> str:
        path = self.dir / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
