"""Per-viewer view state (focus, sample, digits, open editor) and the template context of
the lab page. The view state travels in the URL query and in hidden inputs, never in the
store; everything shown comes from the NetworkState dict."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from . import diagram
from .mathpanel import equations_for
from .numbers import DEFAULT_DIGITS, MAX_DIGITS, MIN_DIGITS, fmt
from .tables import tables

FOCUS = re.compile(r"^(n)-(\d+)-(\d+)$|^(e)-(\d+)-(\d+)-(\d+)$")
EDIT = re.compile(r"^(w-\d+-\d+-\d+|b-\d+-\d+|x-\d+-\d+|y-\d+-\d+|lr)$")
ACTION_NAMES = {"forward": "Forward", "backward": "Backward", "update": "Update"}


@dataclass(frozen=True)
class View:
    """focus ("n", l, j) or ("e", l, j, k) with 1-based j, k; sample 0-based."""

    focus: tuple | None = None
    sample: int = 0
    digits: int = DEFAULT_DIGITS
    edit: str | None = None
    mode: str = "step"  # "step" | "train": the equations or the training view beside
    log: bool = False  # loss curve on a log scale
    thumbs: bool = False  # each hidden neuron's output over the plane in the diagram

    def query(self, **changes) -> str:
        """The URL query that reproduces this view (with `changes` applied)."""
        v = replace(self, **changes)
        params = {}
        if v.focus:
            params["focus"] = focus_key(v.focus)
        if v.sample:
            params["sample"] = v.sample + 1
        if v.digits != DEFAULT_DIGITS:
            params["digits"] = v.digits
        if v.edit:
            params["edit"] = v.edit
        if v.mode != "step":
            params["mode"] = v.mode
        if v.log:
            params["log"] = 1
        if v.thumbs:
            params["thumbs"] = 1
        return "?" + urlencode(params) if params else ""


def focus_key(focus: tuple) -> str:
    return "-".join(str(p) for p in focus)


def to_int(text, default: int) -> int:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return default


def parse_focus(text, layers: list[int]) -> tuple | None:
    """A focus key that names an existing neuron or edge, else None."""
    m = FOCUS.match(str(text or ""))
    if not m:
        return None
    if m.group(1):
        l, j = int(m.group(2)), int(m.group(3))
        return ("n", l, j) if l < len(layers) and 1 <= j <= layers[l] else None
    l, j, k = (int(m.group(i)) for i in (5, 6, 7))
    ok = 1 <= l < len(layers) and 1 <= j <= layers[l] and 1 <= k <= layers[l - 1]
    return ("e", l, j, k) if ok else None


def parse_view(params, state: dict) -> View:
    """The view from query / form parameters; anything out of range falls back quietly."""
    m = len(state["inputs"])
    sample = min(max(to_int(params.get("sample"), 1), 1), m) - 1
    digits = min(max(to_int(params.get("digits"), DEFAULT_DIGITS), MIN_DIGITS), MAX_DIGITS)
    edit = params.get("edit")
    edit = edit if edit and EDIT.match(edit) else None
    mode = "train" if params.get("mode") == "train" else "step"
    return View(
        parse_focus(params.get("focus"), state["layers"]),
        sample,
        digits,
        edit,
        mode,
        flag(params.get("log")),
        flag(params.get("thumbs")),
    )


def flag(value) -> bool:
    return str(value or "").strip().lower() in ("1", "on", "true", "yes")


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
    """The equation panel for the focused neuron or edge (see app.equations)."""
    return equations_for(state, focus, view.sample, view.digits)
