"""The equation panel's content: a heading for the focused neuron or edge, and the
equations app.views.equations renders (symbolic, then with numbers). Until that module is
present the panel shows only its heading."""

from __future__ import annotations

from markupsafe import Markup

from app.views.format import fmt
from app.views.mathwidth import fit
from engine.notation import sub, sup

try:
    from app.views import equations as _equations
except ImportError:  # app/equations.py comes from another change
    _equations = None


def heading(state: dict, focus: tuple) -> str:
    depth = len(state["layers"]) - 1
    if focus[0] == "e":
        _, l, j, k = focus
        return (
            f"Weight w{sup(l)}{sub(j)}{sub(k)}: neuron {k} of layer {l - 1} → "
            f"neuron {j} of layer {l}"
        )
    _, l, j = focus
    kind = "input" if l == 0 else ("output" if l == depth else "hidden")
    return f"Neuron {j} of layer {l} ({kind})"


def render(items: list, stacked: list) -> list[dict]:
    """Each equation in one line and stacked (one '=' per row): the page shows the line
    while the panel is wider than `fit` px (its estimated width), else the stack."""
    return [
        {
            "title": e.title,
            "mathml": Markup(e.mathml),
            "stacked": Markup(a.mathml),
            "fit": fit(e.mathml),
        }
        for e, a in zip(items, stacked, strict=True)
    ]


def both(function, *args, **kwargs) -> list[dict]:
    """`function`'s equations in both forms (see render)."""
    return render(function(*args, **kwargs), function(*args, **kwargs, aligned=True))


def equations_for(state: dict, focus: tuple, sample: int, digits: int) -> dict:
    """{heading, groups: [{name, items: [{title, mathml}]}]} for the focused element."""
    out = {
        "heading": heading(state, focus),
        "groups": [],
        "available": _equations is not None,
        "facts": facts(state, focus, sample, digits),
    }
    if _equations is None:
        return out
    eq = _equations
    if focus[0] == "e":
        _, l, j, k = focus
        out["groups"].append(
            {"name": "Gradient", "items": both(eq.edge_equations, state, l, j, k, digits=digits)}
        )
        if shows_update(state):
            out["groups"].append(
                {
                    "name": update_name(state),
                    "items": both(eq.update_equations, state, l, j, k, digits=digits),
                }
            )
        return updated_first(state, out)
    _, l, j = focus
    out["groups"].append(
        {
            "name": "Values",
            "items": both(eq.neuron_equations, state, l, j, sample=sample, digits=digits),
        }
    )
    if shows_update(state) and l >= 1:
        out["groups"].append(
            {
                "name": update_name(state),
                "items": both(eq.update_equations, state, l, j, digits=digits),
            }
        )
    return updated_first(state, out)


def updated_first(state: dict, out: dict) -> dict:
    """Right after Update the update equation is what just happened: its group goes first,
    so that it is in view without scrolling."""
    if state["cursor"]["phase"] == "updated":
        out["groups"].sort(key=lambda g: g["name"] != "Update")
    return out


def shows_update(state: dict) -> bool:
    """The update equations once the backward pass has started (symbolic until the layer's
    gradient exists, then with its numbers: what Update will do) and after the update."""
    return state["cursor"]["phase"] in ("backward", "updated")


def update_name(state: dict) -> str:
    return "Update" if state["cursor"]["phase"] == "updated" else "Update (next)"


def pick(rows, sample: int, j: int):
    return None if rows is None else rows[sample][j - 1]


def facts(state: dict, focus: tuple, sample: int, d: int) -> list[tuple]:
    """(name, value, css class) of the focused element, straight from the state."""
    if focus[0] == "e":
        _, l, j, k = focus
        grads = state["trace"]["layers"][l - 1]["grad_weights"]
        out = [("w", fmt(state["weights"][l - 1][j - 1][k - 1], d), "w")]
        if grads is not None:
            out.append(("∂L/∂w", fmt(grads[j - 1][k - 1], d), "g"))
        if state["previous"]:
            out.append(
                ("before update", fmt(state["previous"]["weights"][l - 1][j - 1][k - 1], d), "")
            )
        return out
    _, l, j = focus
    if l == 0:
        return [("x = a⁰", fmt(state["inputs"][sample][j - 1], d), "a")]
    t = state["trace"]["layers"][l - 1]
    was = previous_bias(state, l, j)
    b = fmt(state["biases"][l - 1][j - 1], d)
    out = [("b", f"was {fmt(was, d)} → {b}" if was is not None else b, "b")]
    pairs = [
        ("z", pick(t["z"], sample, j), "z"),
        ("a", pick(t["a"], sample, j), "a"),
        ("f′(z)", pick(t["fprime"], sample, j), ""),
        ("δ", pick(t["delta"], sample, j), "d"),
        ("∂L/∂b", None if t["grad_biases"] is None else t["grad_biases"][j - 1], "g"),
    ]
    return out + [(name, fmt(v, d), cls) for name, v, cls in pairs if v is not None]


def previous_bias(state: dict, l: int, j: int) -> float | None:
    """b^l_j before the update, in the 'updated' phase (when z was computed with it)."""
    prev = state["previous"]
    if state["cursor"]["phase"] != "updated" or not prev:
        return None
    return prev["biases"][l - 1][j - 1]
