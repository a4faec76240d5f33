"""The worked-example handout: one full iteration of a network written out by hand, layer
by layer: forward (z and a per neuron), the loss, backward (f'(z), δ per neuron, the
gradient of every weight and bias) and the update, every heading naming its neuron or
weight. Built as blocks (app/documents/handout.py), rendered as Markdown with LaTeX maths
(`document`), as a printable page and PDF (printable.py) and as LaTeX (latex.py).

The iteration runs in the engine on a copy of the network, from its current parameters;
every equation comes from app/views/equations' builders applied to the copy after the
update (its read model), so the handout shows exactly the numbers the lab page shows.
Large layers are cut to their first MAX_SHOWN neurons (and incoming weights), with a note.
The conventions are the network's own: biases trained, frozen or absent, the loss's form,
the mean or sum over the batch (a mini-batch's samples: the equations are written for its
first sample), and the penalty.
"""

from __future__ import annotations

import copy

import engine
from app.documents import conventions as convention_words
from app.documents import names
from app.documents.handout import Display, Figure, Handout, Heading, Shown, Symbol, Text, Title
from app.documents.markdown import markdown
from app.views import equations as eq
from app.views.equations import Chain, Writer, render
from app.views.equations.notation import MAX_DIGITS, MIN_DIGITS
from app.views.format import DEFAULT_DIGITS  # decimals shown, as on the lab page
from app.views.format import HANDOUT_DIGITS as DIGIT_CHOICES
from app.views.model import NetworkModel
from engine.core.activations import ACTIVATIONS
from engine.core.features import FEATURES, is_identity
from engine.core.losses import LOSSES

__all__ = ["DEFAULT_DIGITS", "DIGIT_CHOICES", "MAX_DIGITS", "MIN_DIGITS", "document", "handout"]

MAX_SHOWN = 4  # neurons per layer, and incoming weights per neuron, written out
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


def iterate(net: engine.Network) -> tuple[NetworkModel, NetworkModel, float | None]:
    """(the network after the backward pass of one whole iteration from `net`'s current
    parameters, the same after its update, the loss the new parameters give), computed on
    copies: `net` does not change."""
    work = copy.deepcopy(net)
    work.clear_iteration()
    work.forward(all=True)
    work.backward(all=True)
    backward = NetworkModel(copy.deepcopy(work))
    work.update()
    probe = copy.deepcopy(work)
    try:
        probe.forward(all=True)
        after = probe.trace.loss
    except engine.DivergenceError:
        after = None
    return backward, NetworkModel(work), after


def handout(net: engine.Network, digits: int = DEFAULT_DIGITS) -> Handout:
    """The handout of one iteration of `net` (see the module doc), every number with
    `digits` decimals (MIN_DIGITS..MAX_DIGITS)."""
    models = iterate(net)
    out = opening(models, digits)
    done, loss_after = models[1], models[2]
    v = Writer(done, digits)
    forward(out, v)
    loss(out, v)
    backward(out, v)
    update(out, v, loss_after)
    summary(out, done, loss_after, digits)
    return out


def opening(models: tuple[NetworkModel, NetworkModel, float | None], digits: int) -> Handout:
    """The handout up to its first phase: the title, the network, its conventions, its
    diagram and the parameters and sample the iteration starts from (`models`: what
    `iterate` gives)."""
    backward_done, done, _ = models
    out = Handout(f"Backpropagation worked by hand: iteration {done.iteration}", done, digits)
    introduction(out, done, digits)
    out.add(
        Figure(
            "The network after the forward and backward passes of this iteration, before "
            "its update: each neuron shows its activation a (and z, δ where there is room), "
            "each edge its weight (blue positive, orange negative, width ∝ |w|).",
            backward_done,
        )
    )
    if names.is_blogs_network(done):
        out.add(names.blog_names(done, digits))
    parameters(out, done, digits)
    return out


def document(net: engine.Network, digits: int = DEFAULT_DIGITS) -> str:
    """The handout as Markdown with $$…$$ LaTeX maths."""
    return markdown(handout(net, digits))


# ---- pieces -------------------------------------------------------------------------------
def show(out: Handout, chains: list[Chain], name) -> None:
    """Each chain under the heading `name(title)` makes of its panel title."""
    for e in render(chains):
        out.add(Shown(name(e.title), e))


def count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def cut_note(n: int, what: str) -> Text | None:
    """A note when only the first MAX_SHOWN of n items are written out."""
    if n <= MAX_SHOWN:
        return None
    return Text(
        f"Only the first {MAX_SHOWN} of the {n} {what} are written out; the others "
        "follow the same equations with their own numbers.",
        note=True,
    )


def introduction(out: Handout, net: NetworkModel, digits: int) -> None:
    layers, acts = net.layers, net.activations
    shape = "-".join(str(n) for n in layers)
    act_list = ", ".join(f"layer {l}: {ACTIVATION_NAMES[a]}" for l, a in enumerate(acts, 1))
    sample = convention_words.batch_words(net)
    out.add(
        Heading(1, out.title),
        Text(
            f"A {shape} network ({len(layers) - 1} layers with weights; {act_list}), loss "
            f"${LOSSES[net.loss].latex}$, learning rate "
            f"$\\eta = {eq.num(net.learning_rate)}$, "
            f"{OPTIMISER_NAMES[net.optimizer]}, trained on {sample}."
        ),
        convention_words.conventions(net),
        Text(
            "Notation: layer 0 is the input; $w^{l}_{jk}$ joins neuron $k$ of layer $l-1$ to "
            "neuron $j$ of layer $l$; $z^{l} = W^{l} a^{l-1} + b^{l}$, $a^{l} = f(z^{l})$, "
            "$\\delta^{l} = \\partial \\ell / \\partial z^{l}$. Numbers are rounded to "
            f"{count(digits, 'decimal')} for display; every calculation used the full values."
        ),
    )


def matrix(rows: list[list[float]], digits: int) -> str:
    body = r" \\ ".join(" & ".join(eq.num(x, digits) for x in row) for row in rows)
    return rf"\begin{{pmatrix}} {body} \end{{pmatrix}}"


def parameters(out: Handout, net: NetworkModel, digits: int) -> None:
    """The parameters the iteration starts from, and the first sample."""
    out.add(Heading(2, "The network before the iteration"))
    for l in range(1, net.L + 1):
        w, b = net.traced_weights(l), net.traced_biases(l)
        if len(w) <= MAX_SHOWN and len(w[0]) <= MAX_SHOWN:
            bias = (
                f", \\quad b^{{{l}}} = {matrix([[x] for x in b], digits)}"
                + (" \\text{ (frozen)}" if net.frozen(l) else "")
                if net.has_bias(l)
                else " \\quad \\text{(no bias term)}"
            )
            out.add(Display(f"W^{{{l}}} = {matrix(w, digits)}{bias}"))
        else:
            out.add(
                Text(
                    f"$W^{{{l}}}$ has {len(w)} rows of {len(w[0])} weights; the "
                    "equations below show the ones they use."
                )
            )
    i = net.batch[0]  # the sample the equations are written for
    x, y = net.inputs(i), net.targets(i)
    if len(x) <= MAX_SHOWN * 2 and len(y) <= MAX_SHOWN * 2:
        m = net.m
        out.add(
            Display(
                f"x = {matrix([[v] for v in x], digits)}, \\quad "
                f"y = {matrix([[v] for v in y], digits)}",
                lead="The sample" if m == 1 else f"Sample {i + 1} of {m}",
            )
        )
    if net.features and not is_identity(tuple(net.features)):
        phi = ", ".join(FEATURES[f].latex for f in net.features)
        a0 = [[float(v)] for v in net.a0[i]]
        out.add(
            Display(
                f"a^{{0}} = \\varphi(x) = ({phi}) = {matrix(a0, digits)}",
                lead="The input layer: one neuron per feature, computed from the sample",
            )
        )


def neurons(v: Writer, l: int) -> range:
    return range(1, min(v.net.layers[l], MAX_SHOWN) + 1)


def forward(out: Handout, v: Writer) -> None:
    out.add(Heading(2, "1. Forward pass", phase=True))
    for l in range(1, v.L + 1):
        act = v.net.activations[l - 1]
        kind = "output layer" if l == v.L else "hidden layer"
        out.add(
            Heading(3, f"Layer {l} ({kind}, {ACTIVATION_NAMES[act]}: ${ACTIVATIONS[act].latex}$)"),
            cut_note(v.net.layers[l], "neurons"),
        )
        i = v.batch[0]
        for j in neurons(v, l):
            chains = [eq.weighted_input(v, l, j, i), eq.activation(v, l, j, i)]
            show(out, chains, names.neuron_title(v, l, j, i))


def loss(out: Handout, v: Writer) -> None:
    out.add(Heading(2, "2. Loss", phase=True))
    i = v.batch[0]
    tag = v.tag(i)
    show(out, [eq.sample_loss(v, i)], lambda t: names.named(t, None, Symbol("ℓ", r"\ell"), tag))
    if v.b > 1:
        show(out, [eq.batch_loss(v)], lambda t: Title(t + ", ", Symbol("L", "L")))
    penalty = iter([Symbol("Ω", r"\Omega"), Symbol("L", "L")])  # Ω, then L = L_data + Ω
    show(out, eq.penalty_equations(v), lambda t: Title(t + ", ", next(penalty)))
    out.add(
        Text("The backward pass starts from the loss's gradient with respect to each output:"),
        cut_note(v.net.layers[v.L], "outputs"),
    )
    for j in neurons(v, v.L):
        yhat = Symbol(f"ŷ{names.sub(j)}", rf"\hat{{y}}_{{{j}}}")
        words = f"Gradient of the loss with respect to output {j} ({names.neuron(v.L, j)}), "
        title = Title(words, names.derivative("ℓ", r"\ell", yhat), tag)
        out.add(*(Shown(title, e) for e in render([eq.dloss(v, j, i)])))


def backward(out: Handout, v: Writer) -> None:
    out.add(Heading(2, "3. Backward pass", phase=True))
    for l in range(v.L, 0, -1):
        out.add(
            Heading(3, f"Layer {l}" + (" (output layer)" if l == v.L else "")),
            cut_note(v.net.layers[l], "neurons"),
        )
        for j in neurons(v, l):
            i = v.batch[0]
            show(out, eq.backward_equations(v, l, j, i), names.neuron_title(v, l, j, i))
        out.add(
            Text(f"Gradients of the weights into layer {l}:"),
            cut_note(v.net.layers[l - 1], "incoming weights of each neuron"),
        )
        for j in neurons(v, l):
            for k in neurons(v, l - 1):
                what = names.derivative("L", "L", names.parameter_symbol(l, j, k))
                subject = names.parameter(l, j, k)
                show(
                    out,
                    [eq.weight_gradient(v, l, j, k)],
                    lambda t, s=subject, w=what: names.named(t, s, w),
                )
    input_gradients(out, v)


def input_gradients(out: Handout, v: Writer) -> None:
    """∂ℓ/∂x_k of the sample the equations are written for (cs231n's dx)."""
    i = v.batch[0]
    out.add(
        Heading(3, "The gradient with respect to the inputs"),
        cut_note(v.net.layers[0], "inputs"),
    )
    for k in neurons(v, 0):
        what = names.derivative("ℓ", r"\ell", Symbol(f"x{names.sub(k)}", f"x_{{{k}}}"))
        title = Title(f"Gradient of the loss with respect to input {k}, ", what, v.tag(i))
        out.add(*(Shown(title, e) for e in render(eq.input_gradient(v, k, i))))


def update(out: Handout, v: Writer, loss_after: float | None) -> None:
    name = v.net.optimizer
    rule = {
        "sgd": "each parameter moves against its gradient, by $\\eta$ times it",
        "momentum": "each parameter's velocity $v$ gathers its gradients "
        "($\\mu = 0.9$), and the parameter moves by $\\eta v$",
        "adam": "Adam keeps running means of each gradient ($m$) and of its square "
        "($v$), corrects their start-up bias, and scales each step by them",
    }[name]
    out.add(
        Heading(2, "4. Update", phase=True),
        Text(f"With {OPTIMISER_NAMES[name]}: {rule}."),
        biases_note(v, loss_after),
    )
    for l in range(1, v.L + 1):
        out.add(Heading(3, f"Layer {l}"), cut_note(v.net.layers[l], "neurons"))
        for j in neurons(v, l):
            for k in [*neurons(v, l - 1), None]:
                update_shown(out, v, l, j, k, first=(l, j, k) == (1, 1, 1))


def biases_note(v: Writer, loss_after: float | None) -> Text:
    """This app updates the biases as well as the weights; hand-worked examples often keep
    them fixed (the classic blog post does), so their loss after the update differs. With
    frozen or absent biases, what the update leaves alone."""
    modes = set(v.net.bias_modes)
    if modes != {"trained"}:
        return convention_words.frozen_note(v, loss_after, modes)
    sgd = (
        " ($b \\leftarrow b - \\eta \\, \\partial L / \\partial b$)"
        if (v.net.optimizer == "sgd")
        else ""
    )
    note = (
        "Note: the biases are updated too, by the same rule as the weights"
        f"{sgd}. Some hand-worked examples, such as the classic blog post, update only the "
        "weights and keep the biases fixed, so their loss after one update differs from "
        "the one below."
    )
    gives = loss_after is not None and names.starts_as_blog(v.net)
    if gives and loss_after is not None:
        note += (
            f" For this network the blog post reports {names.BLOG_LOSS_AFTER} after its update "
            f"(biases fixed); here, with the biases updated too, it is "
            f"{eq.num(loss_after, v.digits)}."
        )
    return Text(note, note=True, answer=gives)


def summary(out: Handout, net: NetworkModel, loss_after: float | None, digits: int) -> None:
    before = net.batch_loss
    if before is None:  # the iteration ran: its forward pass computed the loss
        raise LookupError("the iteration's loss is missing")
    out.add(Heading(2, "Result", answer=True))
    if loss_after is None:
        out.add(
            Text(
                f"The loss was {eq.num(before, digits)}; with the new parameters "
                "the next forward pass would overflow: the learning rate is too large.",
                answer=True,
            )
        )
        return
    change = "fell" if loss_after < before else "rose" if loss_after > before else "stayed"
    out.add(
        Text(
            f"The loss {change} from $L = {eq.num(before, digits)}$ to "
            f"$L = {eq.num(loss_after, digits)}$ with the new parameters (iteration "
            f"{net.iteration} complete). Repeat the iteration to keep learning.",
            answer=True,
        )
    )


# ---- the update of one parameter --------------------------------------------------------
def update_shown(out: Handout, v: Writer, l: int, j: int, k: int | None, first: bool) -> None:
    """The update of w^l_{jk} (or b^l_j when k is None): the optimiser's own equations
    (Adam's step count, the same for every parameter, only with the first)."""
    subject, what = names.parameter(l, j, k), names.parameter_symbol(l, j, k)
    for e in eq.update_equations(v.net, l, j, k, v.digits):
        if e.title.startswith("Frozen"):  # a frozen bias: no rule, its value stays
            frozen = ", frozen: the update leaves it as it is"
            out.add(Shown(Title(subject[0].upper() + subject[1:] + ", ", what, frozen), e))
            continue
        if e.title.startswith("Step count"):
            if first:
                after = " (the same for every parameter)"
                out.add(Shown(Title(e.title + ", ", Symbol("t", "t"), after), e))
            continue
        moved = e.sides[0].startswith(what.latex)  # the rule that moves the parameter itself
        out.add(Shown(names.named(e.title, subject, what if moved else None), e))
