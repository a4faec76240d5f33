"""The common mistakes the checker recognises, most common first: when two of them give
the same number, the checker names the first of them in this order and lists the others
as `also` (work.py computes each one's number from the equations).

name: (what went wrong, in a few words; how to get it right)
"""

from __future__ import annotations

MISTAKES: dict[str, tuple[str, str]] = {
    "forgot_fprime": (
        "forgot the factor f′(z)",
        "δ = ∂ℓ/∂a ⊙ f′(z): the chain rule goes through the activation, so multiply by f′(z).",
    ),
    "sign": (
        "reversed the sign of ŷ − y",
        "∂ℓ/∂ŷ is ŷ − y (the output minus the target), not y − ŷ.",
    ),
    "half": (
        "the ½ of the loss",
        "check the loss's factor: ½ Σ (ŷ − y)² has ∂ℓ/∂ŷ = ŷ − y (the 2 cancels the ½); "
        "Σ (ŷ − y)² without ½ has 2(ŷ − y); the mean over N outputs has (2/N)(ŷ − y).",
    ),
    "batch_reduction": (
        "summed instead of averaged over the batch (or the reverse)",
        "L is the mean of the samples' losses (reduction mean: divide by m) or their sum "
        "(reduction sum): the gradient follows the same rule.",
    ),
    "one_sample": (
        "used one sample instead of the whole batch",
        "∂L/∂w combines δ a of every sample of the batch, not only the one shown.",
    ),
    "z_for_a": (
        "used z where a was needed",
        "the next layer sees the activation a = f(z), not the weighted input z.",
    ),
    "a_for_z": (
        "used a where z was needed",
        "z is the weighted input Σ w a + b, before the activation function.",
    ),
    "fprime_at_a": (
        "took f′ at a instead of at z",
        "f′ is evaluated at the weighted input z; for the sigmoid f′(z) = a(1 − a).",
    ),
    "derivative_on_z": (
        "applied the derivative's a-form to z",
        "σ′(z) = a(1 − a) and tanh′(z) = 1 − a² are written with a = f(z), not with z.",
    ),
    "off_by_bias": (
        "left out the bias",
        "z = Σ w a + b: add the neuron's bias.",
    ),
    "swapped_indices": (
        "mixed up w_jk and w_kj",
        "w^l_{jk} joins neuron k of layer l − 1 to neuron j of layer l: row j, column k.",
    ),
    "updated_weight": (
        "used the updated weight in the backward pass",
        "the backward pass uses the weights of the forward pass; Update changes them only "
        "after every gradient is computed.",
    ),
    "forgot_lr": (
        "forgot the learning rate",
        "the step is η times the gradient (or the optimiser's step): multiply by η.",
    ),
    "added_gradient": (
        "added the gradient instead of subtracting it",
        "gradient descent goes against the gradient: θ ← θ − η ∂L/∂θ.",
    ),
    "forgot_penalty": (
        "left out the regularisation's part",
        "with regularisation ∂L/∂w = ∂L_data/∂w + ∂Ω/∂w (λ w for l2, λ sign(w) for l1).",
    ),
    "extra_fprime": (
        "multiplied by f′(z) although it cancels",
        "for a sigmoid output with cross-entropy (or softmax with cce) δ = ŷ − y exactly: "
        "the loss's 1/(ŷ(1 − ŷ)) cancels f′(z).",
    ),
    "ignored_optimizer": (
        "used plain gradient descent",
        "this network updates with its optimiser: momentum's velocity v, or Adam's m̂ and v̂.",
    ),
    "forgot_bias_correction": (
        "forgot Adam's bias correction",
        "Adam divides m by (1 − β₁ᵗ) and v by (1 − β₂ᵗ) before the step.",
    ),
    "updated_frozen": (
        "updated a frozen bias",
        "a frozen bias keeps its value: Update leaves it as it is.",
    ),
}
ORDER = {name: i for i, name in enumerate(MISTAKES)}
