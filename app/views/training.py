"""The training view's context: play speeds, the loss curve, the decision boundary and
thumbnails (app.views.plots), the diagnostics panel and the gradient check verdicts. The
numbers come from the read model and the plots' data (app/service/readouts.py:
plot_data); nothing is recomputed here."""

from __future__ import annotations

import math

import numpy as np

from app.views import conventions, curves, plots
from app.views.format import HANDOUT_DIGITS, fmt
from app.views.model import NetworkModel
from app.views.network_card import network_card
from app.views.viewstate import ViewState
from engine import notation
from engine.core.measures import classifies

FASTEST = 0  # the speed that trains for PLAY_SECONDS each refresh, however many iterations
SPEEDS = (20, 50, 100, 200, 500, FASTEST)  # iterations per refresh while playing
DEFAULT_SPEED = 50
POLL_MS = 120  # the time between two refreshes while playing (at most ~8 a second)
# The fastest speed: a refresh every FASTEST_POLL_MS (9 a second, or back to back when
# one takes longer), each training for about PLAY_SECONDS on a quiet server (what the
# refresh leaves of its time: app/web/pace.py); the rest is the refresh itself (load,
# save, drawing: about 15-30 ms), so that training fills about 75 % of the time and the
# refreshes still come more than 8 times a second.
FASTEST_POLL_MS = 110
PLAY_SECONDS = 0.08
GRADCHECK_TOLERANCE = 1e-4  # largest relative error that passes
OPTIMIZERS = {"sgd": "gradient descent", "momentum": "momentum", "adam": "Adam"}


def poll_ms(speed: int) -> int:
    """The time between two refreshes while playing at `speed`."""
    return FASTEST_POLL_MS if speed == FASTEST else POLL_MS


def playing_words(speed: int) -> str:
    if speed == FASTEST:
        return (
            f"Playing as fast as the server trains (about {PLAY_SECONDS:g} s of training "
            "a refresh)."
        )
    return f"Playing: {speed} iterations between two refreshes."


def paused_words(net: NetworkModel, digits: int) -> str:
    """What the live region says when Play stops: where training stands."""
    loss = "" if net.last_loss is None else f", loss L {fmt(net.last_loss, digits)}"
    return f"Paused at iteration {net.iteration}{loss}."


def speed_of(text) -> int:
    """The chosen iterations per refresh (one of SPEEDS, FASTEST for a time budget; the
    default otherwise)."""
    try:
        value = int(str(text).strip())
    except (TypeError, ValueError):
        return DEFAULT_SPEED
    return value if value in SPEEDS else DEFAULT_SPEED


def thumbnails_possible(net: NetworkModel) -> bool:
    """Hidden neurons' pictures need a plane of inputs (2) and a hidden layer."""
    return net.layers[0] == 2 and len(net.layers) > 2


def thumbnails_shown(net: NetworkModel, view: ViewState) -> bool:
    """Whether the plots' data must hold every hidden layer over the plane."""
    return view.thumbs and thumbnails_possible(net)


def sparkline(values: list[float], width: float = 90, height: float = 22) -> str:
    """SVG points of log10(values) scaled into width × height ('' for fewer than 2)."""
    logs = list(map(math.log10, [v for v in values if v and v > 0 and math.isfinite(v)]))
    if len(logs) < 2:
        return ""
    lo, hi = min(logs), max(logs)
    span = hi - lo or 1.0
    step = width / (len(logs) - 1)
    # the same float operations, in the same order, as one point at a time: i·step and
    # height − 2 − (v − lo) / span · (height − 4), each to one decimal
    xs = np.arange(len(logs), dtype=float) * step
    ys = (height - 2) - (np.array(logs) - lo) / span * (height - 4)
    return curves.svg_points(xs, ys)


def diagnostics(net: NetworkModel, records: list[dict], hints: list[dict]) -> dict:
    """Per layer: the latest |∂L/∂W^l|, its trend over the recent records, the share of
    saturated units and the dead relu units in the latest record (the one the hints judge,
    so that the table and the hints never disagree); and the hints in plain words."""
    layers = []
    for l, name in enumerate(net.activations, start=1):
        norms = [r["grad_norms"][l - 1] for r in records]
        sat = [r["saturation"][l - 1] for r in records]
        layers.append(
            {
                "l": l,
                "activation": name,
                "n": net.layers[l],
                "norm": fmt(norms[-1], 3) if norms else "·",
                "spark": sparkline(norms),
                # the latest record's share: the one the hints judge (engine/inspect)
                "saturated": f"{sat[-1]:.0%}" if sat else "·",
                "saturated_now": sat[-1] if sat else 0.0,
                "dead": records[-1]["dead"][l - 1] if records else 0,
                "output": l == net.L,
            }
        )
    first = records[0]["iteration"] if records else None
    last = records[-1]["iteration"] if records else None
    return {
        "layers": layers,
        "hints": hints,
        "count": len(records),
        "first": first,
        "last": last,
        "span": records_words(len(records), first, last),
    }


def records_words(count: int, first, last) -> str:
    """Which records the panel judges: 'the latest record, iteration 1', 'the last 12
    records, iterations 3–14' ('' for none)."""
    if not count:
        return ""
    if count == 1:
        return f"the latest record, iteration {last}"
    return f"the last {count} records, iterations {first}–{last}"


def gradcheck_view(result: dict) -> dict:
    """{rows: [{l, weights, biases, max, ok}], ok, tolerance} from service.gradcheck."""
    rows = []
    for layer in result["layers"]:
        worst = layer.get("max")
        ok = worst is not None and worst < GRADCHECK_TOLERANCE
        rows.append(
            {
                "l": layer["layer"],
                "weights": sci(layer.get("weights")),
                "biases": sci(layer.get("biases")),
                "max": sci(worst),
                "ok": ok,
            }
        )
    worst = max((layer.get("max") or 0.0 for layer in result["layers"]), default=0.0)
    return {
        "rows": rows,
        "worst": sci(worst),
        "ok": all(r["ok"] for r in rows),
        "tolerance": sci(GRADCHECK_TOLERANCE, 0),
        "step": sci(result.get("step")),
    }


def sci(value, decimals: int = 2) -> str:
    """A relative error or step in the pages' scientific style: 1.23×10⁻⁵."""
    return "not finite" if value is None else notation.sci(value, decimals)


def train_context(
    net: NetworkModel,
    data: dict,
    view: ViewState,
    playing: bool = False,
    speed: int = DEFAULT_SPEED,
) -> dict:
    """Everything the training panel needs (see templates/_train*.html); `data` is the
    plots' data of this network (with the hidden layers when thumbnails_shown)."""
    shown = thumbnails_shown(net, view)
    return {
        "playing": playing,
        "speeds": SPEEDS,
        "poll": f"every {poll_ms(speed)}ms",
        "play_seconds": f"{PLAY_SECONDS:g}",
        "speed": speed,
        "curve": curves.loss_curve(
            data["loss_history"],
            data["test_loss_history"],
            view.log,
            data["ghosts"],
            data["changes"],
        ),
        "accuracy": (
            curves.accuracy_curve(
                data["accuracy_history"],
                data["test_accuracy_history"],
                data["ghosts"],
                data["changes"],
            )
            if classifies(net.loss)
            else None
        ),
        "ghosts": curves.ghost_legend(data["ghosts"]),
        "boundary": plots.boundary(data, net.layers[-1], view.discrete),
        "thumbs": plots.thumbnails(data, net.activations) if shown else {},
        "thumbs_possible": thumbnails_possible(net),
        "diagnostics": {
            **diagnostics(net, data["diagnostics"], data["hints"]),
            "all_clear": data["all_clear"],
        },
        "optimizers": OPTIMIZERS,
        "network": network_card(net),
        "test_count": net.test_count,
        "handout_digits": HANDOUT_DIGITS,
        "conventions": conventions.current(net),
        "convention_choices": conventions,
    }
