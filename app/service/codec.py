"""How the store keeps a record compactly, and an earlier record as a delta from a later one.

A record (a network's state, or its samples) is plain JSON data. Its numeric arrays, the
nested lists whose every leaf is a finite number (weights, optimiser state, loss history,
samples; at least MIN_LEAVES of them), leave the JSON: each is kept as float64 bytes,
byte-shuffled (the first byte of every value, then every second byte, …, so that values
of one sign and magnitude share long runs) and deflated; whole numbers among them are
marked so that they come back as ints. What stays is the skeleton, the JSON without them.

A record packed `since` an earlier one (`Packed.noting`: the record the earlier Packed was
read as) does not convert again a long list that begins with the very items of the earlier
record's list at the same place (a history the engine appended to: its points are shared,
never changed): it takes the earlier array and converts only what was appended. The result
is the same arrays, bit for bit, as packing the record afresh.

`encode(packed, base)` writes a record against `base`, the record saved after it (an undo
level against the state that followed it): an array equal to one of `base`'s is a
reference, and one of the same shape as `base`'s array at the same place, or a prefix of
it (a loss history that grew since), is kept as its XOR with that array, which is mostly
zero bits when only some values changed; the skeleton is deflated with `base`'s as its
dictionary. Without a base, an array equal to an earlier one of the same record is a
reference to it (the parameters before the first update are the initial ones). Decoding
gives back the record exactly: every float bit, ints as ints.
"""

from __future__ import annotations

import copy
import hashlib
import math
import operator
import struct
import types
import zlib
from itertools import chain

import numpy as np
import orjson

whole_deflater: types.ModuleType  # ISA-L's deflate where installed: zlib's stream format
try:
    from isal import isal_zlib as whole_deflater
except ImportError:  # pragma: no cover (isal is a dependency where it has wheels)
    whole_deflater = zlib

FORMAT = 2  # the first byte of every encoded record
LEVEL = 6  # zlib's compression level for deltas (small, and they shrink well)
WHOLE_LEVEL = 1  # and for whole records, whose float bytes hardly shrink more at 6
# (ISA-L's level 1 where it is installed: every change writes its network's whole record,
# and ISA-L deflates it in about a quarter of zlib's time, a little smaller; zlib inflates it)
MAX_EXACT_INT = 2**53  # ints from this size on may not survive float64
MIN_LEAVES = 16  # shorter lists of numbers stay in the JSON: as short there, and quicker
LEAF_KINDS = {float: 0, int: 1}  # the leaves an array may have (not bool: its own type)
WINDOW = 32768  # deflate's window: the most of a base skeleton a delta can refer to
LONG = 64  # the arrays of at least this many rows that a later record may grow (`noting`)

Path = tuple  # keys and indices from the record's root to an array


class Damaged(ValueError):
    """Stored bytes that do not decode: the database was damaged."""


class Packed:
    """A record split into its skeleton (the JSON data, None where an array was: kept as
    its JSON, written once) and its arrays, in the order they appear, with their paths, int
    masks and digests."""

    def __init__(self, record=None, since: Packed | None = None) -> None:
        self.arrays: list[np.ndarray] = []
        self.masks: list[np.ndarray | None] = []  # where an array held ints, if it did
        self.paths: list[Path] = []
        self.digests: list[bytes] = []
        # the lists of the record `since` was read as, by path (`noting`)
        self.origin: dict[Path, tuple[tuple, int]] = {}
        # `since` is used while packing only, and not kept: a Packed that held the one it
        # was packed since would hold every earlier one of its network, each with its
        # arrays and noted lists, however long ago it left the recent cache
        base = since if since is not None and since.origin else None
        # written at once: the skeleton shares the record's unchanged parts, which the
        # caller may change later
        self._skeleton = orjson.dumps(self._pack(record, (), base))

    def _pack(self, value, path: Path, since: Packed | None):
        """`value` with its arrays taken out: `value` itself when it holds none, else a
        copy (a part that cannot hold one, see `plain`, is not looked into: this runs over
        every record saved, so the test is written out here rather than called); `since`:
        the Packed whose arrays a grown list may take (see `_grown`), or None."""
        kind = type(value)
        if kind is dict:
            out = None
            for k, v in value.items():
                t = type(v)
                if t is dict or (
                    t is list
                    and v
                    and (len(v) >= MIN_LEAVES or type(v[0]) is list or type(v[0]) is dict)
                ):
                    taken = self._pack(v, (*path, k), since)
                    if taken is not v:
                        out = dict(value) if out is None else out
                        out[k] = taken
            return value if out is None else out
        if kind is list and value:
            first = type(value[0])
            if first is list or len(value) >= MIN_LEAVES:
                grown = None if since is None else self._grown(value, path, since)
                found = numeric(value) if grown is None else grown
                if found is not None:
                    self.arrays.append(found[0])
                    self.masks.append(found[1])
                    self.paths.append(path)
                    self.digests.append(digest(found[0]) if grown is None else grown[2])
                    return None
            if first is list or first is dict:
                items = None
                for i, v in enumerate(value):
                    if not plain(v):
                        taken = self._pack(v, (*path, i), since)
                        if taken is not v:
                            items = list(value) if items is None else items
                            items[i] = taken
                return value if items is None else items
        return value

    @staticmethod
    def _grown(value: list, path: Path, since: Packed) -> tuple | None:
        """(array, int mask, digest) of `value` from the array `since` made of the list at
        `path` of its record, when `value` begins with that list's very items: that array,
        with `value`'s further rows converted and appended; else None."""
        known = since.origin.get(path)
        if known is None:
            return None
        items, i = known
        if len(value) < len(items) or not all(map(operator.is_, value, items)):
            return None
        array, mask = since.arrays[i], since.masks[i]
        if len(value) == len(items):
            return array, mask, since.digests[i]
        tail = numeric(value[len(items) :], least=1)
        if tail is None or tail[0].shape[1:] != array.shape[1:]:
            return None  # not rows like the others: packed afresh (and so left as JSON)
        grown = np.concatenate([array, tail[0]])
        if mask is None and tail[1] is None:
            return grown, None, digest(grown)
        head = np.zeros(array.shape, bool) if mask is None else mask
        rest = np.zeros(tail[0].shape, bool) if tail[1] is None else tail[1]
        return grown, np.concatenate([head, rest]), digest(grown)

    def noting(self, record) -> Packed:
        """This Packed record (its arrays shared), noting which lists of `record` (the
        record it was just read as) its long arrays were made of, and their items as they
        are now: a record packed `since` the result takes those arrays for the lists that
        begin with the very same items. (Noted now, so that a list changed in place later
        cannot pass for the one the array was made of.)"""
        out = copy.copy(self)
        out.origin = {}
        for i, path in enumerate(self.paths):
            if self.arrays[i].shape[0] >= LONG:
                value = at(record, path)
                if type(value) is list and len(value) == self.arrays[i].shape[0]:
                    out.origin[path] = (tuple(value), i)
        return out

    def skeleton_json(self) -> bytes:
        return self._skeleton


def at(record, path: Path):
    """The value at `path` in `record`, or None where there is none."""
    for key in path:
        try:
            record = record[key]
        except (KeyError, IndexError, TypeError):
            return None
    return record


def plain(value) -> bool:
    """Whether `value` can hold no array: not a dict, and not a list that is nested or
    at least MIN_LEAVES long (what `Packed._pack` would return unchanged)."""
    kind = type(value)
    if kind is dict:
        return False
    if kind is not list or not value:
        return True
    first = type(value[0])
    return first is not list and first is not dict and len(value) < MIN_LEAVES


def digest(array: np.ndarray) -> bytes:
    """What two arrays share exactly when they are equal: shape and every bit."""
    h = hashlib.blake2b(str(array.shape).encode(), digest_size=16)
    h.update(array.tobytes())
    return h.digest()


def numeric(value: list, least: int = MIN_LEAVES) -> tuple[np.ndarray, np.ndarray | None] | None:
    """(values as float64, where they were ints or None) when `value` is a rectangular
    nested list of at least `least` finite numbers (bools excluded), else None. (The
    checks run as map() over the leaves, in C: this is on the path of every change.)"""
    shape, leaves = [], value
    while isinstance(leaves, list):
        if not leaves:
            return None
        shape.append(len(leaves))
        leaves = leaves[0]
    if math.prod(shape) < least:
        return None  # too few leaves, if it is rectangular at all
    flat = value
    for depth in range(len(shape) - 1):
        if set(map(type, flat)) != {list} or set(map(len, flat)) != {shape[depth + 1]}:
            return None
        flat = list(chain.from_iterable(flat))
    if len(flat) < least:
        return None
    try:  # each leaf's kind, one byte each (1: an int), in one pass in C
        kinds = bytes(map(LEAF_KINDS.__getitem__, map(type, flat)))
    except KeyError:
        return None  # a leaf that is neither a float nor an int (a bool, None, a str …)
    array = np.array(flat, dtype=np.float64)
    if not np.isfinite(array).all():
        return None  # JSON would have written null: leave it to JSON
    if 1 not in kinds:
        return array.reshape(shape), None  # no int: no mask to find
    mask = np.frombuffer(kinds, dtype=bool)  # where the ints are
    if np.abs(array[mask]).max() >= MAX_EXACT_INT:  # 2**53 + 1 is 2**53 as a float
        return None  # such ints would not survive float64
    return array.reshape(shape), mask.reshape(shape)


def shuffle(raw: bytes, width: int = 8) -> bytes:
    return np.frombuffer(raw, np.uint8).reshape(-1, width).T.tobytes()


def unshuffle(raw: bytes, width: int = 8) -> bytes:
    return np.frombuffer(raw, np.uint8).reshape(width, -1).T.tobytes()


def prefix(array: np.ndarray, shape: tuple) -> np.ndarray | None:
    """`array`, or its first rows, when that has `shape`; else None."""
    if array.shape[1:] != tuple(shape[1:]) or array.shape[0] < shape[0]:
        return None
    return array[: shape[0]]


def deflate(data: bytes, zdict: bytes = b"") -> bytes:
    """A part of a delta, by zlib at LEVEL (with the base's skeleton as `zdict`)."""
    z = zlib.compressobj(LEVEL, zdict=zdict) if zdict else zlib.compressobj(LEVEL)
    return z.compress(data) + z.flush()


def deflate_whole(data: bytes) -> bytes:
    """A part of a whole record (no base): WHOLE_LEVEL, by whole_deflater."""
    z = whole_deflater.compressobj(WHOLE_LEVEL)
    return z.compress(data) + z.flush()


def inflate(data: bytes, zdict: bytes = b"") -> bytes:
    z = zlib.decompressobj(zdict=zdict) if zdict else zlib.decompressobj()
    return z.decompress(data) + z.flush()


def encode(packed: Packed, base: Packed | None = None) -> bytes:
    """A Packed record as bytes; against `base` (the Packed record saved after it), a
    delta. Layout: format byte, length of the deflated header, header, deflated arrays."""
    seen: dict[bytes, int] = {}
    at_path = {} if base is None else {p: i for i, p in enumerate(base.paths)}
    in_base = {} if base is None else {d: i for i, d in enumerate(base.digests)}
    entries: list[list] = []
    payload: list[bytes] = []
    for i, (array, mask) in enumerate(zip(packed.arrays, packed.masks)):
        entry: list = [list(packed.paths[i]), list(array.shape), None]
        if mask is not None:
            entry[2] = len(payload)
            payload.append(np.packbits(mask).tobytes())
        d = packed.digests[i]
        if d in in_base:
            entry += ["base", in_base[d]]
        elif d in seen:
            entry += ["same", seen[d]]
        else:
            j = at_path.get(packed.paths[i])
            other = None if j is None else prefix(base.arrays[j], array.shape)  # type: ignore[union-attr]
            values = array.view(np.uint64)
            if other is None:
                entry += ["raw", len(payload)]
            else:
                entry += ["xor", j, len(payload)]
                values = values ^ other.view(np.uint64)
            payload.append(shuffle(values.tobytes()))
        seen.setdefault(d, i)
        entries.append(entry)
    head = orjson.dumps([[len(p) for p in payload], entries]) + b"\n" + packed.skeleton_json()
    body = b"".join(payload)
    if base is None:
        head_z, body_z = deflate_whole(head), deflate_whole(body)
    else:
        head_z, body_z = deflate(head, base.skeleton_json()[-WINDOW:]), deflate(body)
    return bytes([FORMAT]) + struct.pack("<I", len(head_z)) + head_z + body_z


def decode(blob: bytes, base: Packed | None = None):
    """The record `encode(packed, base)` wrote (`base` the same Packed record)."""
    return assemble(*parts(blob, base))


def assemble(skeleton: bytes, arrays: list) -> dict:
    """The record from its skeleton's JSON and its arrays (as `parts` gives them)."""
    record = orjson.loads(skeleton)
    for path, array, mask in arrays:
        place(record, path, as_lists(array, mask))
    return record


def decode_packed(blob: bytes, base: Packed | None = None) -> tuple[dict, Packed]:
    """(the record, the same record Packed), without packing it again."""
    skeleton, arrays = parts(blob, base)
    packed = Packed()
    packed._skeleton = skeleton  # as written: orjson's, as Packed writes it
    packed.paths = [tuple(p) for p, _, _ in arrays]
    packed.arrays = [a for _, a, _ in arrays]
    packed.masks = [m for _, _, m in arrays]
    packed.digests = [digest(a) for a in packed.arrays]
    return assemble(skeleton, arrays), packed


def parts(blob: bytes, base: Packed | None) -> tuple[bytes, list]:
    """(the skeleton's JSON, [(path, array, int mask or None)]) of an encoded record;
    Damaged when the bytes are not one."""
    try:
        return read_parts(blob, base)
    except (zlib.error, struct.error, LookupError, TypeError, ValueError, AttributeError) as e:
        # orjson.JSONDecodeError is a ValueError
        raise Damaged(f"a stored record does not decode: {e}") from None


def read_parts(blob: bytes, base: Packed | None) -> tuple[bytes, list]:
    if not isinstance(blob, bytes) or not blob or blob[0] != FORMAT:
        raise ValueError(f"not a stored record of format {FORMAT}")
    (size,) = struct.unpack_from("<I", blob, 1)
    zdict = b"" if base is None else base.skeleton_json()[-WINDOW:]
    index, _, skeleton = inflate(blob[5 : 5 + size], zdict).partition(b"\n")
    sizes, entries = orjson.loads(index)
    data = inflate(blob[5 + size :])
    starts = np.cumsum([0, *sizes]).tolist()

    def chunk(k: int) -> bytes:
        return data[starts[k] : starts[k + 1]]

    arrays: list = []
    for path, shape, mask_at, how, *refs in entries:
        if how == "base":
            array = base.arrays[refs[0]]  # type: ignore[union-attr]
        elif how == "same":
            array = arrays[refs[0]][1]
        else:
            values = np.frombuffer(unshuffle(chunk(refs[-1])), np.uint64).reshape(shape)
            if how == "xor":
                other = prefix(base.arrays[refs[0]], tuple(shape))  # type: ignore[union-attr]
                values = values ^ other.view(np.uint64)  # type: ignore[union-attr]
            array = values.view(np.float64)
        mask = None
        if mask_at is not None:
            bits = np.unpackbits(np.frombuffer(chunk(mask_at), np.uint8))
            mask = bits[: int(np.prod(shape))].astype(bool).reshape(shape)
        arrays.append((path, array, mask))
    return skeleton, arrays


def place(record, path: list, value) -> None:
    for key in path[:-1]:
        record = record[key]
    record[path[-1]] = value


def as_lists(array: np.ndarray, mask: np.ndarray | None) -> list:
    """Nested lists of Python floats, with ints where `mask` says so."""
    if mask is None:
        return array.tolist()
    if mask.all():
        return array.astype(np.int64).tolist()
    mixed = array.astype(object)
    mixed[mask] = array[mask].astype(np.int64).astype(object)
    return mixed.tolist()


def encode_json(record) -> bytes:
    """The record as compact JSON (orjson): the text a content digest is taken of."""
    return orjson.dumps(record, option=orjson.OPT_SERIALIZE_NUMPY)
