"""The conventions through JSON: round trips in every phase, and networks stored before
the conventions existed, which load with the article's conventions and carry on exactly as
that engine did (to the last bits a CPU's own rounding of a sum may change)."""

import json
from pathlib import Path

import pytest

from engine import create_network, from_record, to_record
from tests.engine.test_serialization_presets import dump, positions
from tests.support.floats import same_value

STORED = json.loads((Path(__file__).parent / "data" / "stored_before_conventions.json").read_text())
NEW_FIELDS = {
    "bias": "trained",
    "reduction": "mean",
    "batch_size": None,
    "shuffle": True,
    "regularization": "none",
    "regularization_rate": 0.0,
}
CONFIGS = {
    "frozen": {"preset": "worked-example-blog", "optimizer": "momentum"},
    "none": {"preset": "linear-no-bias"},
    "online": {"preset": "xor-online", "optimizer": "adam"},
    "mixed": {
        "layers": [2, 3, 3],
        "activations": ["relu", "sigmoid"],
        "loss": "sse",
        "learning_rate": 0.05,
        "init": "he",
        "seed": 4,
        "dataset": {"name": "gauss", "samples": 7, "classes": 3, "seed": 3},
        "bias": ["none", "frozen"],
        "reduction": "sum",
        "batch_size": 3,
        "regularization": "l1",
        "regularization_rate": 0.05,
        "optimizer": "adam",
    },
}


def state(net) -> dict:
    """What the engine of the fixture wrote for a network: its record with the trace and the
    loss histories as lists."""
    return {
        **to_record(net, trace=True),
        "loss_history": net.history.as_list(),
        "test_loss_history": net.test_history.as_list(),
    }


def same_old_fields(old: dict, new: dict, path: str = "") -> None:
    """Every key the old engine wrote has the same value now (new keys may be added)."""
    if isinstance(old, dict):
        for key, value in old.items():
            assert key in new, f"{path}/{key} is gone"
            same_old_fields(value, new[key], f"{path}/{key}")
    elif isinstance(old, list):
        assert len(old) == len(new), path
        for i, (a, b) in enumerate(zip(old, new)):
            same_old_fields(a, b, f"{path}[{i}]")
    else:
        assert same_value(old, new), f"{path}: {old!r} then, {new!r} now"


@pytest.mark.parametrize("case", STORED, ids=lambda c: str(c["moves"]))
@pytest.mark.parametrize("with_trace", [True, False])
def test_networks_stored_before_the_conventions_carry_on_as_before(case, with_trace):
    stored = dict(case["stored"])
    assert not set(NEW_FIELDS) & set(stored)  # the fixture is in the old format
    if not with_trace:  # as the store keeps it: the trace is rebuilt by replaying
        stored.pop("trace")
    net = from_record(stored)
    same_old_fields({k: v for k, v in case["stored"].items() if k != "trace"}, state(net))
    for key, value in NEW_FIELDS.items():
        assert to_record(net)[key] == value
    net.step()
    net.train(7)
    same_old_fields(case["after"], state(net))  # what the old engine computed
    epoch, batch = net.batch_position()
    assert batch.tolist() == list(range(len(net.inputs)))
    assert epoch == net.iteration + 1  # the whole batch: one epoch per iteration


@pytest.mark.parametrize("name", list(CONFIGS))
def test_round_trip_with_conventions_is_bit_identical_in_every_phase(name):
    phases = set()
    for net in positions(create_network(CONFIGS[name])):
        phases.add(net.phase)
        full = dump(net)
        assert dump(from_record(json.loads(full))) == full
        bare = json.loads(dump(net, trace=False))
        assert dump(from_record(bare)) == full  # the replayed trace: the same batch, the same bits
    assert phases == {"idle", "forward", "backward", "updated"}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_round_trip_keeps_stepping_identically(name):
    a = create_network(CONFIGS[name])
    a.train(4)  # mid-epoch for the mini-batch networks
    a.forward()
    b = from_record(json.loads(dump(a, trace=False)))
    a.step()
    b.step()
    a.train(9)
    b.train(9)
    assert dump(a) == dump(b)


def test_the_record_names_the_conventions():
    net = create_network(CONFIGS["mixed"])
    d = to_record(net)
    assert d["bias"] == ["none", "frozen"]
    assert (d["reduction"], d["batch_size"], d["shuffle"]) == ("sum", 3, True)
    assert (d["regularization"], d["regularization_rate"]) == ("l1", 0.05)
    epoch, batch = net.batch_position()
    assert epoch == 1 and len(batch) == 3
    assert to_record(create_network({"preset": "worked-example-blog"}))["bias"] == "frozen"


def test_a_stored_network_must_agree_with_its_conventions():
    d = to_record(create_network(CONFIGS["none"]))
    d["biases"][0][0] = 0.5  # a layer without a bias term cannot hold one
    with pytest.raises(Exception) as info:
        from_record(d)
    assert "biases[0]" in str(info.value)
    d = to_record(create_network(CONFIGS["mixed"]))
    d["batch_size"] = 50  # more than the training samples
    with pytest.raises(Exception) as info:
        from_record(d)
    assert "batch_size" in str(info.value)
