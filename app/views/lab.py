"""The template context of the lab page: the status line, the step controls, the diagram,
the tables and the equation panel. Everything shown comes from the read model
(app/views/model.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from app.views import announce, diagram, practice
from app.views.format import MAX_DIGITS, MIN_DIGITS, fmt
from app.views.model import NetworkModel
from app.views.panel import batch_fact, equations_for
from app.views.shape import shape_bar
from app.views.tables import tables
from app.views.viewstate import ViewState, parse_focus

DIGITS = range(MIN_DIGITS, MAX_DIGITS + 1)  # the decimals the page offers
ACTION_NAMES = {"forward": "Forward", "backward": "Backward", "update": "Update"}


def default_focus(net: NetworkModel) -> tuple:
    """The active layer's first neuron; layer 1 before a pass starts and after an update."""
    return ("n", max(net.layer, 1), 1)


def status(
    net: NetworkModel, playing: bool = False, last: dict | None = None, digits: int = 4
) -> dict:
    """The status line: where the iteration stands and what comes next, the loss shown in
    the header (the same as in the diagram's loss box), and during Play what Play does."""
    phase, layer, nxt, depth = net.phase, net.layer, net.next, net.L
    history = net.net.history.last
    note = ""
    if phase == "idle" and net.trace.loss is None and history is not None:
        where = (
            f"Ready: this iteration has not started; the loss shown is iteration {history[0]}'s."
        )
    elif phase == "idle":
        where = "Ready: nothing computed yet in this iteration."
    elif phase == "updated":
        where = f"Iteration {net.iteration} complete: the parameters were updated."
    elif phase == "forward":
        where = f"Forward pass: layer {layer} of {depth} computed."
    else:
        where = f"Backward pass: δ and gradients of layer {layer} computed."
    nxt_text = next_text(nxt, phase, layer, depth, announce.updated_params(net))
    trained = (last or {}).get("trained")
    if playing:
        where = f"Playing: training whole iterations (now at iteration {net.iteration})."
        nxt_text = (
            "Play records no per-layer values: press Pause, then Forward or Step to see them."
        )
    elif trained:
        note = f"Trained {trained} iteration{'s' if trained != 1 else ''}. {NO_VALUES}"
    return {
        "where": where,
        "next": nxt_text,
        "note": note,
        "phase": phase,
        "layer": layer,
        "next_action": nxt,
        "badge": "playing" if playing else phase,
        "badge_text": badge(phase, layer, playing),
        "loss": loss_shown(net, digits),
    }


NO_VALUES = (
    "Training records no per-layer values: Forward (one layer at a time) or Step (a whole "
    "iteration) computes them."
)


def diagram_note(net: NetworkModel, playing: bool, last: dict) -> str:
    """Why the circles are empty: during and right after Play or Train, and whenever the
    page shows a trained network whose current iteration has not started (the loss shown
    is the last trained iteration's)."""
    if playing or last.get("trained"):
        return (
            "Play and Train record no per-layer values: the circles fill in when Forward "
            "or Step computes them."
        )
    if net.phase == "idle" and net.trace.loss is None and net.net.history.last is not None:
        return (
            "No values of this iteration yet (Play and Train record none): the circles fill "
            "in when Forward or Step computes them."
        )
    return ""


def badge(phase: str, layer: int, playing: bool) -> str:
    if playing:
        return "Playing"
    return phase.capitalize() + (f" · layer {layer}" if phase in ("forward", "backward") else "")


def loss_shown(net: NetworkModel, digits: int) -> dict:
    """The header's loss: this iteration's L ('was' right after the update, whose
    parameters it no longer belongs to), else the last trained iteration's, else none."""
    if net.batch_loss is not None:
        return {"text": fmt(net.batch_loss, digits), "was": net.updated, "of": None}
    last = net.net.history.last
    if last is not None:
        return {"text": fmt(last[1], digits), "was": False, "of": last[0]}
    return {"text": "—", "was": False, "of": None}


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


def controls(net: NetworkModel, where: str, playing: bool = False) -> dict:
    """Each step button: enabled or not, and the tooltip saying why (`where`: the status
    line's words for where the iteration stands). While Play trains, every button that
    changes the network waits for Pause."""
    nxt = net.next
    out = {}
    for action in ACTION_NAMES:
        ok = nxt == action
        why = "" if ok else f"Not now. {where} Next is {ACTION_NAMES[nxt]}."
        out[action] = {"enabled": ok, "why": why}
    out["forward-all"] = dict(out["forward"])
    out["backward-all"] = dict(out["backward"])
    out["step"] = {
        "enabled": True,
        "why": "",
        "title": "Run the rest of this iteration (or a whole one)",
    }
    out["undo"] = {
        "enabled": net.undo_levels > 0,
        "why": "" if net.undo_levels > 0 else "Nothing to undo yet.",
    }
    out["reset"] = {
        "enabled": True,
        "why": "",
        "title": "Back to the initial weights and biases (undoable)",
    }
    out["train"] = {"enabled": True, "why": ""}
    if playing:
        for c in out.values():
            c.update(enabled=False, why="Not while playing: press Pause first.")
    return out


def focus_link(view: ViewState, layers) -> Callable[[str], str]:
    """The query of the view focused on a neuron's or an edge's key."""
    query, shape = view.focus_query(), tuple(layers)
    return lambda key: query(known_focus(key, shape))


@lru_cache(maxsize=8192)
def known_focus(key: str, layers: tuple[int, ...]) -> tuple | None:
    """parse_focus of the diagram's own keys, remembered (every neuron and edge has a link
    on every drawing)."""
    return parse_focus(key, list(layers))


def core_context(
    net: NetworkModel,
    view: ViewState,
    last: dict | None = None,
    message=None,
    playing: bool = False,
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
        focus_link(view, net.layers),
        view.display.scale,
        view.display.narrow,
        view.present,
    )
    state = status(net, playing, last, view.digits)
    drawn = diagram.build(net, ctx)
    return {
        "net": net,
        "view": view,
        "status": state,
        "focus": focus,
        "diagram": drawn,
        "shape": shape_bar(net, drawn),  # the diagram's + and − (not on handouts)
        "diagram_note": diagram_note(net, playing, last),
        "message": message,
        "announce": announcement(net, view, last),
        "fmt": fmt,
        "samples": net.m,
        "last": last,
        "playing": playing,
        "activation_summary": activation_summary(net.activations),
        "loss_words": loss_words(net),
        "conventions": conventions_summary(net),
        "batch_text": batch_text(net),
    }


def announcement(net: NetworkModel, view: ViewState, last: dict) -> str:
    """What the live region says: the route's own words, else those of its action."""
    if "announce" in last:
        return last["announce"]
    if last.get("trained"):
        return announce.trained(net, last["trained"], view.digits)
    if last.get("action"):
        return announce.after(net, last["action"], last, view.sample, view.digits)
    return ""


def lab_context(
    net: NetworkModel,
    view: ViewState,
    last: dict | None = None,
    message=None,
    edit_error: dict | None = None,
    data_error: dict | None = None,
    playing: bool = False,
) -> dict:
    """Everything lab.html and its partials need."""
    ctx = core_context(net, view, last, message, playing)
    direction = (last or {}).get("direction", "")
    rule = practice.hiding(net, view.practice and view.mode == "step")
    shown = tables(net, view)
    practice.mark_blanks(shown, rule)
    ctx.update(
        {
            "controls": controls(net, ctx["status"]["where"], playing),
            "tables": shown,
            "equations": (
                equations_for(
                    net,
                    ctx["focus"],
                    view.sample,
                    view.digits,
                    direction,
                    preview=not rule.hides("update", 0),
                )
                if view.mode == "step"
                else None
            ),
            "practice": practice_context(net, view, ctx["focus"], rule),
            "practice_rule": rule,  # the diagram's blanks (templates/_diagram.html)
            "edit_error": edit_error or {},
            "data_error": data_error or {},
            "digits_range": DIGITS,
        }
    )
    return ctx


def practice_context(net: NetworkModel, view: ViewState, focus: tuple, rule) -> dict:
    """Practice mode's part of the page: its switch, the focused element's questions,
    and whether the iteration's score is due (after Update: static/js/practice.js)."""
    return {
        "on": rule.active,
        "questions": practice.questions(net, focus, view.sample, view.digits, rule),
        "next": ACTION_NAMES[net.next],
        "where": practice_where(net, rule),
        "score": rule.active and net.phase == "updated",
    }


def practice_where(net: NetworkModel, rule) -> str:
    """Where the next click's values are, for a focus that has none of them."""
    if rule.action == "update":
        return "an edge (its weight) or a neuron with a trained bias"
    edge = " or an edge into it" if rule.action == "backward" else ""
    return f"a neuron of layer {rule.layer}{edge}"
