"""The forward pass's values and their mistakes: z, a, and at the output layer the
sample's loss ℓ and ∂ℓ/∂ŷ."""

from __future__ import annotations

import numpy as np

from ..core.activations import ACTIVATIONS
from ..core.losses import LOSSES
from ..notation import sub
from .work import Operand, Where, Work, slip, slips, slots, substitution

SQUARED = ("mse", "sse", "mse_mean")


def weighted_input(h: Where) -> Work:
    """z^l_j = Σ_k w^l_{jk} a^{l-1}_k + b^l_j."""
    net, l, jj, r = h.net, h.l, h.jj, h.r
    lt, w = h.layer(), net.weights[l - 1]
    b = net.bias_or_none(l)
    a_prev = h.a_prev()[r]
    bias = 0.0 if b is None else float(b[jj])
    z = float(lt.z[r, jj])
    wk, ak = h.s("w", l, f"{sub(h.ask.neuron)}ₖ"), h.s("a", l - 1, "ₖ")
    bias_term = f" + {h.s('b')}" if b is not None else ""
    equation = f"{h.s('z')} = Σₖ {wk} {ak}{bias_term}"
    out = [slip("a_for_z", lt.a[r, jj], h.s("z"), f"{h.s('a')} = f({h.s('z')})")]
    if l >= 2:
        z_prev = h.layer(l - 1).z[r]
        out.append(slip("z_for_a", w[jj] @ z_prev + bias, ak, h.s("z", l - 1, "ₖ")))
    if b is not None:
        out.append(slip("off_by_bias", z - bias, bias_term.strip(), "(no bias)"))
    n_out, n_in = w.shape
    if n_in <= n_out and h.ask.neuron <= n_in:  # the column exists: w_kj for every k
        kj = h.s("w", l, f"ₖ{sub(h.ask.neuron)}")
        out.append(slip("swapped_indices", w[:n_in, jj] @ a_prev + bias, wk, kj))
    n_in = len(a_prev)
    ops = []
    for k in range(1, n_in + 1):
        ops += [h.op(h.s("w", l, f"{sub(h.ask.neuron)}{sub(k)}"), w[jj, k - 1])]
        ops += [h.op(h.s("a", l - 1, k), a_prev[k - 1])]
    form = slots(n_in, "{a} · {b}")
    if b is not None:
        form += f" + {{{len(ops)}}}"
        ops.append(h.op(h.s("b"), bias))
    return substitution(Work(h.ask, z, equation, slips(*out)), form, *ops)


ACTIVATION_FORMS = {  # f(z) with z as {0}
    "sigmoid": "1 / (1 + e^(−{0}))",
    "tanh": "tanh({0})",
    "relu": "max(0, {0})",
    "leaky_relu": "max(0.01 · {0}, {0})",
    "linear": "{0}",
    "softmax": "e^{0} / Σᵢ e^zᵢ",
}


def activation(h: Where) -> Work:
    """a^l_j = f(z^l_j) (softmax: over the layer's z)."""
    lt, r, jj = h.layer(), h.r, h.jj
    name = h.net.spec.activations[h.l - 1]
    f = "σ" if name == "sigmoid" else name
    equation = f"{h.s('a')} = {f}({h.s('z')})"
    z = float(lt.z[r, jj])
    out = [slip("z_for_a", z, f"{f}({h.s('z')})", h.s("z"))]
    b = h.net.bias_or_none(h.l)
    if b is not None and name != "softmax":
        act = ACTIVATIONS[name]
        out.append(
            slip(
                "off_by_bias", act.f(np.array([z - b[jj]]))[0], h.s("z"), f"{h.s('z')} − {h.s('b')}"
            )
        )
    work = Work(h.ask, float(lt.a[r, jj]), equation, slips(*out))
    return substitution(work, ACTIVATION_FORMS[name], h.op(h.s("z"), z, same=True))


def targets(h: Where) -> np.ndarray:
    """y of the batch's samples, (b, N_L)."""
    t = h.net.trace.batch
    y = h.net.targets
    return y if t is None or len(t) == len(y) else y[t]


def sample_loss(h: Where) -> Work:
    """ℓ of the asked sample (the loss's own formula: LOSSES)."""
    net, r = h.net, h.r
    loss = LOSSES[net.spec.loss]
    y, lt = targets(h)[r : r + 1], h.layer()
    value = float(h.known(net.trace.losses)[r])
    written = {
        "mse": "ℓ = ½ Σⱼ (ŷⱼ − yⱼ)²",
        "sse": "ℓ = Σⱼ (ŷⱼ − yⱼ)²",
        "mse_mean": "ℓ = (1/N) Σⱼ (ŷⱼ − yⱼ)²",
        "bce": "ℓ = −Σⱼ [yⱼ log ŷⱼ + (1 − yⱼ) log(1 − ŷⱼ)]",
        "cce": "ℓ = −Σⱼ yⱼ log ŷⱼ",
    }[net.spec.loss]
    out = []
    if net.spec.loss in SQUARED:
        half = {"mse": ("½ Σⱼ", "Σⱼ", 2.0), "sse": ("Σⱼ", "½ Σⱼ", 0.5)}.get(
            net.spec.loss, ("(1/N) Σⱼ", "½ (1/N) Σⱼ", 0.5)
        )
        out.append(slip("half", value * half[2], half[0], half[1]))
        out.append(slip("z_for_a", loss.value(lt.z[r : r + 1], y)[0], "ŷⱼ", "zⱼ"))
    return substitution(Work(h.ask, value, written, slips(*out)), *loss_form(h, y[0]))


def loss_form(h: Where, y: np.ndarray) -> tuple:
    """ℓ's substitution: ŷ_j (with the same click) and y_j of every output."""
    yhat = h.layer().a[h.r]
    ops: list[Operand] = []
    for j, (p, t) in enumerate(zip(yhat, y), start=1):
        ops += [h.op(f"ŷ{sub(j)}", p, same=True), h.op(f"y{sub(j)}", t)]
    n, loss = len(y), h.net.spec.loss
    pattern = {
        "bce": "[{b} log {a} + (1 − {b}) log(1 − {a})]",
        "cce": "{b} log {a}",
    }.get(loss, "({a} − {b})²")
    body = slots(n, pattern)
    front = {"mse": "½", "sse": "", "mse_mean": f"(1/{n})", "bce": "−", "cce": "−"}[loss]
    wrap = f"[{body}]" if n > 1 or loss == "cce" else body
    return (f"{front}{wrap}" if front else body, *ops)


def output_gradient(h: Where) -> Work:
    """∂ℓ/∂ŷ_j (LOSSES: each loss's gradient beside its value)."""
    net, r, jj = h.net, h.r, h.jj
    j = sub(h.ask.neuron)
    value = float(h.known(net.trace.dloss_doutput)[r, jj])
    y = float(targets(h)[r, jj])
    n = net.spec.layers[-1]
    written = {
        "mse": f"∂ℓ/∂ŷ{j} = ŷ{j} − y{j}",
        "sse": f"∂ℓ/∂ŷ{j} = 2(ŷ{j} − y{j})",
        "mse_mean": f"∂ℓ/∂ŷ{j} = (2/N)(ŷ{j} − y{j})",
        "bce": f"∂ℓ/∂ŷ{j} = (ŷ{j} − y{j}) / (ŷ{j}(1 − ŷ{j}))",
        "cce": f"∂ℓ/∂ŷ{j} = −y{j} / ŷ{j}",
    }[net.spec.loss]
    diff = f"ŷ{j} − y{j}" if net.spec.loss != "cce" else f"−y{j}"
    flipped = f"y{j} − ŷ{j}" if net.spec.loss != "cce" else f"y{j}"
    out = [slip("sign", -value, diff, flipped)]
    if net.spec.loss in SQUARED:
        factor = {"mse": 1.0, "sse": 2.0}.get(net.spec.loss, 2.0 / n)
        wrong = {"mse": (2.0, "2(…)"), "sse": (0.5, "(…) without the 2")}.get(
            net.spec.loss, (0.5, "(1/N)(…)")
        )
        out.append(slip("half", value * wrong[0], written.split(" = ")[1], wrong[1]))
        z = float(h.layer().z[r, jj])
        out.append(slip("z_for_a", factor * (z - y), f"ŷ{j}", f"z{j}"))
    form = {
        "mse": "{0} − {1}",
        "sse": "2({0} − {1})",
        "mse_mean": f"(2/{n})({{0}} − {{1}})",
        "bce": "({0} − {1}) / ({0}(1 − {0}))",
        "cce": "−{1} / {0}",
    }[net.spec.loss]
    p = float(h.layer().a[r, jj])
    yhat = h.op(f"ŷ{j}", p, same=True)
    return substitution(Work(h.ask, value, written, slips(*out)), form, yhat, h.op(f"y{j}", y))


MAKERS = {
    "z": weighted_input,
    "a": activation,
    "loss": sample_loss,
    "dloss_doutput": output_gradient,
}
