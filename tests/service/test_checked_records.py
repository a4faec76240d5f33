"""A state this process's engine wrote, or accepted when it read it, is not checked again
when it is read again (app/service/recent.py: `Entry.checked`), but only with the very
bytes and the very samples it was written or accepted with: a state read with other
samples, a state written by anything but the engine, a state that failed its checks, are
checked (and refused) every time; and what a checked read gives is the network an
unchecked read gives, bit for bit."""

from __future__ import annotations

import math

import pytest

from app.errors import Invalid
from app.service import codec

XOR = {"preset": "seed-xor"}


def exact(snap) -> bytes:
    return codec.encode_json({k: v for k, v in snap.state.items() if k != "undo_levels"})


def rolled_back_save(service, nid: str, **changes) -> None:
    """Save version 2 (the state with `changes`) as the engine's, kept checked by
    `service`'s store, in a transaction that then fails."""
    with pytest.raises(RuntimeError), service.store.change(nid) as ch:
        ch.save({**ch.current.state, **changes}, None, checked=True)
        raise RuntimeError("the transaction fails after the save")


def test_the_engines_own_state_is_read_unchecked_and_is_the_same_network(services):
    a, b = services(2)
    nid = a.create(XOR).id
    for _ in range(3):
        a.step(nid)
    assert a.store.load(nid).checked  # a wrote it: kept checked with its samples
    stored = b.store.load(nid)
    assert not stored.checked  # b read it from the database: checked on first use
    first = b.get(nid)
    assert b.store.load(nid).checked  # accepted: its next read is not checked again
    assert exact(a.get(nid)) == exact(first) == exact(b.get(nid))
    (c,) = services(1)
    assert exact(c.get(nid)) == exact(a.get(nid))  # a new process, nothing kept


def test_a_state_saved_by_anything_but_the_engine_is_checked_every_time(services):
    (a,) = services(1)
    nid = a.create(XOR).id
    with a.store.change(nid) as ch:
        state = {**ch.current.state}
        state["weights"] = [[[math.nan, 0.0], [0.0, 0.0], [0.0, 0.0]], state["weights"][1]]
        ch.save(state, None)  # not the engine's: not marked checked
    assert not a.store.load(nid).checked
    for _ in range(2):
        with pytest.raises(Invalid) as e:
            a.get(nid)
        assert e.value.field == "weights[0]"


def test_a_checked_state_read_with_other_samples_is_checked_again(services):
    a, b = services(2)
    nid = a.create(XOR).id
    rolled_back_save(a, nid)  # version 2: the state of version 1 again
    with b.store.change(nid) as ch:  # the same state bytes at version 2, other samples
        bad = {"inputs": [[0.0, 0.0, 0.0]] * 4, "targets": [[0.0], [1.0], [1.0], [0.0]]}
        ch.save(ch.current.state, bad)
    stored = a.store.load(nid)
    assert stored.version == 2 and not stored.checked
    with pytest.raises(Invalid) as e:
        a.get(nid)
    assert e.value.field == "inputs"


def test_a_checked_entry_of_a_rolled_back_save_is_never_used(services):
    a, b = services(2)
    nid = a.create(XOR).id
    rolled_back_save(a, nid, learning_rate=0.125)
    with b.store.change(nid) as ch:  # another version 2, not the engine's
        state = {**ch.current.state}
        state["biases"] = [[0.0, 0.0, 0.0], [math.inf]]
        ch.save(state, None)
    with pytest.raises(Invalid) as e:
        a.get(nid)
    assert e.value.field == "biases[1]"
