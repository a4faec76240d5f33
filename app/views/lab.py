"""The template context of the lab page: the status line, the step controls, the diagram,
the tables and the equation panel. Everything shown comes from the NetworkState dict."""

from __future__ import annotations

from app.views import diagram
from app.views.format import MAX_DIGITS, MIN_DIGITS, fmt
from app.views.panel import equations_for
from app.views.tables import tables
from app.views.viewstate import View, parse_focus

ACTION_NAMES = {"forward": "Forward", "backward": "Backward", "update": "Update"}


def default_focus(state: dict) -> tuple:
    """The active layer's first neuron; layer 1 before a pass starts and after an update."""
    layer = state["cursor"]["layer"]
    return ("n", max(layer, 1), 1)


def status(state: dict) -> dict:
    """The status line: where the iteration stands and what comes next."""
    cur, depth = state["cursor"], len(state["layers"]) - 1
    phase, layer, nxt = cur["phase"], cur["layer"], cur["next"]
    if phase == "idle":
        where = "Ready: nothing computed yet in this iteration."
    elif phase == "updated":
        where = f"Iteration {state['iteration']} complete: the parameters were updated."
    elif phase == "forward":
        where = f"Forward pass: layer {layer} of {depth} computed."
    else:
        where = f"Backward pass: δ and gradients of layer {layer} computed."
    return {
        "where": where,
        "next": next_text(nxt, phase, layer, depth),
        "phase": phase,
        "layer": layer,
        "next_action": nxt,
    }


def next_text(nxt: str, phase: str, layer: int, depth: int) -> str:
    if nxt == "forward":
        target = 1 if phase in ("idle", "updated") else layer + 1
        loss = " and the loss" if target == depth else ""
        return f"Next: Forward computes z and a of layer {target}{loss}."
    if nxt == "backward":
        target = depth if phase == "forward" else layer - 1
        return f"Next: Backward computes δ and the gradients of layer {target}."
    return "Next: Update applies the gradients to every weight and bias."


def activation_summary(names: list[str]) -> str:
    """'tanh ×6, sigmoid' for runs of the same activation."""
    runs: list[list] = []
    for name in names:
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    return ", ".join(name if n == 1 else f"{name} ×{n}" for name, n in runs)


def controls(state: dict) -> dict:
    """Each step button: enabled or not, and the tooltip saying why."""
    nxt, where = state["cursor"]["next"], status(state)["where"]
    out = {}
    for action in ACTION_NAMES:
        ok = nxt == action
        why = "" if ok else f"Not now. {where} Next is {ACTION_NAMES[nxt]}."
        out[action] = {"enabled": ok, "why": why}
    out["undo"] = {
        "enabled": state["undo_levels"] > 0,
        "why": "" if state["undo_levels"] > 0 else "Nothing to undo yet.",
    }
    return out


def core_context(
    state: dict, view: View, last: dict | None = None, message: dict | None = None
) -> dict:
    """What the status line and the diagram need (all a training refresh renders)."""
    focus = view.focus or default_focus(state)  # view.focus stays None unless chosen
    last = last or {}
    ctx = diagram.Context(
        view.sample,
        view.digits,
        focus,
        tuple(last.get("layers", ())),
        last.get("direction", ""),
        lambda key: view.query(focus=parse_focus(key, state["layers"])),
    )
    return {
        "state": state,
        "view": view,
        "status": status(state),
        "focus": focus,
        "diagram": diagram.build(state, ctx),
        "message": message,
        "fmt": fmt,
        "samples": len(state["inputs"]),
        "last": last,
        "activation_summary": activation_summary(state["activations"]),
    }


def lab_context(
    state: dict,
    view: View,
    last: dict | None = None,
    message: dict | None = None,
    edit_error: dict | None = None,
    data_error: dict | None = None,
) -> dict:
    """Everything lab.html and its partials need."""
    ctx = core_context(state, view, last, message)
    ctx.update(
        {
            "controls": controls(state),
            "tables": tables(state, view),
            "equations": panel(state, ctx["focus"], view) if view.mode == "step" else None,
            "edit_error": edit_error or {},
            "data_error": data_error or {},
            "digits_range": range(MIN_DIGITS, MAX_DIGITS + 1),
        }
    )
    return ctx


def panel(state: dict, focus: tuple, view: View) -> dict:
    """The equation panel for the focused neuron or edge (see app.views.equations)."""
    return equations_for(state, focus, view.sample, view.digits)
