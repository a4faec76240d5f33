"""The start page's builder form: what the user typed → a create config for the service,
or field errors shown next to the offending fields (what was typed is kept)."""

from __future__ import annotations

import re

from engine.activations import ACTIVATIONS
from engine.datasets import DATASETS
from engine.initialisers import INITS
from engine.losses import LOSSES
from engine.optimisers import OPTIMISERS

MAX_ACT_FIELDS = 7
DEFAULTS = {
    "layers": "2, 3, 1", "loss": "bce", "learning_rate": "0.5", "init": "xavier",
    "init_scale": "0.1", "seed": "0", "data": "dataset", "dataset": "xor", "samples": "200",
    "noise": "0.05", "csv": "0, 0, 0\n0, 1, 1\n1, 0, 1\n1, 1, 0", "optimizer": "sgd",
    "test_split": "0", "csv_inputs": "", "csv_targets": "", "csv_label": "",
    **{f"act{i}": "sigmoid" for i in range(1, MAX_ACT_FIELDS + 1)},
}
OPTIONS = {"activations": list(ACTIVATIONS), "losses": list(LOSSES), "inits": list(INITS),
           "datasets": list(DATASETS), "optimizers": list(OPTIMISERS)}
FIELD_OF = [
    (re.compile(r"^activations\[(\d+)\]$"), lambda m: f"act{int(m.group(1)) + 1}"),
    (re.compile(r"^layers(\[\d+\])?$"), lambda m: "layers"),
    (re.compile(r"^dataset\.samples$"), lambda m: "samples"),
    (re.compile(r"^dataset\.noise$"), lambda m: "noise"),
    (re.compile(r"^(inputs|targets|csv)$"), lambda m: "csv"),
    (re.compile(r"^csv_(inputs|targets|label)$"), lambda m: m.group(0)),
    (re.compile(r"^activations$"), lambda m: "activations"),
]


class FormError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def form_values(form) -> dict:
    """Every builder field as typed (defaults where absent)."""
    return {k: str(form.get(k, v)) for k, v in DEFAULTS.items()}


def parse_layers(text: str) -> list[int]:
    parts = [p for p in re.split(r"[\s,;x×-]+", text.strip()) if p]
    if not parts:
        raise FormError("layers", "Enter the neurons per layer, input first, e.g. 2, 3, 1.")
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise FormError("layers", f"'{text}' is not a list of whole numbers; "
                        "write e.g. 2, 3, 1 (input layer first).") from None


def number(values: dict, name: str, kind=float, label: str = ""):
    text = values[name].strip()
    try:
        return kind(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise FormError(name, f"{label or name} must be {what}; got '{text}'.") from None


def columns(text: str) -> list[str] | None:
    """'0, 1' or 'x1, x2' → ['0', '1'] / ['x1', 'x2'] (0-based indices or header names)."""
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    return parts or None


def csv_text(text: str) -> str:
    """The CSV as typed; lines separated only by spaces get commas."""
    lines = text.strip().splitlines()
    return "\n".join(ln if re.search(r"[,;\t]", ln) else ",".join(ln.split()) for ln in lines)


def csv_config(values: dict, layers: list[int]) -> dict:
    """csv with its column choice; by default the first N_0 columns are the inputs and the
    next N_L the targets (or a label column gives one-hot targets)."""
    if not values["csv"].strip():
        raise FormError("csv", "Type, paste or upload at least one row of samples.")
    out = {"csv": csv_text(values["csv"])}
    inputs, targets = columns(values["csv_inputs"]), columns(values["csv_targets"])
    label = values["csv_label"].strip() or None
    if label is not None:
        out["csv_label"] = label
    elif inputs is None and targets is None:
        n_in, n_out = layers[0], layers[-1]
        inputs = [str(k) for k in range(n_in)]
        targets = [str(k) for k in range(n_in, n_in + n_out)]
    if inputs is not None:
        out["csv_inputs"] = inputs
    if targets is not None:
        out["csv_targets"] = targets
    return out


def to_config(values: dict) -> dict:
    """The create config; raises FormError for what cannot even be parsed."""
    layers = parse_layers(values["layers"])
    depth = len(layers) - 1
    if not 1 <= depth <= MAX_ACT_FIELDS:
        raise FormError("layers", f"has {len(layers)} layers; give 2 to {MAX_ACT_FIELDS + 1} "
                        "counts, input layer first.")
    config = {
        "layers": layers,
        "activations": [values[f"act{i}"] for i in range(1, depth + 1)],
        "loss": values["loss"], "init": values["init"],
        "learning_rate": number(values, "learning_rate", label="Learning rate"),
        "init_scale": number(values, "init_scale", label="Scale"),
        "seed": number(values, "seed", int, "Seed"), "optimizer": values["optimizer"],
    }
    split = number(values, "test_split", label="Test split")
    if not 0 <= split < 100:
        raise FormError("test_split", f"Test split is {split:g} %; give 0 (no test set) to 90 %.")
    if split:
        config["test_split"] = split / 100
    if values["data"] == "csv":
        config.update(csv_config(values, layers))
    else:
        config["dataset"] = dataset(values, layers)
    return config


def dataset(values: dict, layers: list[int]) -> dict:
    out = {"name": values["dataset"], "samples": number(values, "samples", int, "Samples"),
           "noise": number(values, "noise", label="Noise"), "seed": 0}
    if out["name"] == "gauss":
        out["classes"] = layers[-1] if layers[-1] >= 3 else 2
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
    except FormError:
        n = 2
    return min(max(n, 1), MAX_ACT_FIELDS)
