"""What the worked-example handout says of the conventions: what the iteration runs over
(the whole batch, a mini-batch or one sample), the conventions that differ from the
article's, and the update's note on frozen and absent biases."""

from __future__ import annotations

from app.documents import names
from app.documents.handout import Text
from app.views import equations as eq
from app.views.equations import Writer
from app.views.model import NetworkModel


def batch_words(net: NetworkModel) -> str:
    """What the iteration runs over, for the introduction."""
    m, first = net.m, net.batch[0] + 1
    how = "sum" if net.reduction == "sum" else "average"
    if m == 1:
        return "one sample"
    if not net.minibatch:
        return (
            f"a batch of {m} samples; the equations for z, a and δ are written for sample 1 "
            f"and the gradients {how} over all of them"
        )
    if net.b == 1:
        return (
            f"one of its {m} samples at a time (online; epoch {net.epoch}, this iteration: "
            f"sample {first}), so the gradients are that sample's own"
        )
    return (
        f"mini-batches of {net.b} of its {m} samples (epoch {net.epoch}, this batch: "
        f"{eq.samples_text(net.batch)}); the equations for z, a and δ are written for sample "
        f"{first} and the gradients {how} over the batch's samples"
    )


def conventions(net: NetworkModel) -> Text | None:
    """The conventions that differ from the article's, a sentence each."""
    out = []
    modes = net.bias_modes
    if modes == ["none"] * net.L:
        out.append("No bias terms: $z^{l} = W^{l} a^{l-1}$.")
    elif modes == ["frozen"] * net.L:
        out.append("The biases are frozen: kept at their values, shown, never updated.")
    elif set(modes) != {"trained"}:
        which = ", ".join(f"layer {l} {m}" for l, m in enumerate(modes, 1))
        out.append(f"Biases per layer (trained, frozen: never updated, or none): {which}.")
    if net.reduction == "sum":
        out.append("The batch loss is the sum $L = \\sum_i \\ell_i$, and so are its gradients.")
    lam = f"$\\lambda = {eq.num(net.rate)}$"
    if net.regularization == "l2":
        out.append(
            f"Regularization l2 with {lam}: the loss adds "
            "$\\Omega = \\frac{\\lambda}{2} \\sum w^2$ over every weight (not the biases), "
            "so each weight's gradient gains $\\lambda w$."
        )
    elif net.regularization == "l1":
        out.append(
            f"Regularization l1 with {lam}: the loss adds $\\Omega = \\lambda \\sum |w|$ "
            "over every weight (not the biases), so each weight's gradient gains "
            "$\\lambda \\operatorname{sign}(w)$."
        )
    return Text(" ".join(out)) if out else None


def frozen_note(v: Writer, loss_after: float | None, modes: set) -> Text:
    """The update of a network whose biases are not all trained."""
    note = (
        "Note: frozen biases keep their values (they have no update) and absent ones do not exist"
    )
    if "trained" in modes:
        note += "; the trained biases move by the same rule as the weights"
    note += "."
    gives = loss_after is not None and names.starts_as_blog(v.net)
    if gives and loss_after is not None:
        note += (
            " As in the classic blog post, which keeps the biases fixed: its loss after the "
            f"update is {names.BLOG_LOSS_AFTER}, here {eq.num(loss_after, v.digits)}."
        )
    return Text(note, note=True, answer=gives)
