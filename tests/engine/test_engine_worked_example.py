"""The worked-example preset against numbers worked out by hand from DESIGN.md's equations.

x = (0.05, 0.10), y = (0.01, 0.99), W¹ = [[0.15, 0.20], [0.25, 0.30]], b¹ = (0.35, 0.35),
W² = [[0.40, 0.45], [0.50, 0.55]], b² = (0.60, 0.60), sigmoid / sigmoid, mse with ½, η = 0.5.
"""

import math

import numpy as np
import pytest

from engine import create_network


def sigma(z):
    return 1 / (1 + math.exp(-z))


# Forward, layer 1
Z1 = (0.15 * 0.05 + 0.20 * 0.10 + 0.35, 0.25 * 0.05 + 0.30 * 0.10 + 0.35)  # 0.3775, 0.3925
A1 = (sigma(Z1[0]), sigma(Z1[1]))  # 0.593269992, 0.596884378
# Forward, layer 2
Z2 = (0.40 * A1[0] + 0.45 * A1[1] + 0.60, 0.50 * A1[0] + 0.55 * A1[1] + 0.60)
A2 = (sigma(Z2[0]), sigma(Z2[1]))  # 0.751365070, 0.772928465
# L = ½(ŷ1 − y1)² + ½(ŷ2 − y2)² (one sample, so the mean is the sample's loss)
LOSS = 0.5 * (A2[0] - 0.01) ** 2 + 0.5 * (A2[1] - 0.99) ** 2  # 0.298371109
# δ² = (ŷ − y) ⊙ σ'(z²) with σ' = a(1 − a)
D2 = ((A2[0] - 0.01) * A2[0] * (1 - A2[0]), (A2[1] - 0.99) * A2[1] * (1 - A2[1]))
# δ¹ = (W²)ᵀ δ² ⊙ σ'(z¹)
D1 = (
    (0.40 * D2[0] + 0.50 * D2[1]) * A1[0] * (1 - A1[0]),
    (0.45 * D2[0] + 0.55 * D2[1]) * A1[1] * (1 - A1[1]),
)
# ∂L/∂w_jk = δ_j a_k (m = 1), ∂L/∂b_j = δ_j; update θ ← θ − 0.5 ∂L/∂θ
GW2 = [[D2[0] * A1[0], D2[0] * A1[1]], [D2[1] * A1[0], D2[1] * A1[1]]]
GW1 = [[D1[0] * 0.05, D1[0] * 0.10], [D1[1] * 0.05, D1[1] * 0.10]]


def test_hand_arithmetic_matches_the_published_decimals():
    # The blog post's rounded figures; guards the hand arithmetic above against typos.
    assert Z1[0] == pytest.approx(0.3775, abs=1e-15)
    assert A1[0] == pytest.approx(0.593269992, abs=1e-9)
    assert A1[1] == pytest.approx(0.596884378, abs=1e-9)
    assert A2[0] == pytest.approx(0.75136507, abs=1e-8)
    assert A2[1] == pytest.approx(0.772928465, abs=1e-9)
    assert pytest.approx(0.298371109, abs=1e-9) == LOSS
    assert D2[0] == pytest.approx(0.138498562, abs=1e-9)
    assert 0.40 - 0.5 * GW2[0][0] == pytest.approx(0.35891648, abs=1e-8)
    assert 0.15 - 0.5 * GW1[0][0] == pytest.approx(0.149780716, abs=1e-9)


def close(actual, expected, tol=1e-12):
    np.testing.assert_allclose(actual, expected, rtol=0, atol=tol)


def test_forward_pass_and_loss():
    net = create_network({"preset": "worked-example"})
    net.forward()
    close(net.trace.layers[0].z[0].tolist(), list(Z1))
    close(net.trace.layers[0].a[0].tolist(), list(A1))
    assert net.trace.loss is None
    net.forward()
    close(net.trace.layers[1].z[0].tolist(), list(Z2))
    close(net.trace.layers[1].a[0].tolist(), list(A2))
    close(net.trace.loss, LOSS)
    # ∂ℓ/∂ŷ = ŷ − y under the ½ convention
    close(net.trace.dloss_doutput[0].tolist(), [A2[0] - 0.01, A2[1] - 0.99])


def test_backward_pass_deltas_and_gradients():
    net = create_network({"preset": "worked-example"})
    net.forward(all=True)
    net.backward()
    out = net.trace.layers[1]
    close(out.delta[0].tolist(), list(D2))
    close(out.fprime[0].tolist(), [A2[0] * (1 - A2[0]), A2[1] * (1 - A2[1])])
    close(out.grad_w.tolist(), GW2)
    close(out.grad_b.tolist(), list(D2))
    assert net.trace.layers[0].delta is None
    net.backward()
    hidden = net.trace.layers[0]
    close(hidden.grad_a[0].tolist(), [0.40 * D2[0] + 0.50 * D2[1], 0.45 * D2[0] + 0.55 * D2[1]])
    close(hidden.delta[0].tolist(), list(D1))
    close(hidden.grad_w.tolist(), GW1)
    close(hidden.grad_b.tolist(), list(D1))


def test_update_moves_weights_and_biases():
    net = create_network({"preset": "worked-example"})
    net.step()
    eta = 0.5
    w2 = [
        [0.40 - eta * GW2[0][0], 0.45 - eta * GW2[0][1]],
        [0.50 - eta * GW2[1][0], 0.55 - eta * GW2[1][1]],
    ]
    w1 = [
        [0.15 - eta * GW1[0][0], 0.20 - eta * GW1[0][1]],
        [0.25 - eta * GW1[1][0], 0.30 - eta * GW1[1][1]],
    ]
    close(net.weights[1].tolist(), w2)
    close(net.weights[0].tolist(), w1)
    close(net.weights[1][0, 0], 0.35891648, 1e-8)  # the blog's w5⁺
    close(net.weights[0][0, 0], 0.149780716, 1e-9)  # the blog's w1⁺
    # The blog leaves biases alone; ours move too: b ← b − η δ (m = 1).
    # b²: 0.60 − 0.5·0.138498562 = 0.530750719, 0.60 − 0.5·(−0.038098237) = 0.619049118
    close(net.biases[1].tolist(), [0.60 - eta * D2[0], 0.60 - eta * D2[1]])
    close(net.biases[1].tolist(), [0.530750719, 0.619049118], 1e-9)
    # b¹: 0.35 − 0.5·0.008771354 = 0.345614323, 0.35 − 0.5·0.009954255 = 0.345022873
    close(net.biases[0].tolist(), [0.35 - eta * D1[0], 0.35 - eta * D1[1]])
    close(net.biases[0].tolist(), [0.345614323, 0.345022873], 1e-9)
    assert net.previous.weights[1][0, 0] == 0.40
    assert net.trace.learning_rate == 0.5
