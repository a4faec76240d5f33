"""What each symbol on the page means, in one sentence in the article's words: shown when a
symbol is hovered, focused or tapped (templates/_macros.html: term; static/js/lab.js)."""

from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    symbol: str
    sentence: str


TERMS = {
    "z": Term(
        "z",
        "z, the weighted input: the weighted sum of inputs and bias for a neuron, z = Σ w a + b.",
    ),
    "a": Term("a", "a, the activation of a neuron: its output, a = f(z)."),
    "fprime": Term(
        "f′(z)",
        "f′(z), the derivative of the activation function at z: how fast a changes as z changes.",
    ),
    "delta": Term(
        "δ",
        "δ, the error term for a neuron: δ = ∂ℓ/∂z, how much the loss changes as its "
        "weighted input z changes.",
    ),
    "dlda": Term(
        "∂ℓ/∂a",
        "∂ℓ/∂a, the gradient of the loss with respect to a neuron's activation: the error "
        "sent back to it from the next layer (or from the loss).",
    ),
    "dLdW": Term(
        "∂L/∂W",
        "∂L/∂W, the gradient of the loss function with respect to the weights: how much the "
        "batch loss L changes as each weight changes.",
    ),
    "dLdw": Term(
        "∂L/∂w",
        "∂L/∂w, the gradient of the loss function with respect to this weight, the mean of "
        "δ times the activation it multiplies.",
    ),
    "dLdb": Term(
        "∂L/∂b",
        "∂L/∂b, the gradient of the loss function with respect to a bias: the mean of the "
        "neuron's δ.",
    ),
    "grad": Term("∇", "∇, the gradient ∂L/∂w of the weight on this edge."),
    "eta": Term(
        "η",
        "η, the learning rate: gradient descent updates each weight by a step of η times "
        "the negative of its gradient, w ← w − η ∂L/∂w.",
    ),
    "ell": Term(
        "ℓ",
        "ℓ, the loss for one sample: how far its predicted outputs ŷ are from its actual "
        "outputs (targets) y.",
    ),
    "L": Term(
        "L",
        "L, the loss function over the batch: the mean of ℓ over the samples, which "
        "training minimises.",
    ),
    "b": Term("b", "b, the bias of a neuron, added to the weighted sum of its inputs."),
    "w": Term(
        "w",
        "w, a weight: wˡⱼₖ connects neuron k in layer l−1 to neuron j in layer l.",
    ),
    "x": Term("x", "x, an input of the sample: the activation a⁰ of the input layer."),
    "y": Term("y", "y, an actual output (target) of the sample, what ŷ should be."),
    "yhat": Term("ŷ", "ŷ, a predicted output: the activation aᴸ of the output layer."),
}
