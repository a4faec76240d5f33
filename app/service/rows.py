"""A network as the store hands it out (Stored), a change ready to save (Pending), and the
row's columns and keys (app/service/store.py)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from app.service import codec

ROW = "id, version, state, data_key, watch_id, title"  # a network's row as Stored reads it
COLUMNS = {"id": "id", "watch_id": "watch_id"}  # the keys a network is found by


@dataclass
class Stored:
    id: str
    version: int
    state: dict  # the engine's record (engine.to_record) without its samples
    data: dict | None  # the samples {"inputs", "targets"[, "test_inputs", "test_targets"]}
    packed: codec.Packed | None = None  # the state as read from its blob (for the next delta)
    watch_id: str = ""  # the read-only link
    title: str = ""
    blob: bytes = b""  # the state as stored (what app/service/recent.py checks against)
    data_key: str = ""  # the samples' content key ("": not known here)
    undo_depth: int | None = None  # how many changes can be undone (None: not counted)
    checked: bool = False  # the engine wrote or accepted this state with these samples

    @property
    def match(self) -> tuple[bytes, str]:
        """What this version of the network is stored as: its state's bytes and its
        samples' key (what anything derived from both is checked against)."""
        return self.blob, self.data_key


@dataclass
class Pending:
    """A change ready to save, encoded outside the write lock: the new state, its blob, the
    state before it as a delta from it, and new samples (None: the samples stay)."""

    state: dict
    blob: bytes
    delta: bytes
    data: dict | None
    data_key: str | None
    data_blob: bytes | None
    packed: codec.Packed | None = None  # the new state Packed (the next delta's base)
    checked: bool = False  # the state and samples are the engine's own (engine.to_record)


def new_id() -> str:
    """144 random bits, URL-safe: the network's only key and its share link."""
    return secrets.token_urlsafe(18)


def data_blob(data: dict) -> tuple[str, bytes]:
    """(content key, compact blob) of samples: equal samples get equal keys."""
    return hashlib.sha256(codec.encode_json(data)).hexdigest(), codec.encode(codec.Packed(data))


def prepare(before: codec.Packed, state: dict, data: dict | None, checked: bool = False) -> Pending:
    """Encode a change from `before` to `state` (and samples `data`, None: unchanged);
    `checked`: both are the engine's own output (engine.to_record of a network)."""
    packed = codec.Packed(state, since=before)  # its grown lists from before's arrays
    key, blob = data_blob(data) if data is not None else (None, None)
    delta = codec.encode(before, packed)
    return Pending(state, codec.encode(packed), delta, data, key, blob, packed, checked)
