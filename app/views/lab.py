"""The template context of the lab page: the status line, the step controls, the diagram,
the tables and the equation panel. Everything shown comes from the read model
(app/views/model.py)."""

from __future__ import annotations

from app.views import diagram
from app.views.format import MAX_DIGITS, MIN_DIGITS, fmt
from app.views.model import NetworkModel
from app.views.panel import batch_fact, equations_for
from app.views.tables import tables
from app.views.viewstate import ViewState, parse_focus

ACTION_NAMES = {"forward": "Forward", "backward": "Backward", "update": "Update"}


def default_focus(net: NetworkModel) -> tuple:
    """The active layer's first neuron; layer 1 before a pass starts and after an update."""
    return ("n", max(net.layer, 1), 1)


def status(net: NetworkModel) -> dict:
    """The status line: where the iteration stands and what comes next."""
    phase, layer, nxt, depth = net.phase, net.layer, net.next, net.L
    if phase == "idle":
        where = "Ready: nothing computed yet in this iteration."
    elif phase == "updated":
        where = f"Iteration {net.iteration} complete: the parameters were updated."
    elif phase == "forward":
        where = f"Forward pass: layer {layer} of {depth} computed."
    else:
        where = f"Backward pass: δ and gradients of layer {layer} computed."
    return {
        "where": where,
        "next": next_text(nxt, phase, layer, depth, updated_params(net)),
        "phase": phase,
        "layer": layer,
        "next_action": nxt,
    }


def updated_params(net: NetworkModel) -> str:
    """What Update changes: 'every weight and bias', or without the untrained biases."""
    modes = set(net.bias_modes)
    if modes == {"trained"}:
        return "every weight and bias"
    return "every weight and trained bias" if "trained" in modes else "every weight"


def next_text(
    nxt: str, phase: str, layer: int, depth: int, params: str = "every weight and bias"
) -> str:
    if nxt == "forward":
        target = 1 if phase in ("idle", "updated") else layer + 1
        loss = " and the loss" if target == depth else ""
        return f"Next: Forward computes z and a of layer {target}{loss}."
    if nxt == "backward":
        target = depth if phase == "forward" else layer - 1
        return f"Next: Backward computes δ and the gradients of layer {target}."
    return f"Next: Update applies the gradients to {params}."


def activation_summary(names: list[str]) -> str:
    """'tanh ×6, sigmoid' for runs of the same activation."""
    runs: list[list] = []
    for name in names:
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    return ", ".join(name if n == 1 else f"{name} ×{n}" for name, n in runs)


def batch_text(net: NetworkModel) -> str:
    """Where a mini-batch network stands: 'sample 3 of 4, epoch 2' (online) or 'samples 1
    and 3 of 4, epoch 2'; '' for the whole batch."""
    return batch_fact(net) if net.minibatch else ""


def loss_words(net: NetworkModel) -> str:
    """The loss as the summary line names it: 'mse (ℓ = ½ Σ (ŷ − y)²)', 'sse (ℓ = Σ (ŷ − y)²,
    no ½)', …"""
    forms = {
        "mse": "ℓ = ½ Σ (ŷ − y)²",
        "sse": "ℓ = Σ (ŷ − y)², no ½",
        "mse_mean": "ℓ = (1/N_L) Σ (ŷ − y)²",
    }
    return f"{net.loss} ({forms[net.loss]})" if net.loss in forms else net.loss


def conventions_summary(net: NetworkModel) -> list[str]:
    """The conventions that differ from the article's defaults, for the summary line."""
    out = []
    modes = net.bias_modes
    if set(modes) != {"trained"}:
        if len(set(modes)) == 1:
            out.append({"frozen": "biases frozen", "none": "no biases"}[modes[0]])
        else:
            out.append("biases " + "/".join(modes))
    if net.reduction == "sum":
        out.append("L = Σ over samples")
    if net.minibatch:
        size = "online (batch 1)" if net.b == 1 else f"batches of {net.b}"
        out.append(size + (", shuffled" if net.shuffle else ", in order"))
    if net.regularization != "none":
        out.append(f"{net.regularization.upper()} λ {net.rate:g}")
    return out


def controls(net: NetworkModel, where: str) -> dict:
    """Each step button: enabled or not, and the tooltip saying why (`where`: the status
    line's words for where the iteration stands)."""
    nxt = net.next
    out = {}
    for action in ACTION_NAMES:
        ok = nxt == action
        why = "" if ok else f"Not now. {where} Next is {ACTION_NAMES[nxt]}."
        out[action] = {"enabled": ok, "why": why}
    out["undo"] = {
        "enabled": net.undo_levels > 0,
        "why": "" if net.undo_levels > 0 else "Nothing to undo yet.",
    }
    return out


def core_context(
    net: NetworkModel, view: ViewState, last: dict | None = None, message=None
) -> dict:
    """What the status line and the diagram need (all a training refresh renders);
    `message`, a refusal or note shown in place (app/web/responses.py: Message)."""
    focus = view.focus or default_focus(net)  # view.focus stays None unless chosen
    last = last or {}
    ctx = diagram.Context(
        view.sample,
        view.digits,
        focus,
        tuple(last.get("layers", ())),
        last.get("direction", ""),
        lambda key: view.query(focus=parse_focus(key, net.layers)),
    )
    return {
        "net": net,
        "view": view,
        "status": status(net),
        "focus": focus,
        "diagram": diagram.build(net, ctx),
        "message": message,
        "fmt": fmt,
        "samples": net.m,
        "last": last,
        "activation_summary": activation_summary(net.activations),
        "loss_words": loss_words(net),
        "conventions": conventions_summary(net),
        "batch_text": batch_text(net),
    }


def lab_context(
    net: NetworkModel,
    view: ViewState,
    last: dict | None = None,
    message=None,
    edit_error: dict | None = None,
    data_error: dict | None = None,
) -> dict:
    """Everything lab.html and its partials need."""
    ctx = core_context(net, view, last, message)
    ctx.update(
        {
            "controls": controls(net, ctx["status"]["where"]),
            "tables": tables(net, view),
            "equations": (
                equations_for(net, ctx["focus"], view.sample, view.digits)
                if view.mode == "step"
                else None
            ),
            "edit_error": edit_error or {},
            "data_error": data_error or {},
            "digits_range": range(MIN_DIGITS, MAX_DIGITS + 1),
        }
    )
    return ctx
