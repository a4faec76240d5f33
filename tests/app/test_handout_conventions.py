"""The worked-example handout follows the network's conventions: frozen and absent biases,
the loss's form, the sum over the batch, a mini-batch's sample, the penalty and the input
gradient (the Markdown; the HTML page and the LaTeX come from the same blocks)."""

from __future__ import annotations

import engine
from app.documents.worked_example import document


def handout(**config) -> str:
    return document(engine.create_network(config))


def test_the_blog_convention_is_written_out():
    md = handout(preset="worked-example-blog")
    assert "The biases are frozen: kept at their values, shown, never updated." in md
    assert r"\text{ (frozen)}" in md
    assert "The bias of neuron 1 in layer 1, b¹₁, frozen: the update leaves it as it is" in md
    assert "b^{1}_{1} = 0.3500" in md and "b^{1}_{1} \\leftarrow" not in md  # no rule
    assert "its loss after the update is 0.291027924, here 0.2910" in md
    assert "The loss fell from $L = 0.2984$ to $L = 0.2910$" in md


def test_no_bias_terms_and_the_penalty():
    md = handout(preset="linear-no-bias", regularization="l2", regularization_rate=0.1)
    assert "No bias terms: $z^{l} = W^{l} a^{l-1}$." in md
    assert "(no bias term)" in md and "+ b^{1}_{1}" not in md and "b^{2}_{1}" not in md
    assert "Regularization l2 with $\\lambda = 0.1000$" in md
    assert "**Penalty (l2) over every weight, not the biases, Ω**" in md
    assert "**Loss: the data's part plus the penalty, L**" in md
    # ℓ = ½ (0.191 − 1)² = 0.3272; Ω = 0.05 (0.11² + 0.21² + 0.12² + 0.08² + 0.14² + 0.15²)
    omega = 0.05 * (0.11**2 + 0.21**2 + 0.12**2 + 0.08**2 + 0.14**2 + 0.15**2)
    assert f"0.3272 + {omega:.4f} = {0.5 * 0.809**2 + omega:.4f}" in md
    assert r"+ \lambda w^{2}_{11}" in md  # ∂L/∂w gains λ w


def test_a_mini_batch_is_written_for_its_own_sample():
    net = engine.create_network({"preset": "xor-online", "reduction": "sum"})
    i = int(net.schedule.batch(0)[0])
    md = document(net)
    assert f"one of its 4 samples at a time (online; epoch 1, this iteration: sample {i + 1})" in md
    assert f"Sample {i + 1} of 4" in md and f"(sample {i + 1} of 4)" in md
    assert "The batch loss is the sum $L = \\sum_i \\ell_i$" in md


def test_the_losses_and_the_input_gradient():
    sse = handout(preset="worked-example", loss="sse")
    assert r"\ell = \sum_j (\hat{y}_j - y_j)^2" in sse and "2(0.7514 - 0.0100)" in sse
    mean = handout(preset="worked-example", loss="mse_mean")
    assert r"\frac{2}{2}(0.7514 - 0.0100)" in mean
    md = handout(preset="worked-example")
    assert "### The gradient with respect to the inputs" in md
    assert "**Gradient of the loss with respect to input 1, ∂ℓ/∂x₁**" in md
