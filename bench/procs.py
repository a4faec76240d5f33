"""What the benchmarks measure of a server's processes, from /proc: memory (RSS) and CPU
time of a process and its children; and a server started from an earlier commit of this
repository, the baseline that figures of the same run are compared against."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from tests.support.live_server import LiveServer, children

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "d797ee3"  # main before the storage, memory and connection limits


def tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children(p)
    return found


def rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and its descendants."""
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of `pid` and its descendants."""
    total = 0.0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


class BaselineServer(LiveServer):
    """`python -m app` of commit `rev` (extracted with git archive), as a LiveServer."""

    def __init__(self, db: str, rev: str = BASELINE, **kwargs):
        super().__init__(db, **kwargs)
        self.folder = tempfile.TemporaryDirectory()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", self.folder.name], input=archive, check=True)
        self.env = {**self.env, "PYTHONPATH": self.folder.name}
        self.cwd = self.folder.name
