"""A network's runs: the marks its loss history carries where the network was changed, and
the ghosts of earlier runs kept to compare the next one against.

A mark is {"iteration", "what"}: after `iteration` updates, the network changed as `what`
says ("layers 2–4–1 → 2–5–1"). A ghost is a run frozen by "Keep this run": {"label",
"settings" (what the run used: optimiser, η, seed, layers, activations, features,
init), "iteration" (where it had got to), "loss", "test_loss", "accuracy",
"test_accuracy" (its curves, [iteration, value] pairs, each thinned to GHOST_POINTS)}.
A network keeps its latest MAX_MARKS marks and MAX_GHOSTS ghosts; both are part of its
record (undo brings them back as they were) and ghosts of its export. Reset and a new
initialisation start a new run: the marks go, the ghosts stay.
"""

from __future__ import annotations

import math

from .. import limits
from ..errors import SpecError
from .activations import ACTIVATIONS
from .features import FEATURES
from .initialisers import INITS
from .optimisers import OPTIMISERS

MAX_MARKS = 50
MAX_GHOSTS = 4
GHOST_POINTS = 200  # points per curve of a ghost
MAX_LABEL = 80  # characters of a ghost's label
CURVES = ("loss", "test_loss", "accuracy", "test_accuracy")


def shape(layers) -> str:
    return "–".join(str(n) for n in layers)


def feature_text(names) -> str:
    return ", ".join(FEATURES[n].text for n in names)


def describe_edit(old, new, fields: list[str], report: dict) -> str:
    """What an edit changed, in a few words for its mark: 'layers 2–4–1 → 2–5–1; η 0.5 →
    0.1'."""
    parts = []
    for name in fields:
        if name == "layers" and old.layers != new.layers:
            parts.append(f"layers {shape(old.layers)} → {shape(new.layers)}")
        elif name == "features" and new.features is not None:
            parts.append(f"features {feature_text(new.features)}")
        elif name == "activations":
            parts += [
                f"layer {l} {a} → {b}"
                for l, (a, b) in enumerate(zip(old.activations, new.activations), start=1)
                if a != b and len(old.activations) == len(new.activations)
            ]
        elif name == "learning_rate":
            parts.append(f"η {old.learning_rate:g} → {new.learning_rate:g}")
        elif name in ("weights", "biases", "inputs", "targets"):
            parts.append(f"{name} edited")
        elif name in ("dataset", "test_split", "test_inputs", "test_targets"):
            parts.append("new samples" if name == "dataset" else f"test split {new.test_split:.0%}")
        elif name not in ("layers", "features"):
            value = getattr(new, name, None)
            parts.append(f"{name.replace('_', ' ')} {words(value)}")
    unique = list(dict.fromkeys(parts))
    return "; ".join(unique) or "no change"


def words(value) -> str:
    if isinstance(value, (tuple, list)):
        return "/".join(str(v) for v in dict.fromkeys(value))
    if isinstance(value, float):
        return f"{value:g}"
    return "whole batch" if value is None else str(value)


def mark(net, what: str) -> None:
    """Mark the loss history where the network changed (only once it has a history)."""
    if not net.history.as_list():
        return
    net.changes = [*net.changes, {"iteration": net.iteration, "what": what}][-MAX_MARKS:]


def thinned(points: list, limit: int = GHOST_POINTS) -> list[list]:
    """At most `limit` of the [iteration, value] points, evenly spaced, the last kept."""
    if len(points) <= limit:
        return [list(p) for p in points]
    step = (len(points) - 1) / (limit - 1)
    return [list(points[round(i * step)]) for i in range(limit)]


def settings(spec) -> dict:
    """What a run used, for its ghost's legend."""
    return {
        "optimizer": spec.optimizer,
        "learning_rate": spec.learning_rate,
        "seed": spec.seed,
        "init": spec.init,
        "layers": list(spec.layers),
        "activations": list(spec.activations),
        "features": None if spec.features is None else list(spec.features),
    }


def default_label(spec, number: int) -> str:
    """'run 2: adam η 0.03, seed 1, 2–8–1 tanh'."""
    acts = "/".join(dict.fromkeys(spec.activations[:-1])) or spec.activations[-1]
    return (
        f"run {number}: {spec.optimizer} η {spec.learning_rate:g}, seed {spec.seed}, "
        f"{shape(spec.layers)} {acts}"
    )


def keep_run(net, label: str | None = None) -> dict:
    """Freeze the network's curves as a ghost (the oldest goes when there are MAX_GHOSTS
    already). Returns {"ghost", "dropped" (the label of the ghost that went, or None)}."""
    if not net.history.as_list():
        raise SpecError("keep", "there is no run to keep yet: train first (Play, Train or Step)")
    number = max([g.get("number", 0) for g in net.ghosts] + [0]) + 1
    text = check_label(label) if label is not None else default_label(net.spec, number)
    curves = {
        "loss": net.history,
        "test_loss": net.test_history,
        "accuracy": net.accuracy_history,
        "test_accuracy": net.test_accuracy_history,
    }
    ghost = {
        "number": number,
        "label": text,
        "settings": settings(net.spec),
        "iteration": net.iteration,
        **{name: thinned(h.as_list()) for name, h in curves.items()},
    }
    ghosts = [*net.ghosts, ghost]
    dropped = ghosts[0]["label"] if len(ghosts) > MAX_GHOSTS else None
    net.ghosts = ghosts[-MAX_GHOSTS:]
    return {"ghost": ghost, "dropped": dropped}


def forget_run(net, number: int) -> dict:
    """Remove the ghost with this number; returns it."""
    for g in net.ghosts:
        if g["number"] == number:
            net.ghosts = [h for h in net.ghosts if h is not g]
            return g
    kept = ", ".join(str(g["number"]) for g in net.ghosts) or "none"
    raise SpecError("ghost", f"there is no kept run {number!r} (kept runs: {kept})")


def check_label(label) -> str:
    if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
        raise SpecError("label", f"must be text of 1 to {MAX_LABEL} characters")
    return label.strip()


def check_points(value, name: str) -> list[list]:
    """A ghost's curve: at most GHOST_POINTS [iteration, value] pairs of finite numbers."""
    if not isinstance(value, list) or len(value) > GHOST_POINTS:
        raise SpecError(name, f"must be a list of at most {GHOST_POINTS} [iteration, value] pairs")
    out = []
    for p in value:
        ok = isinstance(p, (list, tuple)) and len(p) == 2
        it, v = (p[0], p[1]) if ok else (None, None)
        if not (
            ok
            and isinstance(it, int)
            and not isinstance(it, bool)
            and it >= 0
            and isinstance(v, (int, float))
            and not isinstance(v, bool)
            and math.isfinite(v)
        ):
            raise SpecError(name, "holds a point that is not [iteration, finite value]")
        out.append([it, float(v)])
    return out


def check_ghosts(value) -> list[dict]:
    """Ghosts as a record or an export holds them, checked (see the module docstring)."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_GHOSTS:
        raise SpecError("ghosts", f"must be a list of at most {MAX_GHOSTS} kept runs")
    out = []
    for i, g in enumerate(value):
        if not isinstance(g, dict) or not isinstance(g.get("settings"), dict):
            raise SpecError(f"ghosts[{i}]", "must be a kept run: label, settings and curves")
        number = g.get("number", i + 1)
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise SpecError(f"ghosts[{i}].number", "must be a whole number from 1")
        iteration = g.get("iteration", 0)
        if isinstance(iteration, bool) or not isinstance(iteration, int) or iteration < 0:
            raise SpecError(f"ghosts[{i}].iteration", "must be a whole number from 0")
        settings_in = clean_settings(g["settings"])
        curves = {c: check_points(g.get(c, []), f"ghosts[{i}].{c}") for c in CURVES}
        label = check_label(g.get("label"))
        out.append(
            {"number": number, "label": label, "settings": settings_in, "iteration": iteration}
            | curves
        )
    return out


def clean_settings(given: dict) -> dict:
    """A ghost's settings as an import gives them: each kept where it is one of the
    engine's names or numbers, None where it is not (they are only shown)."""

    def names(value, allowed, most: int):
        ok = isinstance(value, list) and len(value) <= most and all(v in allowed for v in value)
        return list(value) if ok else None

    def number(value, kind):
        ok = isinstance(value, kind) and not isinstance(value, bool)
        return value if ok and math.isfinite(value) else None

    layers = given.get("layers")
    sizes = layers if isinstance(layers, list) and len(layers) <= limits.MAX_LAYERS else None
    sizes_ok = sizes is not None and all(
        isinstance(n, int) and not isinstance(n, bool) and 0 < n <= limits.MAX_NEURONS
        for n in sizes
    )
    return {
        "optimizer": given.get("optimizer") if given.get("optimizer") in OPTIMISERS else None,
        "learning_rate": number(given.get("learning_rate"), (int, float)),
        "seed": number(given.get("seed"), int),
        "init": given.get("init") if given.get("init") in INITS else None,
        "layers": list(sizes) if sizes_ok and sizes is not None else None,
        "activations": names(given.get("activations"), ACTIVATIONS, limits.MAX_LAYERS),
        "features": names(given.get("features"), FEATURES, len(FEATURES)),
    }


def check_marks(value) -> list[dict]:
    """Marks as a record holds them."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_MARKS:
        raise SpecError("changes", f"must be a list of at most {MAX_MARKS} marks")
    out = []
    for m in value:
        ok = isinstance(m, dict) and isinstance(m.get("iteration"), int)
        if not (ok and isinstance(m.get("what"), str)):
            raise SpecError("changes", "holds something that is not {iteration, what}")
        out.append({"iteration": m["iteration"], "what": m["what"]})
    return out
