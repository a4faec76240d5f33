"""The start page's builder form: what the user typed → a create config for the service,
or field errors shown next to the offending fields (what was typed is kept)."""

from __future__ import annotations

import re

from app.views import conventions
from app.web.forms import conventions as convention_fields
from app.web.forms.fields import FieldError, number, test_split
from engine import limits
from engine.core.activations import ACTIVATIONS
from engine.core.initialisers import INITS
from engine.core.optimisers import OPTIMISERS
from engine.core.spec import Spec, check_layers, check_learning_rate
from engine.data.csvdata import parse_csv
from engine.data.datasets import DATASETS, DEFAULT_NOISE, DEFAULT_SAMPLES, gauss_classes
from engine.data.defaults import defaults_for
from engine.errors import SpecError

MAX_ACT_FIELDS = limits.MAX_LAYERS - 1  # one activation per layer after the input


def dataset_fields(name: str) -> dict[str, str]:
    """The builder's fields for a network that learns dataset `name` quickly
    (engine/data/defaults.py): layers, activations, loss, optimiser and η, as typed."""
    d = defaults_for(name)
    acts = {f"act{i}": a for i, a in enumerate(d["activations"], start=1)}
    return {
        "layers": ", ".join(str(n) for n in d["layers"]),
        **acts,
        "loss": d["loss"],
        "optimizer": d["optimizer"],
        "learning_rate": f"{d['learning_rate']:g}",
    }


DEFAULTS = {
    "layers": "2, 3, 1",
    "loss": "bce",
    "learning_rate": "0.5",
    "init": Spec.init,
    "init_scale": f"{Spec.init_scale:g}",
    "seed": str(Spec.seed),
    "data": "dataset",
    "dataset": "xor",
    "samples": str(DEFAULT_SAMPLES),
    "noise": f"{DEFAULT_NOISE:g}",
    "csv": "0, 0, 0\n0, 1, 1\n1, 0, 1\n1, 1, 0",
    "optimizer": Spec.optimizer,
    "test_split": "0",
    "csv_inputs": "",
    "csv_targets": "",
    "csv_label": "",
    **{f"act{i}": "sigmoid" for i in range(1, MAX_ACT_FIELDS + 1)},
    **conventions.DEFAULTS,
}
DEFAULTS.update(dataset_fields(DEFAULTS["dataset"]))  # the first dataset's own defaults
OPTIONS = {
    "activations": list(ACTIVATIONS),
    "losses": conventions.CHOICES["loss"],
    "conventions": conventions,
    "inits": list(INITS),
    "datasets": list(DATASETS),
    "optimizers": list(OPTIMISERS),
}
FIELD_OF = [
    (re.compile(r"^activations\[(\d+)\]$"), lambda m: f"act{int(m.group(1)) + 1}"),
    (re.compile(r"^layers(\[\d+\])?$"), lambda m: "layers"),
    (re.compile(r"^dataset\.samples$"), lambda m: "samples"),
    (re.compile(r"^dataset\.noise$"), lambda m: "noise"),
    (re.compile(r"^(inputs|targets|csv)$"), lambda m: "csv"),
    (re.compile(r"^csv_(inputs|targets|label)$"), lambda m: m.group(0)),
    (re.compile(r"^activations$"), lambda m: "activations"),
    (re.compile(r"^bias(\[\d+\])?$"), lambda m: "bias"),
]


LABELS = {
    "form": "Form",
    "layers": "Layers",
    "loss": "Loss",
    "learning_rate": "Learning rate η",
    "init": "Initialisation",
    "init_scale": "Scale",
    "seed": "Seed",
    "optimizer": "Optimiser",
    "dataset": "Dataset",
    "samples": "Samples",
    "noise": "Noise",
    **conventions.LABELS,
    "test_split": "Test split",
    "csv": "Samples as CSV",
    "csv_inputs": "Input columns",
    "csv_targets": "Target columns",
    "csv_label": "Label column",
    **{f"act{i}": f"Activation of layer {i}" for i in range(1, MAX_ACT_FIELDS + 1)},
}


class FormErrors(Exception):
    """Every field that failed its own check: {field name: message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def summary(errors: dict[str, str]) -> list[dict]:
    """The error summary's entries, in the form's order: field, label, message."""
    order = list(LABELS)
    names = sorted(errors, key=lambda n: order.index(n) if n in order else len(order))
    return [{"field": n, "label": LABELS.get(n, n), "message": errors[n]} for n in names]


def form_values(form, dataset_defaults: bool = False) -> dict:
    """Every builder field as typed (defaults where absent); with `dataset_defaults`, the
    chosen dataset's own network (dataset_fields) over what was typed."""
    values = {k: str(form.get(k, v)) for k, v in DEFAULTS.items()}
    if dataset_defaults and values["dataset"] in DATASETS:
        values.update(dataset_fields(values["dataset"]))
    return values


def parse_layers(text: str) -> list[int]:
    parts = [p for p in re.split(r"[\s,;x×-]+", text.strip()) if p]
    if not parts:
        raise FieldError("layers", "Enter the neurons per layer, input first, e.g. 2, 3, 1.")
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise FieldError(
            "layers",
            f"'{text}' is not a list of whole numbers; write e.g. 2, 3, 1 (input layer first).",
        ) from None


def columns(text: str) -> list[str] | None:
    """'0, 1' or 'x1, x2' → ['0', '1'] / ['x1', 'x2'] (0-based indices or header names)."""
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    return parts or None


def csv_text(text: str) -> str:
    """The CSV as typed; lines separated only by spaces get commas."""
    lines = text.strip().splitlines()
    return "\n".join(ln if re.search(r"[,;\t]", ln) else ",".join(ln.split()) for ln in lines)


def csv_config(values: dict) -> dict:
    """csv with the columns the user chose; none chosen: none passed, so that the service
    applies its own default (every column but the last an input, the last the target)."""
    if not values["csv"].strip():
        raise FieldError("csv", "Type, paste or upload at least one row of samples.")
    out: dict[str, str | list[str]] = {"csv": csv_text(values["csv"])}
    for name in ("csv_inputs", "csv_targets"):
        chosen = columns(values[name])
        if chosen is not None:
            out[name] = chosen
    label = values["csv_label"].strip() or None
    if label is not None:
        out["csv_label"] = label
    return out


def check_csv(config: dict, layers: list[int] | None) -> None:
    """Read the CSV as the service will; columns that do not match the layers → an error
    at the CSV field that says which columns were taken."""
    try:
        x, y, info = parse_csv(
            config["csv"],
            config.get("csv_inputs"),
            config.get("csv_targets"),
            config.get("csv_label"),
        )
    except SpecError as e:
        field = e.field if e.field.startswith("csv") else f"csv_{e.field}"
        raise FieldError(field, f"{e.message}.") from None
    if layers is None or (x.shape[1], y.shape[1]) == (layers[0], layers[-1]):
        return
    cols = ", ".join(str(c) for c in info["input_columns"])
    took = (
        f"label column {info['label_column']} ({y.shape[1]} classes)"
        if info["label_column"] is not None
        else f"column{'s' if len(info['target_columns']) > 1 else ''} "
        f"{', '.join(str(c) for c in info['target_columns'])} as the target"
    )
    raise FieldError(
        "csv",
        f"The CSV gives {x.shape[1]} input{'s' if x.shape[1] != 1 else ''} "
        f"(column{'s' if len(info['input_columns']) > 1 else ''} {cols}) and "
        f"{y.shape[1]} target{'s' if y.shape[1] != 1 else ''} ({took}), but the "
        f"layers {', '.join(map(str, layers))} take {layers[0]} input"
        f"{'s' if layers[0] != 1 else ''} and {layers[-1]} target"
        f"{'s' if layers[-1] != 1 else ''}. Choose the input and target columns "
        "below, or change the layers.",
    )


def checked_layers(values: dict) -> list[int]:
    layers = parse_layers(values["layers"])
    if not 1 <= len(layers) - 1 <= MAX_ACT_FIELDS:
        raise FieldError(
            "layers",
            f"has {len(layers)} layers; give 2 to {MAX_ACT_FIELDS + 1} counts, input layer first.",
        )
    try:
        check_layers(layers)
    except SpecError as e:
        raise FieldError("layers", f"{e.field} {e.message}.") from None
    return layers


def learning_rate(values: dict) -> float:
    eta = number(values, "learning_rate", label="Learning rate η")
    try:
        return check_learning_rate(eta)
    except SpecError as e:
        raise FieldError("learning_rate", f"Learning rate η {e.message}.") from None


class Collect:
    """Runs each field's check and keeps every FieldError (a check that failed gives None)."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def __call__(self, check, *args):
        try:
            return check(*args)
        except FieldError as e:
            self.errors.setdefault(e.field or "form", e.message)
            return None


def to_config(values: dict) -> dict:
    """The create config; raises FormErrors with every field that fails its own check
    (the service checks the rest)."""
    check = Collect()
    layers = check(checked_layers, values)
    depth = len(layers) - 1 if layers else 0
    config = {
        "layers": layers,
        "activations": [values[f"act{i}"] for i in range(1, depth + 1)],
        "loss": values["loss"],
        "init": values["init"],
        "optimizer": values["optimizer"],
        "learning_rate": check(learning_rate, values),
        "init_scale": check(number, values, "init_scale", float, "Scale"),
        "seed": check(number, values, "seed", int, "Seed"),
    }
    config.update(check(convention_fields.to_config, values) or {})
    split = check(test_split, values)
    if split:
        config["test_split"] = split
    if values["data"] == "csv":
        config.update(check(csv_config, values) or {})
        if "csv" in config:
            check(check_csv, config, layers)
    else:
        config["dataset"] = check(dataset, values, layers or [2, 1])
    if check.errors:
        raise FormErrors(check.errors)
    return config


def dataset(values: dict, layers: list[int]) -> dict:
    out = {
        "name": values["dataset"],
        "samples": number(values, "samples", int, "Samples"),
        "noise": number(values, "noise", label="Noise"),
        "seed": 0,
    }
    if out["name"] == "gauss":
        out["classes"] = gauss_classes(layers[-1])
    return out


def field_for(name: str | None) -> str:
    """The form field where a service error about `name` is shown."""
    for pattern, to_field in FIELD_OF:
        m = pattern.match(name or "")
        if m:
            return to_field(m)
    return name if name in DEFAULTS else "form"


def act_count(values: dict) -> int:
    """How many activation selects to show (one per layer after the input)."""
    try:
        n = len(parse_layers(values["layers"])) - 1
    except FieldError:
        n = 2
    return min(max(n, 1), MAX_ACT_FIELDS)
