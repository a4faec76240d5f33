"""The presets that teach a convention, and the batch schedule they rely on."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import PRESETS, create_network
from engine.core import passes
from engine.core.batches import Schedule


def full_loss(net) -> float:
    """The mean loss over every training sample with the current parameters."""
    biases = [net.bias_or_none(l) for l in range(1, net.depth + 1)]
    acts = net.spec.activations
    return passes.batch_loss(acts, net.spec.loss, net.weights, biases, net.inputs, net.targets)


def test_the_blog_convention_against_ours_after_one_update():
    ours, blog = (
        create_network({"preset": "worked-example"}),
        create_network({"preset": "worked-example-blog"}),
    )
    for net in (ours, blog):
        net.step()
        net.forward(all=True)
    assert abs(blog.trace.loss - 0.291027924) < 2e-7  # the post's figure
    assert abs(ours.trace.loss - 0.2805) < 1e-4  # biases trained too: a little lower


def test_online_xor_learns_in_fewer_epochs_than_full_batch():
    online, full = (
        create_network({"preset": "xor-online"}),
        create_network({"preset": "xor-full-batch"}),
    )
    assert [w.tolist() for w in online.weights] == [w.tolist() for w in full.weights]
    online.step()
    assert len(online.trace.batch) == 1 and len(full.inputs) == 4
    online.reset()
    online.train(4 * 50)  # 50 epochs: 200 updates, one sample each
    full.train(50)  # 50 epochs: 50 updates on all four samples
    assert full_loss(online) < 0.1 < 0.4 < full_loss(full)
    full.train(150)  # the same 200 updates: now comparable
    assert full_loss(full) < 2 * full_loss(online) + 0.05


def test_presets_that_teach_a_convention_say_so():
    assert PRESETS["worked-example-blog"]["bias"] == "frozen"
    assert PRESETS["linear-no-bias"]["bias"] == "none"
    assert PRESETS["xor-online"]["batch_size"] == 1
    same = {k: v for k, v in PRESETS["xor-online"].items() if k not in ("batch_size", "shuffle")}
    other = PRESETS["xor-full-batch"]
    assert {k: v for k, v in same.items() if k not in ("title", "description")} == {
        k: v for k, v in other.items() if k not in ("title", "description")
    }


@settings(max_examples=200, deadline=None)
@given(
    m=st.integers(1, 40),
    b=st.integers(1, 45),
    shuffle=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
    epoch=st.integers(0, 200),
)
def test_every_epoch_is_a_partition_into_sorted_batches(m, b, shuffle, seed, epoch):
    schedule = Schedule(m, b, shuffle, seed)
    per = schedule.per_epoch
    batches = [schedule.batch(epoch * per + k) for k in range(per)]
    assert sorted(np.concatenate(batches).tolist()) == list(range(m))
    assert all(np.all(np.diff(batch) > 0) for batch in batches)
    assert [len(batch) for batch in batches[:-1]] == [min(b, m)] * (per - 1)
    assert schedule.position(epoch * per + per - 1) == (epoch, per - 1)
    if b >= m:  # the whole batch, in order, whatever shuffle says
        assert len(batches) == 1 and batches[0].tolist() == list(range(m))
    again = Schedule(m, b, shuffle, seed)  # the same seed: the same batches, from any start
    np.testing.assert_array_equal(again.batch(epoch * per), batches[0])


def test_shuffling_gives_new_orders_and_no_shuffle_keeps_order():
    shuffled, ordered = Schedule(10, 2, True, 3), Schedule(10, 2, False, 3)
    orders = {tuple(shuffled.epoch_order(e)) for e in range(20)}
    assert len(orders) == 20
    assert {tuple(ordered.epoch_order(e)) for e in range(5)} == {tuple(range(10))}
    assert Schedule(10, 2, True, 4).epoch_order(0).tolist() != shuffled.epoch_order(0).tolist()
