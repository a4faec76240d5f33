""" "Why isn't it learning?": per-layer gradient norms and saturated units, and hints in
plain words when something looks wrong.

A network keeps its latest diagnostics records (engine/core/records.py, Network.records);
``current_records`` adds one measured from the trace once its
backward pass is complete, and ``network_hints`` turns them and the loss histories into
hints. Hint messages write layer numbers as superscripts (∂L/∂W¹), never as W^l.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.losses import LOSSES
from ..core.records import measure
from ..limits import MAX_RECORDS
from ..notation import sci, sup
from .feature_hints import features_hint

VANISHING_RATIO = 1e-3
DEAD_SHARE = 0.5
SATURATED_SHARE = 0.8  # a hidden layer with more of its units saturated gets a hint
WINDOW = 50  # loss-history points the loss hints look at
# Shown when there are records and no hint. Saturation is judged on hidden layers only: a
# confident classifier's output sits at 0 or 1 by design.
ALL_CLEAR = (
    "No warning signs: gradients reach every layer, and no hidden layer has more than "
    f"{SATURATED_SHARE:.0%} of its units saturated (the output layer is not counted: a "
    "confident output near 0 or 1 is what training aims for)."
)
ADAM_ADVICE = (
    "switch the optimiser to Adam (the lab page's Optimiser panel, Update rule): "
    "it scales each step to the size of its gradient"
)


def grad_w(l: int) -> str:
    """|∂L/∂W^l| written readably: |∂L/∂W³|."""
    return f"|∂L/∂W{sup(l)}|"


def constant_loss(loss: str, targets: np.ndarray, reduction: str = "mean", batch: int = 1) -> float:
    """The loss of answering the mean target ȳ for every sample: what a network whose
    output ignores its input achieves at best (ln 2 for bce on half 0s, half 1s). Per
    sample on average; for the sum reduction, times the `batch` samples an iteration sums."""
    y_bar = np.broadcast_to(targets.mean(axis=0), targets.shape)
    with np.errstate(all="ignore"):
        per_sample = float(np.mean(LOSSES[loss].value(y_bar, targets)))
    return per_sample * batch if reduction == "sum" else per_sample


def layer_hints(spec, last: dict) -> list[dict]:
    """Hints from one record: vanishing gradients, dead relus, saturated layers."""
    out = []
    norms = last["grad_norms"]
    if len(norms) > 2 and norms[-1] > 0 and norms[0] / norms[-1] < VANISHING_RATIO:
        out.append(
            {
                "kind": "vanishing",
                "message": (
                    f"Vanishing gradients: {grad_w(1)} is {sci(norms[0])}, "
                    f"{sci(norms[-1] / max(norms[0], 1e-300), 0)} times smaller than "
                    f"{grad_w(len(norms))}. The first layers barely learn. Try tanh or relu hidden "
                    "layers, a shallower net, or xavier/he initialisation."
                ),
            }
        )
    for l, (name, dead) in enumerate(zip(spec.activations, last["dead"]), start=1):
        n = spec.layers[l]
        if name == "relu" and dead and dead / n >= DEAD_SHARE:
            out.append(
                {
                    "kind": "dead_relu",
                    "message": (
                        f"Dead ReLUs: {dead} of {n} units in layer {l} output 0 for every sample, "
                        "so no gradient reaches them. Lower the learning rate, use leaky_relu, or "
                        "re-initialise with another seed."
                    ),
                }
            )
    for l, (name, share) in enumerate(zip(spec.activations, last["saturation"]), start=1):
        if name in ("sigmoid", "tanh") and share > SATURATED_SHARE and l < spec.depth:
            out.append(
                {
                    "kind": "saturated",
                    "message": (
                        f"Saturation: {share:.0%} of hidden layer {l}'s {name} units sit "
                        "where the slope is almost zero. Smaller initial weights or inputs "
                        "scaled to about ±1 help."
                    ),
                }
            )
    return out


def _trend(losses: list[float]) -> tuple[int, float]:
    """(sign changes of the loss differences, relative change first → last)."""
    d = np.diff(losses)
    flips = int((np.sign(d[1:]) * np.sign(d[:-1]) < 0).sum()) if len(d) > 1 else 0
    rel = (losses[-1] - losses[0]) / max(abs(losses[0]), 1e-12)
    return flips, rel


def largest_gradient(record: dict | None) -> str:
    """' (the largest, |∂L/∂W²|, is 3.1×10⁻⁴)' from a record, or '' without one."""
    if not record:
        return ""
    norms = record["grad_norms"]
    l = max(range(len(norms)), key=norms.__getitem__) + 1
    return f" (the largest, {grad_w(l)}, is {sci(norms[l - 1])})"


def stuck_hint(losses: list[float], baseline: float, record: dict | None) -> dict:
    """The loss sits at `baseline`, the loss of a constant answer (see constant_loss);
    `record` is the latest diagnostics record, if any."""
    ln2 = (
        " (ln 2 ≈ 0.6931: half the targets are 0, half 1)"
        if abs(baseline - math.log(2)) < 1e-9
        else ""
    )
    return {
        "kind": "stuck_at_average",
        "message": (
            f"Stuck at the average answer: the loss has stayed at {losses[-1]:.4f}, what "
            f"answering the mean target for every sample costs{ln2}. The output hardly depends "
            "on the input: the hidden units give nearly the same values for every sample, so "
            f"the gradients are tiny{largest_gradient(record)}. More iterations of plain "
            "gradient descent move it only very slowly, possibly for tens of thousands of "
            f"iterations. What helps: {ADAM_ADVICE}; or larger initial weights (the "
            "training view's Network card, Initial weights: normal with Scale 1; init_scale "
            "1), so that the hidden units start out different."
        ),
    }


def hints(
    spec,
    records: list[dict],
    history: list,
    diverged: dict | None = None,
    baseline: float | None = None,
) -> list[dict]:
    """Plain-language hints, each {"kind", "message"}, from recent records and the loss
    history ([(iteration, loss)]); `baseline` is constant_loss of the training data."""
    out = []
    if diverged:
        out.append(
            {
                "kind": "diverged",
                "message": f"Training diverged at iteration "
                f"{diverged['iteration']}: the learning rate is too high. Try a tenth of it.",
            }
        )
    if records:
        out += layer_hints(spec, records[-1])
    losses = [v for _, v in history[-WINDOW:] if math.isfinite(v)]
    hint = loss_hint(losses, baseline, records[-1] if records else None)
    return out + ([hint] if hint else [])


def loss_hint(losses: list[float], baseline: float | None, last: dict | None) -> dict | None:
    """What the recent losses say (at least 10 of them): oscillating, stuck at the average
    answer (`baseline`, see constant_loss), or on a plateau; `last` is the latest record."""
    if len(losses) < 10:
        return None
    flips, rel = _trend(losses)
    largest = max(last["grad_norms"]) if last else None
    if flips > len(losses) // 2 and rel > -0.01:
        return {
            "kind": "oscillating",
            "message": (
                "The loss goes up and down without falling: the learning rate is too high "
                "for this network. Try half of it."
            ),
        }
    near = (
        baseline is not None
        and baseline > 0
        and (max(abs(v - baseline) for v in losses) <= 0.01 * baseline)
    )
    if near and baseline is not None and abs(rel) < 1e-3:
        return stuck_hint(losses, baseline, last)
    if abs(rel) < 1e-3 and (largest is None or largest < 1e-3):
        return {
            "kind": "plateau",
            "message": (
                "The loss has stopped changing and the gradients are tiny: a "
                f"plateau. Train longer, or {ADAM_ADVICE}."
            ),
        }
    return None


def overfitting_hint(history: list, test_history: list) -> dict | None:
    """The test loss rose well above its lowest point while the training loss fell."""
    if len(test_history) < 5:
        return None
    best_it, best = min(test_history, key=lambda p: p[1])
    last_it, last = test_history[-1]
    train_then = [v for i, v in history if i >= best_it][:1]
    if last <= 1.2 * best or not train_then or history[-1][1] >= train_then[0]:
        return None
    return {
        "kind": "overfitting",
        "message": (
            f"Overfitting: the test loss rose from {best:.4f} (iteration {best_it}) to {last:.4f} "
            f"(iteration {last_it}) while the training loss kept falling: the network is "
            "memorising the training samples. Stop earlier (reset and train fewer iterations), "
            "use fewer hidden units, or give it more samples."
        ),
    }


def trace_record(net) -> dict | None:
    """A record measured from the trace of the iteration in progress once its backward pass
    is complete (every layer's gradients known), or None before that."""
    t = net.trace
    if net.phase not in ("backward", "updated") or any(lt.grad_w is None for lt in t.layers):
        return None
    iteration = net.iteration + (net.phase == "backward")
    return measure(
        net.spec.activations,
        [lt.z for lt in t.layers],
        [lt.a for lt in t.layers],
        [lt.grad_w for lt in t.layers],
        iteration,
        [lt.fprime for lt in t.layers],
    )


def current_records(net) -> list[dict]:
    """The network's records, oldest first, and last the one of the trace in progress
    (trace_record) when the records do not hold it yet (after a complete backward pass,
    before the update records it): so Backward all shows its gradients in the diagnostics
    and hints at once. Changes nothing."""
    records = net.records
    if net.phase == "updated" and records and records[-1]["iteration"] == net.iteration:
        return records  # the update recorded this trace already
    latest = trace_record(net)
    return records if latest is None else ([*records, latest])[-MAX_RECORDS:]


def network_hints(net) -> list[dict]:
    """The hints for a network: its current records (current_records), loss histories and
    last divergence."""
    history = net.history.as_list()
    out = hints(
        net.spec,
        current_records(net),
        history,
        net.last_divergence,
        constant_loss(net.spec.loss, net.targets, net.spec.reduction, net.schedule.b),
    )
    over = overfitting_hint(history, net.test_history.as_list())
    out += [over] if over else []
    said = {h["kind"] for h in out}
    # a diverging net, or one with hidden units stuck on a plateau: fix that first
    first = "diverged" in said or (net.depth > 1 and "stuck_at_average" in said)
    shape = None if first else features_hint(net)
    return out + ([shape] if shape else [])
