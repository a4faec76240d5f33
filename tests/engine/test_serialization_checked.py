"""from_record(…, checked=True), for a record the engine wrote (or accepted) in this
process, skips the checks of its parameters, samples and diagnostics but builds the very
network the checked read builds: every field, every float bit, the replayed trace, and
every step after it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine import PRESETS, create_network, from_record, to_record


def text(net) -> str:
    return json.dumps(to_record(net, trace=True), sort_keys=True)


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_a_checked_read_is_the_network_a_checked_one_gives(preset):
    net = create_network({"preset": preset, "test_split": 0.25})
    phases = set()
    for _ in range(2 * net.depth + 4):  # through an iteration and into the next one
        getattr(net, net.next_action)()
        phases.add(net.phase)
        record = to_record(net)
        both = from_record(record), from_record(record, checked=True)
        assert text(both[0]) == text(both[1]) == text(net)
        for a, b in zip(both[0].weights + both[0].biases, both[1].weights + both[1].biases):
            assert a.dtype == b.dtype == np.float64 and a.shape == b.shape
        for later in both:
            later.step()
        assert text(both[0]) == text(both[1])
    assert {"forward", "backward", "updated"} <= phases


def test_a_network_without_test_samples_reads_the_same_checked_or_not():
    net = create_network({"preset": "seed-xor"})
    net.step()
    record = to_record(net)
    assert record["test_inputs"] == []
    checked = from_record(record, checked=True)
    assert checked.test_inputs.shape == from_record(record).test_inputs.shape == (0, 2)
    assert checked.test_targets.shape == (0, 1)
