"""The store's compact records (app/service/codec.py): any JSON record comes back exactly,
whole or as a delta from any other; a step's undo level is small."""

from __future__ import annotations

import math
import struct
import zlib

import numpy as np
import orjson
from hypothesis import example, given, settings
from hypothesis import strategies as st

import engine
from app.service import codec
from app.service.records import samples, state_of

numbers = st.integers(-(2**60), 2**60) | st.floats(allow_nan=True, allow_infinity=True)
leaves = st.none() | st.booleans() | numbers | st.text(max_size=5)
matrices = st.integers(1, 5).flatmap(
    lambda cols: st.lists(st.lists(numbers, min_size=cols, max_size=cols), min_size=1, max_size=8)
)
values = st.recursive(
    leaves | matrices | st.lists(numbers, min_size=15, max_size=40),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=4), inner, max_size=5)
    ),
    max_leaves=30,
)
records = st.dictionaries(st.text(max_size=6), values, max_size=6)


def same(a, b) -> bool:
    """Equal as JSON text, and with every number of the same type (int stays int)."""
    return orjson.dumps(a) == orjson.dumps(b) and kinds(a) == kinds(b)


def kinds(value):
    if isinstance(value, dict):
        return {k: kinds(v) for k, v in value.items()}
    if isinstance(value, list):
        return [kinds(v) for v in value]
    return type(value).__name__


def as_json(record):
    """What the store had kept before: orjson's JSON (NaN and ±inf become null)."""
    return orjson.loads(orjson.dumps(record))


@settings(max_examples=120, deadline=None)
@given(record=records, base=records)
@example(record={"": [0] * 15 + [2**53 + 1]}, base={})  # rounds to 2**53 as a float64
@example(record={"": [0] * 15 + [-(2**53) - 1]}, base={})
def test_any_record_comes_back_whole_and_as_a_delta(record, base):
    record, base = as_json(record), as_json(base)
    assert same(codec.decode(codec.encode(codec.Packed(record))), record)
    packed_base = codec.Packed(base)
    delta = codec.encode(codec.Packed(record), packed_base)
    assert same(codec.decode(delta, packed_base), record)
    back, packed = codec.decode_packed(delta, packed_base)
    assert same(back, record) and same(codec.decode(codec.encode(packed)), record)


def test_ints_floats_and_huge_ints_keep_their_type_and_value():
    record = {
        "points": [[i, 0.5 + i] for i in range(40)],
        "counts": list(range(20)),
        "huge": [2**60 + i for i in range(20)],  # beyond float64's exact ints: left as JSON
        "tiny": [5e-324] * 20,
        "signed_zero": [-0.0] * 20,
    }
    back = codec.decode(codec.encode(codec.Packed(record)))
    assert same(back, record)
    assert math.copysign(1, back["signed_zero"][0]) == -1


def test_a_step_of_a_trained_network_keeps_a_small_undo_level():
    """The level below a step refers to the parameters the new state still holds (as its
    `previous`) and XORs the rest: well under a tenth of the state's JSON."""
    net = engine.create_network({"preset": "circle-tanh", "optimizer": "adam"})
    net.train(300)
    before = state_of(net)
    net.step()
    after = codec.Packed(state_of(net))
    delta = codec.encode(codec.Packed(before), after)
    assert same(codec.decode(delta, after), before)
    assert len(delta) < len(orjson.dumps(before)) / 10, (len(delta), len(orjson.dumps(before)))
    whole = codec.encode(codec.Packed(before))
    assert len(whole) < len(orjson.dumps(before)) / 2


def test_a_whole_record_is_a_zlib_stream_whichever_deflater_wrote_it(monkeypatch):
    """Whole records are deflated by ISA-L where it is installed: the stored bytes must
    still be zlib's format, so that a server without it reads them (and the other way)."""
    net = engine.create_network({"preset": "circle-tanh"})
    net.train(50)
    record = state_of(net)
    written = {}
    for name, deflater in (("fast", codec.whole_deflater), ("zlib", zlib)):
        monkeypatch.setattr(codec, "whole_deflater", deflater)
        written[name] = codec.encode(codec.Packed(record))
        (size,) = struct.unpack_from("<I", written[name], 1)
        head = zlib.decompress(written[name][5 : 5 + size])  # zlib reads either
        assert head.partition(b"\n")[2] == codec.Packed(record).skeleton_json()
    for blob in written.values():
        assert same(codec.decode(blob), record)


def test_an_array_is_only_floats_and_ints_and_its_mask_marks_the_ints():
    """codec.numeric: a nested list of floats and ints becomes an array, with the ints'
    places marked; one leaf of any other kind (a bool, None, a str, a float subclass such as
    NumPy's float64) leaves the whole list to JSON."""
    pairs = [[i, 0.25 * i] for i in range(10)]
    array, mask = codec.numeric(pairs)
    assert array.tolist() == [[float(i), 0.25 * i] for i in range(10)]
    assert mask.tolist() == [[True, False]] * 10
    assert codec.numeric([0.5] * 20)[1] is None  # no int: no mask
    assert codec.numeric(list(range(20)))[1].all()
    for stray in (True, None, "1", np.float64(1.0), [1.0]):
        assert codec.numeric([0.5] * 19 + [stray]) is None, stray
        assert codec.numeric([[0, 0.5]] * 9 + [[0, stray]]) is None, stray


def packed_alike(a: codec.Packed, b: codec.Packed) -> bool:
    """The same skeleton, paths, digests, and arrays and int masks bit for bit."""
    if a.skeleton_json() != b.skeleton_json() or a.paths != b.paths or a.digests != b.digests:
        return False
    for x, y in zip(a.arrays, b.arrays, strict=True):
        if x.shape != y.shape or x.tobytes() != y.tobytes():
            return False
    for x, y in zip(a.masks, b.masks, strict=True):
        if (x is None) != (y is None) or (x is not None and x.tolist() != y.tolist()):
            return False
    return True


def read_back(record: dict) -> tuple[dict, codec.Packed]:
    """`record` as a request reads it from the store: decoded from its bytes, and its
    Packed form noting the lists it was read as."""
    state, packed = codec.decode_packed(codec.encode(codec.Packed(record)))
    return state, packed.noting(state)


def test_a_history_the_engine_extended_is_packed_from_the_earlier_array():
    """A state read from the store, stepped by the engine (its loss and accuracy histories
    share the points read) and packed `since` the Packed it was read with, takes the earlier
    arrays and packs only the new points: the same Packed record as packing it afresh, and
    the same bytes stored; one step later (no point appended: the histories of a forward
    pass are the lists read) the very arrays are reused."""
    net = engine.create_network({"preset": "seed-xor"})
    net.train(300)
    state, before = read_back(state_of(net))
    assert ("history", "points") in before.origin  # long enough to be noted
    data = samples(net)
    again = engine.from_record({**state, **data})  # as the service joins them
    again.step()
    after = state_of(again)
    grown = codec.Packed(after, since=before)
    fresh = codec.Packed(after)
    assert packed_alike(grown, fresh)
    assert codec.encode(grown) == codec.encode(fresh)
    assert codec.encode(codec.Packed(state), grown) == codec.encode(codec.Packed(state), fresh)
    at = before.paths.index(("history", "points"))
    assert len(after["history"]["points"]) == len(state["history"]["points"]) + 1
    assert grown.arrays[at][:-1].tobytes() == before.arrays[at].tobytes()

    state2, before2 = read_back(after)
    net2 = engine.from_record({**state2, **data})
    net2.forward()  # no iteration ends: no loss recorded
    after2 = state_of(net2)
    reused = codec.Packed(after2, since=before2)
    assert packed_alike(reused, codec.Packed(after2))
    assert reused.arrays[at] is before2.arrays[at]


def test_a_list_that_is_not_the_one_noted_is_packed_afresh():
    """Only a list that begins with the very items noted when the record was read takes
    the earlier array: equal values in other objects, an item replaced in place after the
    read, points dropped (the stride doubled), rows of another shape, and an appended value
    that JSON must keep (not finite) are all packed afresh, exactly as without `since`."""
    points = [[i, 1.0 / (i + 1)] for i in range(100)]
    state, before = read_back({"history": {"points": points}, "n": 1})
    read = state["history"]["points"]
    cases = {
        "equal values, other lists": [list(p) for p in read] + [[100, 0.5]],
        "the same items and one more": [*read, [100, 0.5]],
        "every other point": read[::2],
        "a row of three": [*read, [100, 0.5, 1.0]],
        "a float became an int": [*read, [100, 1]],
        "not finite": [*read, [100, math.inf]],
        "not a number": [*read, [100, None]],
    }
    for name, value in cases.items():
        record = {"history": {"points": value}, "n": 1}
        assert packed_alike(codec.Packed(record, since=before), codec.Packed(record)), name
    read[5] = [5, 9.0]  # changed in place after it was read: not the list noted any more
    record = {"history": {"points": [*read, [100, 0.5]]}, "n": 1}
    packed = codec.Packed(record, since=before)
    assert packed_alike(packed, codec.Packed(record))
    assert packed.arrays[0][5].tolist() == [5.0, 9.0]
    # and a Packed that noted nothing (not read from the store) packs everything afresh
    assert codec.Packed(record, since=codec.Packed(state)).digests == codec.Packed(record).digests
