"""What a store and the service keep of the networks they last read or wrote (the decoded
states and samples: app/service/recent.py; the traces of moves: app/service/traces.py)
is never served stale: another process or server changing the network between two
requests, an undo, an edit of the shape, a refused or failed act, a rolled-back save, a
caller changing what it got. Each answer is checked against the engine itself (the same
moves on a network of its own) and against a service that has nothing kept (a new
process), bit for bit (JSON of every float, exact)."""

from __future__ import annotations

import gc
import math
import operator

import numpy as np
import orjson
import pytest

import engine
from app.errors import Invalid, OutOfOrder
from app.service import codec, rows
from app.service import lab as lab_module
from app.service.recent import Recent, entry

DEEP = {
    "layers": [2, 8, 8, 1],
    "activations": ["tanh", "tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.5,
    "optimizer": "adam",
    "seed": 3,
    "dataset": {"name": "circle", "samples": 40},
}


def exact(value) -> bytes:
    return codec.encode_json(value)


def network_json(snap) -> bytes:
    """Everything the API shows of a network but its undo depth (which a new process
    reads the same way), trace included."""
    return exact({k: v for k, v in snap.state.items() if k != "undo_levels"})


def fresh(services, nid: str):
    """The network as a new process (nothing kept) reads it."""
    (other,) = services(1)
    return other.get(nid)


def engine_net(*moves: str) -> engine.Network:
    net = engine.create_network(DEEP)
    for move in moves:
        getattr(net, move)()
    return net


def same_as_engine(snap, net: engine.Network) -> None:
    assert snap.net.iteration == net.iteration
    assert (snap.net.phase, snap.net.layer) == (net.phase, net.layer)
    assert exact([w for w in snap.net.weights]) == exact([w for w in net.weights])
    assert exact(engine.trace_to_dict(snap.net)) == exact(engine.trace_to_dict(net))


def test_a_change_by_another_process_between_two_requests_is_seen(services):
    a, b = services(2)
    nid = a.create(DEEP).id
    a.step(nid)
    a.forward(nid)  # a keeps version 3 and its trace
    b.forward(nid)  # version 4, by another process
    snap = a.forward(nid)
    assert snap.version == 5
    same_as_engine(snap, engine_net("step", "forward", "forward", "forward"))
    assert network_json(a.get(nid)) == network_json(fresh(services, nid))


def test_an_undo_by_another_process_is_seen(services):
    a, b = services(2)
    nid = a.create(DEEP).id
    a.step(nid)
    a.step(nid)  # a keeps version 3 (iteration 2)
    undone = b.undo(nid)  # version 4: back to iteration 1
    assert undone.net.iteration == 1
    assert a.get(nid).net.iteration == 1
    snap = a.step(nid)
    same_as_engine(snap, engine_net("step", "step"))
    assert network_json(a.get(nid)) == network_json(fresh(services, nid))


def test_an_undo_by_the_same_process_brings_back_the_state_before(services):
    (a,) = services(1)
    nid = a.create(DEEP).id
    a.step(nid)
    a.forward(nid)
    a.forward(nid)
    snap = a.undo(nid)
    same_as_engine(snap, engine_net("step", "forward"))
    same_as_engine(a.forward(nid), engine_net("step", "forward", "forward"))
    assert network_json(a.get(nid)) == network_json(fresh(services, nid))


def test_an_edit_of_the_shape_by_another_process_is_seen(services):
    a, b = services(2)
    nid = a.create(DEEP).id
    a.step(nid)
    a.forward(nid)  # a keeps a trace of three layers
    b.edit(nid, {"layers": [2, 5, 1], "activations": ["tanh", "sigmoid"]})
    snap = a.forward(nid)
    assert snap.net.spec.layers == (2, 5, 1)
    assert len(snap.net.trace.layers) == 2 and snap.net.trace.layers[0].a.shape[1] == 5
    assert [w.shape for w in snap.net.weights] == [(5, 2), (1, 5)]
    assert network_json(a.get(nid)) == network_json(fresh(services, nid))
    after = a.step(nid)  # and on from there, as a new process would
    assert network_json(after) == network_json(fresh(services, nid))


def test_an_edit_by_the_same_process_is_not_answered_with_the_trace_before(services):
    (a,) = services(1)
    nid = a.create(DEEP).id
    a.step(nid)
    a.forward(nid)
    a.edit(nid, {"layers": [2, 3, 3, 1], "activations": ["tanh", "tanh", "sigmoid"]})
    snap = a.get(nid)
    assert [w.shape for w in snap.net.weights] == [(3, 2), (3, 3), (1, 3)]
    assert network_json(snap) == network_json(fresh(services, nid))


def test_a_refused_act_leaves_what_is_kept_as_it_was(services):
    (a,) = services(1)
    nid = a.create(DEEP).id
    a.step(nid)
    a.forward(nid)
    with pytest.raises(OutOfOrder):
        a.update(nid)  # the forward pass has not finished
    same_as_engine(a.forward(nid), engine_net("step", "forward", "forward"))


def test_an_act_that_changes_the_network_and_then_fails_leaves_nothing_behind(services):
    (a,) = services(1)
    nid = a.create(DEEP).id
    a.step(nid)
    a.forward(nid)
    before = network_json(a.get(nid))

    def spoil(net: engine.Network) -> None:
        net.weights[0][:] = 7.0  # in place, into arrays the network was built with
        net.trace.layers[0].a[:] = 7.0
        net.history.points.append([99, 1.0])
        net.changes.append({"iteration": 99, "what": "spoilt"})
        raise Invalid("refused after changing the network", field="test")

    with pytest.raises(Invalid):
        a.change(nid, spoil)
    assert network_json(a.get(nid)) == before == network_json(fresh(services, nid))
    same_as_engine(a.forward(nid), engine_net("step", "forward", "forward"))


def test_changing_what_a_request_got_changes_nothing_kept(services):
    (a,) = services(1)
    nid = a.create(DEEP).id
    snap = a.step(nid)
    snap.record["weights"][0][0][0] = 123.0
    snap.record["history"]["points"].append([50, 2.0])
    snap.net.trace.layers[0].z[:] = 9.0
    got = a.get(nid)
    got.record["initial_weights"][0][0][0] = 321.0
    got.net.trace.layers[1].a[:] = 9.0
    got.net.weights[0][:] = 9.0
    same_as_engine(a.get(nid), engine_net("step"))
    same_as_engine(a.forward(nid), engine_net("step", "forward"))


def test_a_rolled_back_save_is_never_served(services):
    a, b = services(2)
    nid = a.create(DEEP).id
    with pytest.raises(RuntimeError), a.store.change(nid) as ch:
        state = {**ch.current.state, "learning_rate": 0.125}
        ch.save(state, None)  # version 2, kept by a, then rolled back
        raise RuntimeError("the transaction fails after the save")
    assert a.get(nid).net.spec.learning_rate == 0.5
    b.step(nid)  # another version 2
    snap = a.get(nid)
    assert snap.version == 2 and snap.net.spec.learning_rate == 0.5
    same_as_engine(snap, engine_net("step"))


def test_the_kept_trace_is_the_one_a_replay_gives(services):
    (a,) = services(1)
    nid = a.create(DEEP).id
    moves = ["forward", "forward", "forward", "backward", "backward", "backward", "update"]
    moves += ["step", "forward", "step", "reset", "forward", "step"]
    for move in moves:
        done = getattr(a, move)(nid)
        kept = a.get(nid)  # the trace the move left, kept
        assert network_json(kept) == network_json(done)
        assert network_json(kept) == network_json(fresh(services, nid))


def test_training_after_steps_is_trained_from_the_state_stored(services):
    a, b = services(2)
    nid = a.create(DEEP).id
    a.step(nid)
    b.step(nid)
    snap = a.train(nid, 20)
    net = engine_net("step", "step")
    net.train(20)
    same_as_engine(snap, net)
    assert network_json(a.get(nid)) == network_json(fresh(services, nid))


def test_the_samples_regenerated_by_another_process_are_seen(services):
    a, b = services(2)
    nid = a.create(DEEP).id
    a.step(nid)
    b.regenerate(nid, {"name": "circle", "samples": 30, "seed": 9})
    snap = a.step(nid)
    assert len(snap.net.inputs) == 30
    assert network_json(a.get(nid)) == network_json(fresh(services, nid))


# ---- the cache itself ---------------------------------------------------------------
def test_a_kept_entry_is_found_only_with_the_bytes_it_was_made_from():
    recent: Recent[str, str] = Recent(entries=4, size=1000)
    recent.put("n", b"blob one", "state one", 10)
    assert recent.get("n", b"blob one") == "state one"
    assert recent.get("n", b"blob two") is None
    assert recent.get("m", b"blob one") is None


def test_the_cache_is_bounded_by_entries_and_bytes():
    recent: Recent[int, str] = Recent(entries=4, size=1000)
    for i in range(10):
        recent.put(i, b"x", str(i), 10)
    assert len(recent) == 4
    assert [recent.get(i, b"x") for i in range(10)] == [None] * 6 + ["6", "7", "8", "9"]
    recent.put(10, b"x", "big", 300)  # more than a quarter of the bytes: not kept
    assert recent.get(10, b"x") is None
    for i in range(20, 24):
        recent.put(i, b"x", "half", 240)
    assert recent.bytes <= 1000 and len(recent) <= 4
    assert recent.get(23, b"x") == "half" and recent.get(9, b"x") is None


def test_a_store_keeps_at_most_its_bound(services):
    (a,) = services(1)
    a.store.states.entries = 3
    ids = [a.create({"preset": "seed-xor"}).id for _ in range(5)]
    for nid in ids:
        a.step(nid)
    assert len(a.store.states) == 3 and len(a.traces.recent) == 5  # traces: their own bound
    assert [a.get(nid).net.iteration for nid in ids] == [1] * 5


@pytest.mark.parametrize(
    "state",
    [
        {"w": [[0.1, -0.0, 5e-324, 1.7976931348623157e308] * 4], "h": [[1, 0.5]] * 20},
        {"w": [float("nan")] * 20, "inf": [math.inf, 1.0], "b": [True, False] * 10},
        {"ints": list(range(2**53 - 20, 2**53 + 20)), "mixed": [1, 2.0] * 10},
        {"deep": {"a": [{"x": [1.5] * 17}, {"y": []}], "t": (1, 2)}, "none": None, "s": "é"},
        {"random": np.random.default_rng(5).standard_normal((6, 7)).tolist()},
    ],
)
def test_an_entry_gives_back_exactly_what_the_blob_decodes_to(state):
    packed = codec.Packed(state)
    decoded = codec.decode(codec.encode(packed))
    kept = entry(state, packed).record()
    assert orjson.dumps(kept) == orjson.dumps(decoded)  # every float's digits, 1 vs 1.0
    assert kept == decoded
    assert kept is not entry(state).record()  # a fresh copy each time


def test_an_entry_shares_the_histories_points_but_no_list_a_request_may_change():
    """The points of a state's histories are shared (nothing changes them), in lists of
    each use's own; a history with a point that is not two numbers (or None) stays in the
    JSON."""
    loss = [[i, 1.0 / (i + 1)] for i in range(0, 300, 3)]
    accuracy = [[i, 0.5] for i in range(0, 300, 3)]
    odd = [[0, [0.5]], [3, 0.25]]  # not a point the engine makes: left in the JSON
    state = {
        "iteration": 299,
        "history": {
            "stride": 3,
            "points": loss,
            "last": [299, 0.01],
            "test": {"stride": 1, "points": odd, "last": None},
            "accuracy": {"stride": 3, "points": accuracy, "last": None},
        },
    }
    as_json = orjson.dumps(state)
    kept = entry(state)
    assert orjson.dumps(state) == as_json  # the record it was made from is left as it was
    assert [key for key, _ in kept.points] == [None, "accuracy"]
    own = entry(state, checked="samples key")  # the engine's record: its points as they are
    assert [key for key, _ in own.points] == [None, "test", "accuracy"]
    assert own.record() == state
    assert kept.size >= len(kept.json) + 120 * (len(loss) + len(accuracy))
    first, second = kept.record(), kept.record()
    assert orjson.dumps(first) == as_json and first == state
    history = first["history"]
    assert history["points"] is not second["history"]["points"]  # lists of its own
    assert all(map(operator.is_, history["points"], loss))  # holding the very points
    assert history["test"]["points"] is not odd and history["test"]["points"] == odd
    history["points"].append([300, 0.0])
    history["accuracy"]["points"].clear()
    history["test"]["points"][0][1].append(9.0)  # from the JSON: a copy of its own too
    assert kept.record() == state


def test_a_history_grown_by_changes_is_saved_as_packing_it_afresh_saves_it(services, monkeypatch):
    """Changes that append to a long loss history pack it from the array read with the
    state (codec.Packed `since`): the rows and undo levels they save are those a fresh
    packing saves, byte for byte, and both processes read the network as the engine has it."""
    (a,) = services(1)
    xor = {"preset": "seed-xor"}
    nid = a.create(xor).id
    a.train(nid, 200)
    grown, used = codec.Packed._grown, []
    monkeypatch.setattr(
        codec.Packed, "_grown", staticmethod(lambda *a: used.append(r := grown(*a)) or r)
    )
    blobs, fresh_blobs = [], []
    prepare = rows.prepare

    def both(before, state, data, checked=False):
        pending = prepare(before, state, data, checked)
        afresh = codec.Packed(state)
        fresh_blobs.append((codec.encode(afresh), codec.encode(before, afresh)))
        blobs.append((pending.blob, pending.delta))
        return pending

    monkeypatch.setattr(lab_module, "prepare", both)
    for _ in range(5):
        a.step(nid)
    assert any(r is not None for r in used), "no history was packed from the earlier array"
    assert blobs == fresh_blobs and len(blobs) == 5
    net = engine.create_network(xor)
    net.train(200)
    for _ in range(5):
        net.step()
    for snap in (a.get(nid), fresh(services, nid)):
        assert snap.net.iteration == net.iteration
        assert exact(engine.to_record(snap.net)) == exact(engine.to_record(net))
    for _ in range(5):
        a.undo(nid)
    assert a.get(nid).net.iteration == 200


def test_what_a_network_saved_long_ago_is_let_go(services):
    """A change packs its history from the Packed read with the state, and keeps nothing
    of it: once the recent cache has let an old version go, no Packed of it is left (one
    that held the one it was packed since held every earlier one, with their arrays and
    history lists, for as long as the network was in use). The cache keeps one version
    of a network, its latest."""
    (a,) = services(1)
    a.store.states.entries = 3
    nid = a.create({"preset": "seed-xor"}).id
    a.train(nid, 100)  # a history long enough to be packed from the array read
    before = packed_alive()  # what earlier tests of this process may still hold
    for _ in range(30):
        a.train(nid, 5)
    alive = packed_alive() - before
    assert len(a.store.states) == 1  # the latest version only
    assert alive <= 1 + 2, f"{alive} more Packed records alive for 1 kept version"


def packed_alive() -> int:
    gc.collect()
    return sum(type(o) is codec.Packed for o in gc.get_objects())


def test_the_cache_keeps_the_latest_version_of_each_network_only(services, monkeypatch):
    """Each change of a network takes the place of what was kept of its version before
    (no read finds that again), so one network changed many times does not push the
    others out; their next reads decode nothing."""
    (a,) = services(1)
    ids = [a.create({"preset": "seed-xor"}).id for _ in range(3)]
    for _ in range(5):
        for nid in ids:
            a.step(nid)
    a.train(ids[0], 50)
    assert len(a.store.states) == 3
    decoded = []
    real = codec.decode_packed
    monkeypatch.setattr(codec, "decode_packed", lambda *args: decoded.append(1) or real(*args))
    assert [a.get(nid).net.iteration for nid in ids] == [55, 5, 5]
    assert decoded == []
