"""The cheaper save of a change stays exact: a Packed record shares nothing with the
record it was made from once made (a caller changing its record afterwards changes
nothing encoded), a Packed read back from the store is the same delta base as the record
packed again, and a kept trace's update shares no array with the trace it was kept from."""

from __future__ import annotations

import numpy as np
import orjson

import engine
from app.service import codec
from app.service.records import state_of
from app.service.traces import LAYER, TRACE, copied, size, trace_size

XOR = {"preset": "seed-xor"}


def stepped(preset: dict, steps: int) -> engine.Network:
    net = engine.create_network(preset)
    for _ in range(steps):
        net.step()
    return net


def test_changing_a_record_after_packing_it_changes_nothing_encoded():
    state = state_of(stepped(XOR, 30))
    copy = orjson.loads(orjson.dumps(state))
    packed = codec.Packed(state)
    blob, delta = codec.encode(packed), codec.encode(codec.Packed(copy), packed)
    state["diagnostics"][0]["grad_norms"][0] = 7.0  # in a part the skeleton keeps
    state["cursor"]["phase"] = "idle"
    state["history"]["points"][0][1] = 9.0  # in an array
    assert codec.encode(packed) == blob
    assert codec.encode(codec.Packed(copy), packed) == delta
    assert orjson.dumps(codec.decode(blob)) == orjson.dumps(copy)


def test_a_packed_record_read_back_is_the_same_delta_base_as_the_record_packed():
    net = stepped({"preset": "seed-xor", "optimizer": "adam"}, 20)
    before = state_of(net)
    net.step()
    after = state_of(net)
    blob = codec.encode(codec.Packed(after))
    record, read_back = codec.decode_packed(blob)
    assert orjson.dumps(record) == orjson.dumps(after)
    delta = codec.encode(codec.Packed(before), read_back)
    assert delta == codec.encode(codec.Packed(before), codec.Packed(after))
    assert orjson.dumps(codec.decode(delta, codec.Packed(after))) == orjson.dumps(before)


def test_few_numbers_in_a_nested_list_stay_in_the_json_and_many_leave_it():
    few = {"w": [[1.5, 2.5], [3.5, 4.5]], "n": [[1, 2]] * 7}
    many = {"w": [[0.25 * i, 1.0] for i in range(8)], "n": [[1, 2.5]] * 9}
    assert codec.Packed(few).arrays == []
    assert [p for p in codec.Packed(many).paths] == [("w",), ("n",)]
    for record in (few, many):
        assert orjson.dumps(codec.decode(codec.encode(codec.Packed(record)))) == orjson.dumps(
            record
        )


def test_a_kept_trace_shares_no_array_of_its_update():
    net = stepped({"preset": "seed-xor", "optimizer": "adam"}, 3)
    kept = copied(net.trace)
    first = net.trace.update["layers"][0]["m"]["weights"]
    before = kept.update["layers"][0]["m"]["weights"].copy()
    first[:] = 5.0
    assert np.array_equal(kept.update["layers"][0]["m"]["weights"], before)
    assert kept.update["optimizer"] == "adam" and kept.update["t"] == net.trace.update["t"]


def test_the_size_of_a_kept_trace_counts_every_array():
    net = stepped({"preset": "gauss-softmax", "optimizer": "adam"}, 2)
    net.forward()
    trace = net.trace
    assert trace_size(trace) == size(trace)
    arrays = [getattr(lt, f) for lt in trace.layers for f in LAYER]
    arrays += [getattr(trace, f) for f in TRACE]
    nbytes = sum(a.nbytes for a in arrays if isinstance(a, np.ndarray))
    assert nbytes > 0 and trace_size(trace) >= nbytes + size(trace.update) > nbytes
