"""What the handout's headings call each neuron, weight and quantity ("Weighted input of
neuron 1 in layer 2, z²₁"), and the classic blog post's names for the 2-2-2 network
(i1, i2, h1, h2, o1, o2, w1 … w8, b1, b2)."""

from __future__ import annotations

from collections.abc import Callable

from app.documents.handout import Symbol, Table, Title
from app.views.equations import Writer, sym
from app.views.format import fmt
from app.views.model import NetworkModel
from engine import PRESETS
from engine.core.activations import ACTIVATIONS
from engine.notation import sub, sup

# How the headings write f in f′(z): the activation's own symbol (ACTIVATIONS' LaTeX)
F_TEXT = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu", "leaky_relu": "lrelu", "linear": "id"}
# panel titles that read better in a heading under another word
KINDS = {"Weight gradient": "Gradient", "Bias gradient": "Gradient"}
TO = ("Error sent back",)  # "… to neuron j in layer l", not "of"


def indices(*index: int | str) -> str:
    parts = [str(i) for i in index]
    return "".join(parts) if all(len(p) == 1 for p in parts) else ",".join(parts)


def symbol(name: str, latex: str, layer: int, *index: int | str) -> Symbol:
    """name^layer_index…, as text (w²₁₁) and LaTeX (w^{2}_{11})."""
    return Symbol(f"{name}{sup(layer)}{sub(indices(*index))}", sym(latex, layer, *index))


def derivative(name: str, latex: str, of: Symbol) -> Symbol:
    """∂name/∂of."""
    return Symbol(f"∂{name}/∂{of.text}", rf"\partial {latex} / \partial {of.latex}")


def neuron(l: int, j: int) -> str:
    return f"input {j}" if l == 0 else f"neuron {j} in layer {l}"


def parameter(l: int, j: int, k: int | None) -> str:
    """The weight from neuron k of layer l−1 to neuron j of layer l, or b^l_j (k None)."""
    if k is None:
        return f"the bias of {neuron(l, j)}"
    return f"the weight from {neuron(l - 1, k)} to {neuron(l, j)}"


def parameter_symbol(l: int, j: int, k: int | None) -> Symbol:
    return symbol("w", "w", l, j, k) if k is not None else symbol("b", "b", l, j)


def named(title: str, subject: str | None, what: Symbol | None, tag: str = "") -> Title:
    """A heading from an equation's panel title: its kind, the neuron or weight it is
    about, the symbol it computes, then the rest of the title and the sample tag, e.g.
    "Output delta by the chain rule" → "Output delta of neuron 1 in layer 2, δ²₁, by the
    chain rule"."""
    if not (tag and title.endswith(tag)):
        tag = ""  # an equation over every sample (a gradient's mean) has no sample tag
    base = title.removesuffix(tag) if tag else title
    cut = min((base.find(s) for s in (":", ",", " by ", " (") if s in base), default=len(base))
    kind, rest = base[:cut], base[cut:]
    kind = KINDS.get(kind, kind)
    if rest.startswith(" "):
        rest = "," + rest
    if subject:
        kind = f"{kind} {'to' if kind.startswith(TO) else 'of'} {subject}"
    if what is None:
        return Title(kind + rest + tag)
    return Title(f"{kind}, ", what, rest + tag)


def neuron_title(v: Writer, l: int, j: int, i: int = 0) -> Callable[[str], Title]:
    """Names a neuron's equation (for sample i) from its panel title: the neuron and what
    it computes."""
    act, tag = v.net.activations[l - 1], v.tag(i)
    z = symbol("z", "z", l, j)
    f_text, f_latex = F_TEXT.get(act, act), ACTIVATIONS[act].latex
    kinds: tuple[tuple[str, Symbol], ...] = (
        ("Weighted input", z),
        ("Activation", symbol("a", "a", l, j)),
        ("Output delta", symbol("δ", r"\delta", l, j)),
        ("Output", Symbol(f"ŷ{sub(j)}", rf"\hat{{y}}_{{{j}}}")),
        ("Derivative", Symbol(f"{f_text}′({z.text})", rf"{f_latex}'({z.latex})")),
        ("Error sent back", derivative("ℓ", r"\ell", symbol("a", "a", l, j))),
        ("Delta", symbol("δ", r"\delta", l, j)),
        ("Bias gradient", derivative("L", "L", parameter_symbol(l, j, None))),
    )

    def name(title: str):
        what = next((s for kind, s in kinds if title.startswith(kind)), None)
        subject = parameter(l, j, None) if title.startswith("Bias") else neuron(l, j)
        return named(title, subject, what, tag)

    return name


# ---- the blog post's network ----------------------------------------------------------
BLOG = PRESETS["worked-example"]
# The classic blog post keeps the biases fixed in its update; its loss after one update of
# the worked-example preset (weights only) is this, where this app, which also updates the
# biases, gets 0.2805.
BLOG_LOSS_AFTER = 0.291027924


def starts_as_blog(net: NetworkModel) -> bool:
    """Whether this iteration starts from the worked-example preset exactly as the blog post
    has it: the same network, parameters, sample and η, with plain gradient descent."""
    blog = BLOG
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


def is_blogs_network(net: NetworkModel) -> bool:
    """The blog post's 2-2-2 network: its layers, activations and loss (whatever the
    parameters now), so that its names apply neuron by neuron."""
    return (net.layers, net.activations, net.loss) == (
        BLOG["layers"],
        BLOG["activations"],
        BLOG["loss"],
    )


def blog_names(net: NetworkModel, digits: int) -> Table:
    """The blog post's name of every input, neuron, weight and bias of the 2-2-2 network,
    its name here and its value at the start of this iteration."""
    rows: list[tuple[str, str, str]] = []
    for k in (1, 2):
        rows.append((f"i{k}", f"$x_{{{k}}} = a^{{0}}_{{{k}}}$", fmt(net.input(0, k), digits)))
    for l, letter in ((1, "h"), (2, "o")):
        for j in (1, 2):
            z, a = sym("z", l, j), sym("a", l, j)
            out = f"$\\hat{{y}}_{{{j}}} = {a}$" if l == 2 else f"${a}$"
            rows.append((f"net_{letter}{j}, out_{letter}{j}", f"${z}$, {out}", "computed below"))
    for n, (l, j, k) in enumerate(
        [(l, j, k) for l in (1, 2) for j in (1, 2) for k in (1, 2)], start=1
    ):
        w = net.traced_param(l, j, k)
        rows.append((f"w{n}", f"${sym('w', l, j, k)}$", fmt(w, digits)))
    for n, l in enumerate((1, 2), start=1):
        if not net.has_bias(l):
            continue  # no bias term in this network's layer l
        b1, b2 = net.traced_param(l, 1), net.traced_param(l, 2)
        both = f"${sym('b', l, 1)}$ and ${sym('b', l, 2)}$"
        rows.append((f"b{n}", both, fmt(b1, digits) + ("" if b1 == b2 else f", {fmt(b2, digits)}")))
    rows.append(
        (
            "target_o1, target_o2",
            "$y_{1}$, $y_{2}$",
            ", ".join(fmt(net.target(0, j), digits) for j in (1, 2)),
        )
    )
    rows.append(("E_total", r"$\ell$ (one sample: $L = \ell$)", "computed below"))
    return Table(
        "The classic blog post's names for this network: it writes i1, i2 for the inputs, "
        "h1, h2 for the hidden neurons and o1, o2 for the outputs (net_ for z, out_ for a), "
        "w1 … w8 for the weights and one bias per layer, b1 and b2, where this network has "
        "one per neuron (b¹₁ and b¹₂ start equal).",
        ("blog post", "here", "value at the start"),
        tuple(rows),
    )
