"""Every convention against numbers worked out by hand from the equations, on tiny networks.

Each test writes its arithmetic down. The conventions: bias trained | frozen | none, the
losses mse (½ Σ), sse (Σ) and mse_mean ((1/N_L) Σ), the reduction mean | sum, mini-batches
(batch_size, shuffle), the l2 / l1 penalties, and the input gradient ∂ℓ_i/∂x_i.
"""

import math

import numpy as np
import pytest

from engine import create_network, to_record
from tests.support.networks import LINE


def close(actual, expected, tol=1e-12):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), expected, rtol=0, atol=tol)


def sigma(z):
    return 1 / (1 + math.exp(-z))


def line(**extra):
    """One linear neuron ŷ = w x + b with w = 0.5, b = 0.1, on x = (1, 2), y = (1, 0), mse,
    η = 0.1: ŷ = (0.6, 1.1), ŷ − y = (−0.4, 1.1), ℓ = ½ (ŷ − y)² = (0.08, 0.605)."""
    return create_network({**LINE, **extra})


# ---- bias: frozen -----------------------------------------------------------------------
def test_frozen_biases_the_blog_post_way():
    """The worked example with the blog's convention: biases kept, weights updated."""
    net = create_network({"preset": "worked-example-blog"})
    net.step()
    # Iteration 1 is the worked example's: z¹ = (0.3775, 0.3925), a¹ = σ(z¹), …
    a1 = (sigma(0.15 * 0.05 + 0.20 * 0.10 + 0.35), sigma(0.25 * 0.05 + 0.30 * 0.10 + 0.35))
    a2 = (
        sigma(0.40 * a1[0] + 0.45 * a1[1] + 0.60),
        sigma(0.50 * a1[0] + 0.55 * a1[1] + 0.60),
    )
    d2 = ((a2[0] - 0.01) * a2[0] * (1 - a2[0]), (a2[1] - 0.99) * a2[1] * (1 - a2[1]))
    d1 = (
        (0.40 * d2[0] + 0.50 * d2[1]) * a1[0] * (1 - a1[0]),
        (0.45 * d2[0] + 0.55 * d2[1]) * a1[1] * (1 - a1[1]),
    )
    # … the update moves only the weights: w ← w − 0.5 δ_j a_k; b stays 0.35 / 0.60
    w2 = [[0.40 - 0.5 * d2[0] * a1[0], 0.45 - 0.5 * d2[0] * a1[1]],
          [0.50 - 0.5 * d2[1] * a1[0], 0.55 - 0.5 * d2[1] * a1[1]]]  # fmt: skip
    w1 = [[0.15 - 0.5 * d1[0] * 0.05, 0.20 - 0.5 * d1[0] * 0.10],
          [0.25 - 0.5 * d1[1] * 0.05, 0.30 - 0.5 * d1[1] * 0.10]]  # fmt: skip
    close(net.weights[1], w2)
    close(net.weights[0], w1)
    close(net.weights[1][0, 0], 0.35891648, 1e-8)  # the blog's w5⁺
    assert net.biases[0].tolist() == [0.35, 0.35] and net.biases[1].tolist() == [0.60, 0.60]
    # ∂L/∂b = δ is still computed (and shown), it is just not applied
    close(net.trace.layers[1].grad_b, d2)
    # Iteration 2's forward pass, with the new weights and the same biases:
    h = [sigma(w1[j][0] * 0.05 + w1[j][1] * 0.10 + 0.35) for j in range(2)]
    o = [sigma(w2[j][0] * h[0] + w2[j][1] * h[1] + 0.60) for j in range(2)]
    loss = 0.5 * (o[0] - 0.01) ** 2 + 0.5 * (o[1] - 0.99) ** 2  # 0.2910277737
    net.forward(all=True)
    close(net.trace.loss, loss)
    assert abs(net.trace.loss - 0.291027924) < 2e-7  # the post's own (rounded) figure
    assert abs(net.trace.loss - 0.2910277737) < 1e-10


def test_frozen_and_absent_biases_get_no_optimiser_state_and_no_update():
    for optimizer in ("momentum", "adam"):
        net = create_network({"preset": "worked-example-blog", "optimizer": optimizer})
        net.step()
        net.step()
        assert net.biases[0].tolist() == [0.35, 0.35]
        for key, arrays in net.optimizer_state.items():
            if key != "t":  # W¹, W² have state; b¹, b² none
                assert arrays[0] is not None and arrays[1] is not None
                assert arrays[2] is None and arrays[3] is None
        stored = to_record(net)["optimizer_state"]
        assert all(part["biases"] == [None, None] for k, part in stored.items() if k != "t")
    mixed = create_network({"preset": "worked-example", "bias": ["trained", "frozen"]})
    mixed.step()
    assert mixed.biases[1].tolist() == [0.60, 0.60] and mixed.biases[0][0] != 0.35


# ---- bias: none -------------------------------------------------------------------------
def test_a_linear_net_without_biases():
    """x = (2, 3), y = 1, W¹ = [[0.11, 0.21], [0.12, 0.08]], W² = [[0.14, 0.15]], linear,
    mse (½), η = 0.05, no bias terms."""
    net = create_network({"preset": "linear-no-bias"})
    net.forward(all=True)
    # z¹ = W¹ x: h1 = 0.11·2 + 0.21·3 = 0.85, h2 = 0.12·2 + 0.08·3 = 0.48 (no + b)
    close(net.trace.layers[0].z, [[0.85, 0.48]])
    # ŷ = 0.14·0.85 + 0.15·0.48 = 0.119 + 0.072 = 0.191; ℓ = ½ (0.191 − 1)² = 0.3272405
    close(net.trace.layers[1].a, [[0.191]])
    close(net.trace.loss, 0.5 * 0.809**2)
    net.backward(all=True)
    out, hidden = net.trace.layers[1], net.trace.layers[0]
    # δ² = ŷ − y = −0.809 (linear: f' = 1); ∂L/∂W² = δ² h = (−0.809·0.85, −0.809·0.48)
    close(out.delta, [[-0.809]])
    close(out.grad_w, [[-0.809 * 0.85, -0.809 * 0.48]])
    # δ¹ = (W²)ᵀ δ² = (0.14·−0.809, 0.15·−0.809) = (−0.11326, −0.12135)
    close(hidden.delta, [[-0.11326, -0.12135]])
    close(hidden.grad_w, [[-0.11326 * 2, -0.11326 * 3], [-0.12135 * 2, -0.12135 * 3]])
    assert out.grad_b is None and hidden.grad_b is None  # there is no bias to differentiate
    net.update()
    # w ← w − 0.05 g: w²₁₁ = 0.14 + 0.05·0.68765 = 0.1743825, w¹₁₁ = 0.11 + 0.05·0.22652
    close(net.weights[1], [[0.14 + 0.05 * 0.809 * 0.85, 0.15 + 0.05 * 0.809 * 0.48]])
    close(net.weights[0][0], [0.11 + 0.05 * 0.22652, 0.21 + 0.05 * 0.33978])
    assert [b.tolist() for b in net.biases] == [[0.0, 0.0], [0.0]]
    # the next prediction: h = (2·0.121326 + 3·0.226989, 2·0.132135 + 3·0.0982025)
    h = (2 * 0.121326 + 3 * 0.226989, 2 * 0.132135 + 3 * 0.0982025)
    net.forward(all=True)
    close(net.trace.layers[1].a, [[0.1743825 * h[0] + 0.169416 * h[1]]])


def test_no_bias_terms_even_when_a_preset_had_biases():
    net = create_network({"preset": "worked-example", "bias": "none"})
    assert all(not b.any() for b in net.biases)
    net.forward()
    # z¹ = W¹ x alone: 0.15·0.05 + 0.20·0.10 = 0.0275, 0.25·0.05 + 0.30·0.10 = 0.0425
    close(net.trace.layers[0].z, [[0.0275, 0.0425]])


# ---- losses -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "loss,value,factor",
    [
        # d = ŷ − y = (−0.4, 0.3, 0.2), Σ d² = 0.16 + 0.09 + 0.04 = 0.29
        ("mse", 0.5 * 0.29, 1.0),  # ½ Σ d² = 0.145, ∂ℓ/∂ŷ = d
        ("sse", 0.29, 2.0),  # Σ d² = 0.29, ∂ℓ/∂ŷ = 2 d
        ("mse_mean", 0.29 / 3, 2.0 / 3),  # (1/3) Σ d² = 0.0966…, ∂ℓ/∂ŷ = (2/3) d
    ],
)
def test_squared_error_losses(loss, value, factor):
    """A linear 1-3 layer with ŷ = (0.6, 0.3, 0.2) for x = 1 and y = (1, 0, 0)."""
    net = create_network(
        {
            "layers": [1, 3],
            "activations": ["linear"],
            "loss": loss,
            "learning_rate": 0.1,
            "weights": [[[0.6], [0.3], [0.2]]],
            "biases": [[0.0, 0.0, 0.0]],
            "inputs": [[1.0]],
            "targets": [[1.0, 0.0, 0.0]],
        }
    )
    net.forward()
    d = np.array([-0.4, 0.3, 0.2])
    close(net.trace.loss, value)
    close(net.trace.dloss_doutput, [factor * d])
    net.backward()
    close(net.trace.layers[0].delta, [factor * d])  # f' = 1
    close(net.trace.layers[0].grad_w, (factor * d)[:, None] * 1.0)  # δ_j x


def test_sse_through_a_sigmoid():
    """ŷ = σ(0) = 0.5, y = 1: sse ℓ = 0.25; δ = 2 (ŷ − y) σ'(0) = 2·(−0.5)·0.25 = −0.25."""
    net = create_network(
        {
            "layers": [1, 1],
            "activations": ["sigmoid"],
            "loss": "sse",
            "learning_rate": 1.0,
            "weights": [[[0.0]]],
            "biases": [[0.0]],
            "inputs": [[3.0]],
            "targets": [[1.0]],
        }
    )
    net.step()
    close(net.trace.losses, [0.25])
    close(net.trace.layers[0].delta, [[-0.25]])
    close(net.weights[0], [[0.75]])  # w ← 0 − 1·(−0.25·3)


# ---- reduction ----------------------------------------------------------------------------
def test_mean_and_sum_reductions():
    # ℓ = (0.08, 0.605); δ = ŷ − y = (−0.4, 1.1)
    mean, total = line(), line(reduction="sum")
    for net in (mean, total):
        net.forward()
        net.backward()
    close(mean.trace.loss, (0.08 + 0.605) / 2)  # 0.3425
    close(total.trace.loss, 0.08 + 0.605)  # 0.685
    # ∂L/∂w: mean (−0.4·1 + 1.1·2)/2 = 0.9, sum −0.4 + 2.2 = 1.8; ∂L/∂b: 0.35, 0.7
    close(mean.trace.layers[0].grad_w, [[0.9]])
    close(total.trace.layers[0].grad_w, [[1.8]])
    close(mean.trace.layers[0].grad_b, [0.35])
    close(total.trace.layers[0].grad_b, [0.7])
    total.update()
    close(total.weights[0], [[0.5 - 0.1 * 1.8]])  # 0.32


# ---- mini-batches -------------------------------------------------------------------------
def three_samples(**extra):
    """The line on x = (1, 2, 3), y = (1, 0, 2)."""
    return line(inputs=[[1.0], [2.0], [3.0]], targets=[[1.0], [0.0], [2.0]], **extra)


def position(net):
    """(epoch, the batch's sample indices) of the current iteration."""
    epoch, batch = net.batch_position()
    return epoch, batch.tolist()


def test_batches_of_two_in_order():
    net = three_samples(batch_size=2, shuffle=False)
    assert position(net) == (1, [0, 1])  # the batch the next Forward takes
    net.step()
    # iteration 1, samples 0 and 1: δ = (−0.4, 1.1), ∂L/∂w = 0.9, ∂L/∂b = 0.35
    # w = 0.5 − 0.1·0.9 = 0.41, b = 0.1 − 0.1·0.35 = 0.065
    close(net.trace.layers[0].z, [[0.6], [1.1]])
    close(net.weights[0], [[0.41]])
    close(net.biases[0], [0.065])
    assert position(net) == (1, [0, 1])  # after the update: the trace's batch
    net.forward()
    assert position(net) == (1, [2])
    net.backward()
    net.update()
    # iteration 2, sample 2 alone (the last batch of the epoch is smaller):
    # ŷ = 0.41·3 + 0.065 = 1.295, δ = 1.295 − 2 = −0.705 (mean over 1 sample)
    # w = 0.41 + 0.1·2.115 = 0.6215, b = 0.065 + 0.1·0.705 = 0.1355
    close(net.trace.layers[0].z, [[1.295]])
    close(net.trace.loss, 0.5 * 0.705**2)
    close(net.weights[0], [[0.6215]])
    close(net.biases[0], [0.1355])
    net.forward()
    assert position(net) == (2, [0, 1])  # epoch 2 starts again with samples 0 and 1
    np.testing.assert_array_equal(net.trace.batch, [0, 1])


def test_online_learning_one_sample_at_a_time():
    net = three_samples(batch_size=1, shuffle=False)
    net.step()
    # sample 0: ŷ = 0.6, δ = −0.4 (no 1/m: m = 1): w = 0.5 + 0.04 = 0.54, b = 0.1 + 0.04
    close(net.weights[0], [[0.54]])
    close(net.biases[0], [0.14])
    net.step()
    # sample 1: ŷ = 0.54·2 + 0.14 = 1.22, δ = 1.22: w = 0.54 − 0.1·2.44 = 0.296, b = 0.018
    close(net.weights[0], [[0.296]])
    close(net.biases[0], [0.018])
    assert position(net) == (1, [1])
    assert net.history.as_list()[-1] == [2, pytest.approx(0.5 * 1.22**2, abs=1e-12)]


def test_shuffled_epochs_follow_the_seeded_rule():
    """Epoch e's order is row e mod 64 of a permutation per row drawn by
    numpy.random.default_rng([seed, 0xBA7C, e // 64]); each batch's indices ascending."""
    m, b, seed = 7, 3, 11
    xs = [[float(i)] for i in range(m)]
    net = line(inputs=xs, targets=xs, batch_size=b, seed=seed, learning_rate=0.01)
    rng = np.random.default_rng([seed, 0xBA7C, 0])
    rows = rng.permuted(np.tile(np.arange(m), (64, 1)), axis=1)
    seen = []
    for epoch in range(3):
        expected = [sorted(rows[epoch][k : k + b]) for k in range(0, m, b)]  # 3, 3, 1
        got = []
        for _ in range(3):
            net.forward()
            got.append(net.trace.batch.tolist())
            assert net.batch_position()[0] == epoch + 1
            net.backward(all=True)
            net.update()
        assert got == expected
        assert sorted(i for batch in got for i in batch) == list(range(m))  # a partition
        seen.append(got)
    assert seen[0] != seen[1] != seen[2]  # a new order every epoch
    again = line(inputs=xs, targets=xs, batch_size=b, seed=seed, learning_rate=0.01)
    again.train(9)  # the fast path takes the same batches: the same parameters
    close(again.weights[0], net.weights[0])


def test_the_whole_batch_ignores_shuffle():
    a, b = line(shuffle=True), line(shuffle=False)
    a.step()
    b.step()
    assert a.trace.batch.tolist() == b.trace.batch.tolist() == [0, 1]
    assert a.weights[0].tolist() == b.weights[0].tolist()


# ---- regularisation -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name,w,penalty,grad_w",
    [
        # w = 0.5: data ∂L/∂w = 0.9 (see the reductions), λ = 0.2
        ("l2", 0.5, 0.1 * 0.25, 0.9 + 0.2 * 0.5),  # Ω = (λ/2) w² = 0.025; + λ w
        ("l1", 0.5, 0.2 * 0.5, 0.9 + 0.2),  # Ω = λ |w| = 0.1; + λ sign(w)
        # w = −0.5: ŷ = (−0.4, −0.9), δ = (−1.4, −0.9), data ∂L/∂w = (−1.4 − 1.8)/2 = −1.6
        ("l1", -0.5, 0.2 * 0.5, -1.6 - 0.2),  # sign(w) = −1
        ("l2", -0.5, 0.1 * 0.25, -1.6 + 0.2 * -0.5),
    ],
)
def test_penalties(name, w, penalty, grad_w):
    net = line(weights=[[[w]]], regularization=name, regularization_rate=0.2)
    net.forward()
    d = np.array([w + 0.1 - 1.0, 2 * w + 0.1])
    data = 0.5 * float((d * d).mean())
    close(net.trace.data_loss, data)
    close(net.trace.penalty, penalty)
    close(net.trace.loss, data + penalty)  # the loss shown is data + penalty
    net.backward()
    lt = net.trace.layers[0]
    close(lt.grad_w, [[grad_w]])
    close(lt.grad_w_penalty, [[grad_w - float((d * [1.0, 2.0]).mean())]])
    close(lt.grad_w_data + lt.grad_w_penalty, lt.grad_w)
    close(lt.grad_b, [float(d.mean())])  # the bias is not penalised
    net.update()
    close(net.weights[0], [[w - 0.1 * grad_w]])


def test_the_penalty_runs_over_every_weight_and_no_bias():
    net = create_network({"preset": "worked-example", "regularization": "l2"})
    assert net.spec.regularization_rate == 0.0  # λ defaults to 0: no effect until set
    net = create_network(
        {"preset": "worked-example", "regularization": "l2", "regularization_rate": 0.01}
    )
    net.forward(all=True)
    # Σ w² = 0.15² + 0.20² + 0.25² + 0.30² + 0.40² + 0.45² + 0.50² + 0.55² = 1.13
    close(net.trace.penalty, 0.005 * 1.13)
    close(net.trace.loss, 0.298371108760003 + 0.00565, 1e-11)
    net.backward(all=True)
    close(net.trace.layers[0].grad_w_penalty, [[0.0015, 0.002], [0.0025, 0.003]])


def test_optimisers_apply_to_the_gradient_with_the_penalty():
    net = line(regularization="l2", regularization_rate=0.2, optimizer="adam")
    net.step()
    # g = 0.9 + 0.2·0.5 = 1.0; m = 0.1 g = 0.1; v = 0.001 g² = 0.001; m̂ = 1, v̂ = 1
    layer = net.trace.update["layers"][0]
    close(layer["m"]["weights"], [[0.1]])
    close(layer["v"]["weights"], [[0.001]])
    close(net.weights[0], [[0.5 - 0.1 * 1.0 / (1.0 + 1e-8)]])
    momentum = line(regularization="l1", regularization_rate=0.2, optimizer="momentum")
    momentum.step()
    close(momentum.trace.update["layers"][0]["v"]["weights"], [[1.1]])  # v = g = 0.9 + 0.2


# ---- the gradient with respect to the inputs ---------------------------------------------------
def test_dloss_dinput_is_w1_transposed_times_delta1():
    net = line()
    net.forward()
    net.backward()
    # ∂ℓ_i/∂x_i = w δ_i per sample, no 1/m: (0.5·−0.4, 0.5·1.1) = (−0.2, 0.55)
    close(net.trace.dloss_dinput, [[-0.2], [0.55]])
    worked = create_network({"preset": "worked-example"})
    worked.forward(all=True)
    worked.backward()
    assert worked.trace.dloss_dinput is None  # only once the backward pass reaches layer 1
    worked.backward()
    d1 = worked.trace.layers[0].delta[0]  # (0.0087714, 0.0099543)
    # ∂ℓ/∂x₁ = w¹₁₁ δ¹₁ + w¹₂₁ δ¹₂ = 0.15·δ¹₁ + 0.25·δ¹₂; ∂ℓ/∂x₂ = 0.20·δ¹₁ + 0.30·δ¹₂
    close(worked.trace.dloss_dinput, [[0.15 * d1[0] + 0.25 * d1[1], 0.20 * d1[0] + 0.30 * d1[1]]])
    close(d1, [0.00877135, 0.00995425], 1e-8)
