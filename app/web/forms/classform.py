"""The start page's "Exercises for a class" form: its fields as typed, their defaults and
what the template shows beside them (choices and limits, imported, never retyped)."""

from __future__ import annotations

import engine
from app.service import classes
from app.service import sheetcode as sc
from app.views import conventions
from engine.core.optimisers import OPTIMISERS

DEFAULTS = {
    "preset": "",
    "layers": "2, 2, 1",
    "activations": "sigmoid, sigmoid",
    "loss": "mse",
    "learning_rate": "0.5",
    "optimizer": "sgd",
    "samples": "1",
    "class_code": "",
    "count": "30",
    **conventions.DEFAULTS,
}
FIELDS = tuple(DEFAULTS)
# the form's own names of the fields the builder has too (the conventions' fields are the
# shared macro's), so that the start page's two forms never share a name
OWN = ("preset", "layers", "activations", "loss", "learning_rate", "optimizer", "samples")


def name(field: str) -> str:
    """A field's name in the form."""
    return f"class_{field}" if field in OWN else field


def values_of(form) -> dict[str, str]:
    """Every field as typed (defaults where absent), by its field name."""
    return {k: str(form.get(name(k), v))[:200] for k, v in DEFAULTS.items()}


def data_of(values: dict[str, str]) -> dict:
    """The class's fields for the service: a preset's architecture replaces the typed one."""
    data = {k: v for k, v in values.items() if k not in ("class_code", "count")}
    if data["preset"]:
        for k in classes.PRESET_FIELDS:
            data.pop(k, None)
    return data


def context(values: dict | None = None, errors: dict | None = None) -> dict:
    presets = [p for p in engine.preset_summaries() if fits(p["layers"])]
    return {
        "values": values or dict(DEFAULTS),
        "errors": errors or {},
        "presets": presets,
        "conventions": conventions,
        "losses": conventions.CHOICES["loss"],
        "optimizers": list(OPTIMISERS),
        "acts": sc.ACTS,
        "limits": f"{sc.MIN_LAYERS} to {sc.MAX_LAYERS} layers of {sc.MIN_NEURONS} to "
        f"{sc.MAX_NEURONS} neurons",
        "max_samples": sc.MAX_SAMPLES,
        "max_students": classes.MAX_STUDENTS,
        "max_code": classes.MAX_CLASS_CODE,
    }


def fits(layers: list[int]) -> bool:
    """Whether a preset's architecture is small enough for sheets worked by hand."""
    return sc.MIN_LAYERS <= len(layers) <= sc.MAX_LAYERS and all(n in sc.SIZES for n in layers)
