"""The worked-example document: one full iteration of a network written out by hand, in
Markdown with LaTeX maths ($$…$$), layer by layer: forward (z and a per neuron), the loss,
backward (f'(z), δ per neuron, the gradient of every weight and bias) and the update.

The iteration runs in the engine on a copy of the network, from its current parameters;
every equation comes from app/views/equations' builders (their LaTeX) applied to the copy
after the update (its read model), so the document shows exactly the numbers the lab page
shows.
Large layers are cut to their first MAX_SHOWN neurons (and incoming weights), with a note.
"""

from __future__ import annotations

import copy

import engine
from app.views import equations as eq
from app.views.equations import Writer, render
from app.views.equations.notation import MAX_DIGITS, MIN_DIGITS
from app.views.format import DEFAULT_DIGITS  # decimals shown, as on the lab page
from app.views.model import NetworkModel
from engine import PRESETS
from engine.core.activations import ACTIVATIONS
from engine.core.losses import LOSSES

__all__ = ["DEFAULT_DIGITS", "MAX_DIGITS", "MIN_DIGITS", "document"]

MAX_SHOWN = 4  # neurons per layer, and incoming weights per neuron, written out
# The classic blog post keeps the biases fixed in its update; its loss after one update of
# the worked-example preset (weights only) is this, where this app, which also updates the
# biases, gets 0.2805.
BLOG_LOSS_AFTER = 0.291027924
ACTIVATION_NAMES = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "linear": "linear (identity)",
    "softmax": "softmax",
}
OPTIMISER_NAMES = {
    "sgd": "plain gradient descent",
    "momentum": "gradient descent with momentum",
    "adam": "Adam",
}


def iterate(net: engine.Network) -> tuple[NetworkModel, float | None]:
    """(the network after one whole iteration from `net`'s current parameters, the loss the
    new parameters give), computed on copies: `net` does not change."""
    work = copy.deepcopy(net)
    work.clear_iteration()
    work.step()
    probe = copy.deepcopy(work)
    try:
        probe.forward(all=True)
        after = probe.trace.loss
    except engine.DivergenceError:
        after = None
    return NetworkModel(work), after


def document(net: engine.Network, digits: int = DEFAULT_DIGITS) -> str:
    """The whole Markdown document for one iteration of `net` (see the module doc), every
    number with `digits` decimals (1..MAX_DIGITS)."""
    done, loss_after = iterate(net)
    v = Writer(done, digits)
    parts = [
        introduction(done, digits),
        parameters(done, digits),
        forward(v),
        loss(v),
        backward(v),
        update(v, loss_after),
        summary(done, loss_after, digits),
    ]
    return "\n".join(p for p in parts if p)


# ---- pieces of Markdown -------------------------------------------------------------------
def show(equation: eq.Equation) -> str:
    return f"**{equation.title}**\n\n$$ {equation.latex} $$\n"


def shown(chains: list) -> str:
    return "\n".join(show(e) for e in render(chains))


def count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def cut_note(n: int, what: str) -> str:
    """A note when only the first MAX_SHOWN of n items are written out."""
    if n <= MAX_SHOWN:
        return ""
    return (
        f"*Only the first {MAX_SHOWN} of the {n} {what} are written out; the others "
        "follow the same equations with their own numbers.*\n"
    )


def introduction(net: NetworkModel, digits: int) -> str:
    layers, acts, m = net.layers, net.activations, net.m
    shape = "-".join(str(n) for n in layers)
    act_list = ", ".join(f"layer {l}: {ACTIVATION_NAMES[a]}" for l, a in enumerate(acts, 1))
    sample = (
        "one sample"
        if m == 1
        else f"a batch of {m} samples; the equations for z, a "
        "and δ are written for sample 1 and the gradients average over all of them"
    )
    return (
        f"# Backpropagation worked by hand: iteration {net.iteration}\n\n"
        f"A {shape} network ({len(layers) - 1} layers with weights; {act_list}), loss "
        f"${LOSSES[net.loss].latex}$, learning rate "
        f"$\\eta = {eq.num(net.learning_rate)}$, "
        f"{OPTIMISER_NAMES[net.optimizer]}, trained on {sample}.\n\n"
        "Notation: layer 0 is the input; $w^{l}_{jk}$ joins neuron $k$ of layer $l-1$ to "
        "neuron $j$ of layer $l$; $z^{l} = W^{l} a^{l-1} + b^{l}$, $a^{l} = f(z^{l})$, "
        "$\\delta^{l} = \\partial \\ell / \\partial z^{l}$. Numbers are rounded to "
        f"{count(digits, 'decimal')} for display; every calculation used the full values.\n"
    )


def matrix(rows: list[list[float]], digits: int) -> str:
    body = r" \\ ".join(" & ".join(eq.num(x, digits) for x in row) for row in rows)
    return rf"\begin{{pmatrix}} {body} \end{{pmatrix}}"


def parameters(net: NetworkModel, digits: int) -> str:
    """The parameters the iteration starts from, and the first sample."""
    out = ["## The network before the iteration\n"]
    for l in range(1, net.L + 1):
        w, b = net.traced_weights(l), net.traced_biases(l)
        if len(w) <= MAX_SHOWN and len(w[0]) <= MAX_SHOWN:
            out.append(
                f"$$ W^{{{l}}} = {matrix(w, digits)}, \\quad b^{{{l}}} = "
                f"{matrix([[x] for x in b], digits)} $$\n"
            )
        else:
            out.append(
                f"$W^{{{l}}}$ has {len(w)} rows of {len(w[0])} weights; the "
                "equations below show the ones they use.\n"
            )
    x, y = net.inputs(0), net.targets(0)
    if len(x) <= MAX_SHOWN * 2 and len(y) <= MAX_SHOWN * 2:
        m = net.m
        which = "The sample" if m == 1 else f"Sample 1 of {m}"
        out.append(
            f"{which}: $$ x = {matrix([[v] for v in x], digits)}, \\quad "
            f"y = {matrix([[v] for v in y], digits)} $$\n"
        )
    return "\n".join(out)


def neurons(v: Writer, l: int) -> range:
    return range(1, min(v.net.layers[l], MAX_SHOWN) + 1)


def forward(v: Writer) -> str:
    out = ["## 1. Forward pass\n"]
    for l in range(1, v.L + 1):
        act = v.net.activations[l - 1]
        name = "output layer" if l == v.L else "hidden layer"
        out.append(f"### Layer {l} ({name}, {ACTIVATION_NAMES[act]}: ${ACTIVATIONS[act].latex}$)\n")
        out.append(cut_note(v.net.layers[l], "neurons"))
        for j in neurons(v, l):
            out.append(shown([eq.weighted_input(v, l, j, 0), eq.activation(v, l, j, 0)]))
    return "\n".join(p for p in out if p)


def loss(v: Writer) -> str:
    out = ["## 2. Loss\n", shown([eq.sample_loss(v, 0)])]
    if v.m > 1:
        out.append(shown([eq.batch_loss(v)]))
    out.append("The backward pass starts from the loss's gradient with respect to each output:\n")
    out.append(cut_note(v.net.layers[v.L], "outputs"))
    out.append(shown([eq.dloss(v, j, 0) for j in neurons(v, v.L)]))
    return "\n".join(p for p in out if p)


def backward(v: Writer) -> str:
    out = ["## 3. Backward pass\n"]
    for l in range(v.L, 0, -1):
        out.append(f"### Layer {l}" + (" (output layer)\n" if l == v.L else "\n"))
        out.append(cut_note(v.net.layers[l], "neurons"))
        for j in neurons(v, l):
            out.append(shown(eq.backward_equations(v, l, j, 0)))
        out.append(f"Gradients of the weights into layer {l}:\n")
        out.append(cut_note(v.net.layers[l - 1], "incoming weights of each neuron"))
        out.append(
            shown(
                [eq.weight_gradient(v, l, j, k) for j in neurons(v, l) for k in neurons(v, l - 1)]
            )
        )
    return "\n".join(p for p in out if p)


def update(v: Writer, loss_after: float | None) -> str:
    name = v.net.optimizer
    rule = {
        "sgd": "each parameter moves against its gradient, by $\\eta$ times it",
        "momentum": "each parameter's velocity $v$ gathers its gradients "
        "($\\mu = 0.9$), and the parameter moves by $\\eta v$",
        "adam": "Adam keeps running means of each gradient ($m$) and of its square "
        "($v$), corrects their start-up bias, and scales each step by them",
    }[name]
    out = [f"## 4. Update\n\nWith {OPTIMISER_NAMES[name]}: {rule}.\n", biases_note(v, loss_after)]
    for l in range(1, v.L + 1):
        out.append(f"### Layer {l}\n")
        out.append(cut_note(v.net.layers[l], "neurons"))
        for j in neurons(v, l):
            for k in [*neurons(v, l - 1), None]:
                out.append(update_text(v, l, j, k, first=(l, j, k) == (1, 1, 1)))
    return "\n".join(p for p in out if p)


def biases_note(v: Writer, loss_after: float | None) -> str:
    """This app updates the biases as well as the weights; hand-worked examples often keep
    them fixed (the classic blog post does), so their loss after the update differs."""
    sgd = (
        " ($b \\leftarrow b - \\eta \\, \\partial L / \\partial b$)"
        if (v.net.optimizer == "sgd")
        else ""
    )
    note = (
        "*Note: the biases are updated too, by the same rule as the weights"
        f"{sgd}. Some hand-worked examples, such as the classic blog post, update only the "
        "weights and keep the biases fixed, so their loss after one update differs from "
        "the one below."
    )
    if loss_after is not None and starts_as_blog(v.net):
        note += (
            f" For this network the blog post reports {BLOG_LOSS_AFTER} after its update "
            f"(biases fixed); here, with the biases updated too, it is "
            f"{eq.num(loss_after, v.digits)}."
        )
    return note + "*\n"


def starts_as_blog(net: NetworkModel) -> bool:
    """Whether this iteration starts from the worked-example preset exactly as the blog post
    has it: the same network, parameters, sample and η, with plain gradient descent."""
    blog = PRESETS["worked-example"]
    shape = (net.layers, net.activations, net.loss, net.learning_rate)
    samples = ([net.inputs(i) for i in range(net.m)], [net.targets(i) for i in range(net.m)])
    before = (
        [net.traced_weights(l) for l in range(1, net.L + 1)],
        [net.traced_biases(l) for l in range(1, net.L + 1)],
    )
    return (
        net.optimizer == "sgd"
        and shape == (blog["layers"], blog["activations"], blog["loss"], blog["learning_rate"])
        and samples == (blog["inputs"], blog["targets"])
        and before == (blog["weights"], blog["biases"])
    )


def summary(net: NetworkModel, loss_after: float | None, digits: int) -> str:
    before = net.batch_loss
    if before is None:  # the iteration ran: its forward pass computed the loss
        raise LookupError("the iteration's loss is missing")
    if loss_after is None:
        return (
            f"## Result\n\nThe loss was {eq.num(before, digits)}; with the new parameters "
            "the next forward pass would overflow: the learning rate is too large.\n"
        )
    change = "fell" if loss_after < before else "rose" if loss_after > before else "stayed"
    return (
        f"## Result\n\nThe loss {change} from $L = {eq.num(before, digits)}$ to "
        f"$L = {eq.num(loss_after, digits)}$ with the new parameters (iteration "
        f"{net.iteration} complete). Repeat the iteration to keep learning.\n"
    )


# ---- the update of one parameter --------------------------------------------------------
def update_text(v: Writer, l: int, j: int, k: int | None, first: bool) -> str:
    """The update of w^l_{jk} (or b^l_j when k is None): the optimiser's own equations
    (Adam's step count, the same for every parameter, only with the first)."""
    return "\n".join(
        show(e)
        for e in eq.update_equations(v.net, l, j, k, v.digits)
        if first or not e.title.startswith("Step count")
    )
