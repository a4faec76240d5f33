"""Change events shared by the worker processes of one server (`--workers N`): the first
worker that needs the event of a (network, version, view) claims it and renders it, and
the others read its bytes instead of rendering the same region again, so that a class
watching one teacher costs one render a change however its watchers spread over the
workers (app/web/follow.py).

The events are files in a folder that `backprop-lab` makes for the server's run and
removes when it stops (BACKPROP_LAB_EVENTS_DIR: app/cli.py), in memory (/dev/shm) where
the system has it. A claim is a file created exclusively (O_EXCL: one worker wins), an
event a file renamed into place whole (a reader never sees part of one). A worker waits
at most WAIT_SECONDS for a claimed event (its worker may have died or be very slow), then
renders the event itself. Files older than KEEP_SECONDS are swept: a follower only ever
asks for the newest versions. The folder of a server killed before it could remove it is
removed when the next server starts.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

WAIT_SECONDS = 3.0  # the longest a worker waits for another worker's event
POLL_SECONDS = 0.003  # how often it looks while it waits
KEEP_SECONDS = 15.0  # events (and claims) older than this are swept
SWEEP_SECONDS = 5.0  # at most one sweep this often, per process
MEMORY = Path("/dev/shm")
PREFIX = "backprop-lab-events-"  # then the server's process id


class SharedEvents:
    """The event files of one server's workers, in `folder`."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self._swept = time.monotonic()

    def key(self, *parts) -> str:
        """The file name of what `parts` name (the same in every process)."""
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]

    def claim(self, key: str) -> bool:
        """True for the one caller (of any process) that is to make the event `key`."""
        try:
            os.close(os.open(self.folder / f"{key}.claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        except OSError:
            return True  # the folder is gone or full: make the event here, as without it
        return True

    def put(self, key: str, version: int, data: bytes) -> None:
        """Publish the event `key` (of `version`), whole; a failure only means that other
        workers make it themselves."""
        part = self.folder / f"{key}.{os.getpid()}.part"
        try:
            part.write_bytes(b"%d\n" % version + data)
            os.replace(part, self.folder / f"{key}.event")
        except OSError:
            part.unlink(missing_ok=True)
        self.sweep()

    def get(self, key: str) -> tuple[int, bytes] | None:
        """(version, bytes) of the event `key` once it is published, else None."""
        try:
            raw = (self.folder / f"{key}.event").read_bytes()
        except OSError:
            return None
        version, _, data = raw.partition(b"\n")
        return int(version), data

    async def wait(self, key: str, seconds: float = WAIT_SECONDS) -> tuple[int, bytes] | None:
        """The event `key` as soon as another worker publishes it; None after `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            found = self.get(key)
            if found is not None or time.monotonic() > deadline:
                return found
            await asyncio.sleep(POLL_SECONDS)

    def sweep(self, now: float | None = None) -> None:
        """Remove the files older than KEEP_SECONDS (at most every SWEEP_SECONDS)."""
        if now is None:
            if time.monotonic() - self._swept < SWEEP_SECONDS:
                return
            self._swept = time.monotonic()
        cutoff = (time.time() if now is None else now) - KEEP_SECONDS
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            try:
                if entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
            except OSError:
                continue  # another worker swept it first


def shared_events(folder: str | None) -> SharedEvents | None:
    """The shared events of the folder the server's workers were given, if any."""
    return SharedEvents(folder) if folder and os.path.isdir(folder) else None


def make_folder() -> str:
    """A new folder for a server's shared events, named by the server's process: in memory
    where there is /dev/shm. The folders of servers that are gone (killed before they
    could remove theirs) are removed first."""
    base = str(MEMORY) if MEMORY.is_dir() and os.access(MEMORY, os.W_OK) else None
    remove_orphans(Path(base or tempfile.gettempdir()))
    return tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=base)


def remove_orphans(base: Path) -> None:
    """Remove the event folders in `base` whose server process no longer runs."""
    for folder in base.glob(f"{PREFIX}*-*"):
        pid = folder.name[len(PREFIX) :].partition("-")[0]
        if pid.isdigit() and not running(int(pid)):
            remove_folder(str(folder))


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it runs, as another user
    return True


def remove_folder(folder: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)
