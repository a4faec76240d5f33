"""CPU time of a process tree from /proc: a server's supervisor and all its workers (or
of several trees: several servers, the database server and the proxy in front of them)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bench.service import TICKS, cpu_seconds

Roots = int | Sequence[int]  # a process, or several: each counted with those below it


def descendants(pid: Roots) -> list[int]:
    """`pid` and every process below it (children, their children, ...); for several,
    each in turn, the first's tree first."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree: list[int] = []
    for root in [pid] if isinstance(pid, int) else pid:
        todo = [root]
        while todo:
            tree.append(todo.pop())
            todo += children.get(tree[-1], [])
    return list(dict.fromkeys(tree))  # a root below another is counted once


def tree_cpu_seconds(pid: Roots) -> float:
    """User + system CPU seconds so far of `pid` and the processes below it."""
    total = 0.0
    for p in descendants(pid):
        try:
            total += cpu_seconds(p)
        except OSError:
            continue
    return total


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used so far (every core, not idle)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / TICKS
