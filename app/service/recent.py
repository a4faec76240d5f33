"""What this process last read or wrote of each network, so that the next request on it
need not decode its blobs again: a bounded LRU per store (`Recent`).

A state's entry is found by the network's id (one entry a network: the version this
process last read or wrote, which takes the place of any earlier one, for no read finds an
earlier version once a later one is saved) but is used only when the blob the request has
just read from the row, inside its own transaction, is byte for byte the blob the entry
was made from: the entry is a function of the bytes, so it cannot be stale, whichever
process or server wrote the row, whatever was undone or rolled back in between. Samples
are kept by their content key (a SHA-256 digest of their content: equal keys, equal
samples), which the row read names.

A state's entry also says with which samples (their key) the engine wrote it in this
process, or accepted it when it was read (engine.from_record): the next request that
reads those very bytes with those very samples need not check them again.

Nothing handed out that a request may change is shared: an entry holds the record as JSON
bytes, and every use parses a fresh copy (orjson, exact for every float), so no request
can change what the next one gets. The one part shared is what nothing changes: the points
of the histories (the engine's [iteration, value] lists, never changed once made:
engine/core/history.py), which make most of a trained network's record; each use gets
lists of its own holding those very points, so that they are not parsed again every
request. The Packed record an entry holds is only read (a delta's base) and its arrays are
read-only.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

import orjson

from app.service.codec import Packed

ENTRIES = 512  # networks (or sample sets) kept per store and process
BYTES = 48 << 20  # and at most about this many bytes of them
# the histories of a state whose points an entry shares (None: the loss history itself)
HISTORIES = (None, "test", "accuracy", "test_accuracy")
LIST, TWO = {list}, {2}
SCALARS = {int, float, type(None)}  # what a point's two items may be
POINT_BYTES = 120  # what one shared point holds: a list of two numbers

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Entry:
    """A stored record as this process last read or wrote it."""

    json: bytes  # the record the stored bytes decode to, as JSON
    packed: Packed | None = None  # the record Packed (states only: the next delta's base)
    checked: str = ""  # a state's samples key, when the engine wrote or accepted the
    # state with those samples (engine.from_record); "" when it has not
    # the histories' points, left out of `json` (whose lists there are empty): (history
    # (HISTORIES), points)
    points: tuple[tuple[str | None, tuple[list, ...]], ...] = ()

    @property
    def size(self) -> int:
        arrays = 0 if self.packed is None else sum(a.nbytes for a in self.packed.arrays)
        return len(self.json) + arrays + POINT_BYTES * sum(len(p) for _, p in self.points)

    def record(self) -> dict:
        """A fresh copy of the record (the caller may change it, but not the points of
        its histories, which nothing changes)."""
        out = orjson.loads(self.json)
        if self.points:
            history = out["history"]
            for key, points in self.points:
                (history if key is None else history[key])["points"] = list(points)
        return out


def entry(record: dict, packed: Packed | None = None, checked: str = "") -> Entry:
    """The entry of `record` (with `packed`, its Packed form, whose arrays become
    read-only; `checked`: see Entry; a record the engine wrote has its histories' points
    shared as they are, any other's only when `is_points` finds them points)."""
    if packed is not None:
        for array in (*packed.arrays, *(m for m in packed.masks if m is not None)):
            array.flags.writeable = False
    rest, points = without_points(record, own=bool(checked))
    return Entry(orjson.dumps(rest), packed, checked, points)


def without_points(record: dict, own: bool = False) -> tuple[dict, tuple]:
    """(`record` with empty lists for its histories' points, those points): the points of
    a history are taken out when the engine made them (`own`: the record is the engine's,
    engine.to_record) or each is a list of two numbers (`is_points`); anything else stays
    in the JSON."""
    history = record.get("history")
    if type(history) is not dict:
        return record, ()
    history, taken = dict(history), []
    for key in HISTORIES:
        h = history if key is None else history.get(key)
        if not isinstance(h, dict):
            continue
        points = h.get("points")
        if not (type(points) is list and points and (own or is_points(points))):
            continue
        if key is not None:
            h = history[key] = dict(h)
        taken.append((key, tuple(h["points"])))
        h["points"] = []
    return ({**record, "history": history}, tuple(taken)) if taken else (record, ())


def is_points(value) -> bool:
    """Whether `value` is a non-empty list of two-item lists of numbers (or None, a
    non-finite value's JSON): nothing in such a point can be changed but the point itself,
    which nothing changes. (Over the points at C speed: this runs on every state kept.)"""
    return (
        type(value) is list
        and bool(value)
        and set(map(type, value)) == LIST
        and set(map(len, value)) == TWO
        and set(map(type, itertools.chain.from_iterable(value))) <= SCALARS
    )


class Recent(Generic[K, V]):
    """A bounded LRU, safe across threads: each value is kept under a key with what it
    was made from (`match`: the stored bytes), and found only with that same match."""

    def __init__(self, entries: int = ENTRIES, size: int = BYTES):
        self.entries, self.limit = entries, size
        self._items: OrderedDict[K, tuple[object, V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: K, match: object) -> V | None:
        """The value kept under `key` when it was made from `match`, else None."""
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] != match:
                return None
            self._items.move_to_end(key)
            return found[1]

    def put(self, key: K, match: object, value: V, size: int) -> None:
        """Keep `value` (about `size` bytes, with `match`) under `key`."""
        size += sizeof(match)
        if size > self.limit // 4:
            return  # one huge record would push out many others
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[2]
            self._items[key] = (match, value, size)
            self._bytes += size
            while len(self._items) > self.entries or self._bytes > self.limit:
                _, (_, _, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def replace(self, key: K, match: object, value: V) -> None:
        """Put `value` in place of the value kept under `key`, if that was made from
        `match` (its size counted as the same)."""
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] == match:
                self._items[key] = (match, value, found[2])

    def __len__(self) -> int:
        return len(self._items)

    @property
    def bytes(self) -> int:
        return self._bytes


def sizeof(match: object) -> int:
    """The bytes a match (bytes, or a tuple of them and strings) holds."""
    if isinstance(match, tuple):
        return sum(sizeof(m) for m in match)
    return len(match) if isinstance(match, (bytes, str)) else 0
