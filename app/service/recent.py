"""What this process last read or wrote of each network, so that the next request on it
need not decode its blobs again: a bounded LRU per store (`Recent`).

An entry is found by (id, version) but is used only when the blob the request has just
read from the row, inside its own transaction, is byte for byte the blob the entry was
made from: the entry is a function of the bytes, so it cannot be stale, whichever process
or server wrote the row, whatever was undone or rolled back in between. Samples are kept
by their content key (a SHA-256 digest of their content: equal keys, equal samples), which
the row read names.

A state's entry also says with which samples (their key) the engine wrote it in this
process, or accepted it when it was read (engine.from_record): the next request that
reads those very bytes with those very samples need not check them again.

Nothing handed out is shared: an entry holds the record as JSON bytes, and every use
parses a fresh copy (orjson, exact for every float), so no request can change what the
next one gets. The Packed record an entry holds is only read (a delta's base) and its
arrays are read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

import orjson

from app.service.codec import Packed

ENTRIES = 512  # networks (or sample sets) kept per store and process
BYTES = 48 << 20  # and at most about this many bytes of them

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Entry:
    """A stored record as this process last read or wrote it."""

    json: bytes  # the record the stored bytes decode to, as JSON
    packed: Packed | None = None  # the record Packed (states only: the next delta's base)
    checked: str = ""  # a state's samples key, when the engine wrote or accepted the
    # state with those samples (engine.from_record); "" when it has not

    @property
    def size(self) -> int:
        arrays = 0 if self.packed is None else sum(a.nbytes for a in self.packed.arrays)
        return len(self.json) + arrays

    def record(self) -> dict:
        """A fresh copy of the record (the caller may change it)."""
        return orjson.loads(self.json)


def entry(record: dict, packed: Packed | None = None, checked: str = "") -> Entry:
    """The entry of `record` (with `packed`, its Packed form, whose arrays become
    read-only; `checked`: see Entry)."""
    if packed is not None:
        for array in (*packed.arrays, *(m for m in packed.masks if m is not None)):
            array.flags.writeable = False
    return Entry(orjson.dumps(record), packed, checked)


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
