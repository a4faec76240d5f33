"""backprop-lab inside a Jupyter notebook: the lab's diagram and the focused neuron's (or
weight's) equations, the same SVG and MathML as the lab page, with their styles inline and
no server; and the lab's loss curve.

    from markupsafe import Markup

import engine
    from app.notebook import show, loss_curve

    net = engine.create_network({"preset": "worked-example"})
    net.forward()
    show(net, focus=(1, 1), digits=4)     # a notebook displays it (_repr_html_)
    loss_curve(net)

It imports the views and the templates only: no web framework, no server."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

import engine
from app.notebook.styles import stylesheet
from app.resources import templates
from app.views import curves, diagram
from app.views.format import DEFAULT_DIGITS
from app.views.lab import default_focus, status
from app.views.model import NetworkModel
from app.views.panel import equations_for
from app.views.viewstate import ViewState

__all__ = ["Display", "loss_curve", "show"]


@dataclass(frozen=True)
class Display:
    """HTML a notebook shows as it is (`_repr_html_`); `text` for a plain console."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def focus_of(net: NetworkModel, focus: tuple | None) -> tuple:
    """("n", l, j) for a neuron (l, j), ("e", l, j, k) for the weight w^l_{jk}; ValueError
    naming the limits when there is no such neuron or weight."""
    if focus is None:
        return default_focus(net)
    sizes, whole = net.layers, all(isinstance(x, int) for x in focus)
    if whole and len(focus) == 2 and 0 <= focus[0] < len(sizes):
        l, j = focus
        if 1 <= j <= sizes[l]:
            return ("n", l, j)
    if whole and len(focus) == 3 and 1 <= focus[0] < len(sizes):
        l, j, k = focus
        if 1 <= j <= sizes[l] and 1 <= k <= sizes[l - 1]:
            return ("e", l, j, k)
    raise ValueError(
        f"focus is {focus!r}; give (layer, neuron) with layer 0 to {len(sizes) - 1} and "
        "neuron from 1 (layers have " + ", ".join(map(str, sizes)) + " neurons), or "
        "(layer, j, k) for the weight w^layer_jk"
    )


def render(title: str, font: bool, **context) -> str:
    html = templates().get_template("notebook.html").render(title=title, css="", **context)
    css = Markup(stylesheet(html, font))  # CSS of our own files: no markup to escape
    return templates().get_template("notebook.html").render(title=title, css=css, **context)


def show(
    net: engine.Network,
    focus: tuple | None = None,
    digits: int = DEFAULT_DIGITS,
    sample: int = 1,
    font: bool = False,
) -> Display:
    """The diagram and the equations of the neuron `focus` = (layer, j) (or the weight
    (layer, j, k)) with `digits` decimals, for `sample` (from 1); the active layer's first
    neuron by default. `font=True` inlines the lab's math font (74 KB) for browsers
    without a math font of their own."""
    model = NetworkModel(net)
    key = focus_of(model, focus)
    if not 1 <= sample <= model.m:
        raise ValueError(f"sample is {sample!r}; it must be from 1 to {model.m}")
    ctx = diagram.Context(sample - 1, digits, key)
    where = status(model)
    context = {
        "net": model,
        "diagram": diagram.build(model, ctx),
        "equations": equations_for(model, key, sample - 1, digits),
        "last": {},
        "training": None,
        "samples": model.m,
        "view": ViewState(sample=sample - 1, digits=digits),
    }
    html = render(f"{where['where']} {where['next']}", font, **context)
    return Display(html, f"<backprop-lab {'-'.join(map(str, model.layers))}: {where['where']}>")


def loss_curve(net: engine.Network, log: bool = False) -> Display:
    """The lab's loss curve of the network's whole life (training and test loss)."""
    curve = curves.loss_curve(net.history.as_list(), net.test_history.as_list(), log)
    last = net.history.last
    title = f"Loss after iteration {last[0]}: {last[1]:.6g}" if last else "Loss"
    return Display(render(title, False, curve=curve, net=None), f"<backprop-lab loss: {title}>")
