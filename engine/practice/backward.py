"""The backward pass's values and their mistakes: f′(z), δ, ∂L/∂w and ∂L/∂b."""

from __future__ import annotations

import numpy as np

from ..core.activations import ACTIVATIONS
from ..core.losses import is_simplified
from ..notation import sub
from .forward import SQUARED, targets
from .work import Slip, Where, Work, slip, slips, slots, substitution

MAX_TERMS = 6  # the most samples a gradient's substitution writes out
FPRIME_FORMS = {"sigmoid": ("{0}(1 − {0})", "a"), "tanh": ("1 − {0}²", "a")}  # else f′({0}) at z
F_OF_A = {  # f′ written with a = f(z), for the derivative_on_z mistake (z put in for a)
    "sigmoid": ("a(1 − a)", lambda z: z * (1.0 - z)),
    "tanh": ("1 − a²", lambda z: 1.0 - z * z),
}


def at_a(name: str, a: float) -> float:
    """f′ evaluated at a instead of z."""
    act = ACTIVATIONS[name]
    x = np.array([a])
    return float(act.df(x, act.f(x))[0])  # type: ignore[misc]


def derivative_slips(h: Where, factor: float, fp: str) -> list[Slip | None]:
    """f′ at a, and the a-form of f′ applied to z, each times `factor` (∂ℓ/∂a)."""
    lt, r, jj = h.layer(), h.r, h.jj
    name = h.net.spec.activations[h.l - 1]
    z, a = float(lt.z[r, jj]), float(lt.a[r, jj])
    out: list[Slip | None] = [slip("fprime_at_a", factor * at_a(name, a), fp, f"f′({h.s('a')})")]
    if name in F_OF_A:
        form, on_z = F_OF_A[name]
        out.append(slip("derivative_on_z", factor * on_z(z), fp, form.replace("a", h.s("z"))))
    return out


def derivative(h: Where) -> Work:
    """f′(z^l_j)."""
    name = h.net.spec.activations[h.l - 1]
    value = float(h.layer().fprime[h.r, h.jj])
    form = F_OF_A.get(name, ("f′(z)",))[0].replace("a", h.s("a"))
    equation = f"f′({h.s('z')}) = {form}"
    work = Work(h.ask, value, equation, slips(*derivative_slips(h, 1.0, f"f′({h.s('z')})")))
    form, at = FPRIME_FORMS.get(name, ("f′({0})", "z"))
    x = h.layer().a if at == "a" else h.layer().z
    return substitution(work, form, h.op(h.s(at), x[h.r, h.jj]))


def delta(h: Where) -> Work:
    return output_delta(h) if h.l == h.net.depth else hidden_delta(h)


def output_delta(h: Where) -> Work:
    """δ^L_j = ∂ℓ/∂ŷ_j f′(z^L_j), or ŷ_j − y_j for sigmoid + bce and softmax + cce."""
    net, r, jj, spec = h.net, h.r, h.jj, h.net.spec
    lt = h.layer()
    value = float(lt.delta[r, jj])
    j = sub(h.ask.neuron)
    if is_simplified(spec.activations[-1], spec.loss):
        equation = f"{h.s('δ')} = ŷ{j} − y{j}"
        out: list[Slip | None] = [slip("sign", -value, f"ŷ{j} − y{j}", f"y{j} − ŷ{j}")]
        if lt.fprime is not None:
            extra = value * float(lt.fprime[r, jj])
            out.append(slip("extra_fprime", extra, f"ŷ{j} − y{j}", f"(ŷ{j} − y{j}) f′({h.s('z')})"))
        yhat, y = float(lt.a[r, jj]), float(targets(h)[r, jj])
        work = Work(h.ask, value, equation, slips(*out))
        return substitution(work, "{0} − {1}", h.op(f"ŷ{j}", yhat), h.op(f"y{j}", y))
    g = float(h.known(net.trace.dloss_doutput)[r, jj])
    fp = f"f′({h.s('z')})"
    equation = f"{h.s('δ')} = ∂ℓ/∂ŷ{j} · {fp}"
    out = [
        slip("forgot_fprime", g, f"· {fp}", "(no f′)"),
        slip("sign", -value, f"∂ℓ/∂ŷ{j}", f"−∂ℓ/∂ŷ{j} (y{j} − ŷ{j})"),
        *derivative_slips(h, g, fp),
    ]
    if spec.loss in SQUARED:
        times = {"mse": 2.0, "sse": 0.5}.get(spec.loss, 0.5)
        out.append(slip("half", value * times, f"∂ℓ/∂ŷ{j}", f"{times:g} ∂ℓ/∂ŷ{j}"))
        c = {"mse": 1.0, "sse": 2.0}.get(spec.loss, 2.0 / spec.layers[-1])
        y = float(targets(h)[r, jj])
        z = float(lt.z[r, jj])
        out.append(slip("z_for_a", c * (z - y) * float(lt.fprime[r, jj]), f"ŷ{j}", f"z{j}"))
    ops = (h.op(f"∂ℓ/∂ŷ{j}", g), h.op(fp, lt.fprime[r, jj], same=True))
    return substitution(Work(h.ask, value, equation, slips(*out)), "{0} · {1}", *ops)


def hidden_delta(h: Where) -> Work:
    """δ^l_j = (Σ_i w^{l+1}_{ij} δ^{l+1}_i) f′(z^l_j)."""
    net, l, r, jj = h.net, h.l, h.r, h.jj
    lt, up = h.layer(), h.layer(l + 1)
    w_next, d_next = net.weights[l], up.delta[r]
    fprime = float(lt.fprime[r, jj])
    value = float(lt.delta[r, jj])
    grad_a = float(lt.grad_a[r, jj])
    wi = h.s("w", l + 1, f"ᵢ{sub(h.ask.neuron)}")
    fp = f"f′({h.s('z')})"
    equation = f"{h.s('δ')} = (Σᵢ {wi} {h.s('δ', l + 1, 'ᵢ')}) · {fp}"
    moved = w_next - net.spec.learning_rate * up.grad_w
    out: list[Slip | None] = [
        slip("forgot_fprime", grad_a, f"· {fp}", "(no f′)"),
        *derivative_slips(h, grad_a, fp),
        slip("updated_weight", (d_next @ moved)[jj] * fprime, wi, f"{wi} − η ∂L/∂{wi}"),
    ]
    n_next, n_here = w_next.shape
    if n_next <= n_here and h.ask.neuron <= n_next:  # the row exists: w_ji for every i
        ji = h.s("w", l + 1, f"{sub(h.ask.neuron)}ᵢ")
        out.append(slip("swapped_indices", w_next[jj, :n_next] @ d_next * fprime, wi, ji))
    ops = []
    for i in range(1, n_next + 1):
        ops += [h.op(h.s("w", l + 1, f"{sub(i)}{sub(h.ask.neuron)}"), w_next[i - 1, jj])]
        ops += [h.op(h.s("δ", l + 1, i), d_next[i - 1])]
    ops.append(h.op(fp, fprime, same=True))
    form = f"({slots(n_next, '{a} · {b}')}) · {{{len(ops) - 1}}}"
    return substitution(Work(h.ask, value, equation, slips(*out)), form, *ops)


def scale_of(h: Where) -> tuple[float, str]:
    """(1/m or 1, how the equation writes it) for the batch of b samples."""
    b = len(h.layer().delta)
    return (1.0 / b, "(1/m) Σᵢ") if h.net.spec.reduction == "mean" else (1.0, "Σᵢ")


def batch_slips(h: Where, terms: np.ndarray, rest: float) -> list[Slip | None]:
    """The batch's mistakes for ∂L/∂θ = scale Σ_i terms_i + rest (terms: (b,))."""
    b = len(terms)
    if b < 2:
        return []
    mean = h.net.spec.reduction == "mean"
    written = scale_of(h)[1]
    other = terms.sum() if mean else terms.sum() / b
    return [
        slip("batch_reduction", other + rest, written, "Σᵢ" if mean else "(1/m) Σᵢ"),
        slip("one_sample", terms[h.r] + rest, written, f"(sample {h.sample + 1} only)"),
    ]


def weight_gradient(h: Where) -> Work:
    """∂L/∂w^l_{jk} = (1/m) Σ_i δ^l_{ij} a^{l-1}_{ik} (+ ∂Ω/∂w)."""
    l, jj, kk = h.l, h.jj, h.kk
    lt = h.layer()
    scale, written = scale_of(h)
    d, a = lt.delta, h.a_prev()
    rest = 0.0 if lt.grad_w_penalty is None else float(lt.grad_w_penalty[jj, kk])
    value = float(lt.grad_w[jj, kk])
    ak = h.s("a", l - 1, sub(h.ask.input or 1))
    penalty = " + ∂Ω/∂w" if lt.grad_w_penalty is not None else ""
    equation = f"∂L/∂{h.ask.symbol()} = {written} {h.s('δ')} {ak}{penalty}"
    out = batch_slips(h, d[:, jj] * a[:, kk], rest)
    if l >= 2:
        z_prev = h.layer(l - 1).z
        out.append(
            slip("z_for_a", scale * d[:, jj] @ z_prev[:, kk] + rest, ak, ak.replace("a", "z"))
        )
    n_out, n_in = d.shape[1], a.shape[1]
    if kk < n_out and jj < n_in:
        swapped = scale * d[:, kk] @ a[:, jj] + rest
        out.append(slip("swapped_indices", swapped, f"{h.s('δ')} {ak}", "δₖ aⱼ"))
    if penalty:
        out.append(slip("forgot_penalty", value - rest, penalty.strip(), "(no penalty)"))
    work = Work(h.ask, value, equation, slips(*out))
    if len(d) > MAX_TERMS:
        return work
    ops = []
    for i in range(len(d)):
        ops += [h.op(per_sample(h, h.s("δ"), i), d[i, jj], same=True)]
        ops += [h.op(per_sample(h, ak, i), a[i, kk])]
    form = batch_form(h, slots(len(d), "{a} · {b}"))
    if penalty:
        form += f" + {{{len(ops)}}}"
        ops.append(h.op("∂Ω/∂w", rest, same=True))
    return substitution(work, form, *ops)


def per_sample(h: Where, symbol: str, row: int) -> str:
    """δ²₁ for one sample; δ²₁ (sample 3) for a batch's row."""
    if len(h.layer().delta) == 1:
        return symbol
    batch = h.net.trace.batch
    return f"{symbol} (sample {(row if batch is None else int(batch[row])) + 1})"


def batch_form(h: Where, body: str) -> str:
    """(1/m)[…] for the mean over the batch's m samples, […] for the sum; one sample: …"""
    b = len(h.layer().delta)
    if b == 1:
        return body
    return f"(1/{b})[{body}]" if h.net.spec.reduction == "mean" else f"[{body}]"


def bias_gradient(h: Where) -> Work:
    """∂L/∂b^l_j = (1/m) Σ_i δ^l_{ij}."""
    lt = h.layer()
    written = scale_of(h)[1]
    equation = f"∂L/∂{h.ask.symbol()} = {written} {h.s('δ')}"
    value = float(lt.grad_b[h.jj])
    work = Work(h.ask, value, equation, slips(*batch_slips(h, lt.delta[:, h.jj], 0.0)))
    d = lt.delta[:, h.jj]
    if len(d) > MAX_TERMS:
        return work
    ops = [h.op(per_sample(h, h.s("δ"), i), x, same=True) for i, x in enumerate(d)]
    return substitution(work, batch_form(h, slots(len(d), "{a}")), *ops)


MAKERS = {
    "fprime": derivative,
    "delta": delta,
    "grad_w": weight_gradient,
    "grad_b": bias_gradient,
}
