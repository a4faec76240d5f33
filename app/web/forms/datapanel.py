"""The lab page's data form: dataset, samples, noise and test split as typed → the
arguments of service.regenerate, or a FieldError naming the field."""

from __future__ import annotations

import engine
from app.views.model import NetworkModel
from app.web.forms.fields import FieldError, number, test_split
from engine import limits
from engine.data.datasets import DATASETS, DEFAULT_NOISE, DEFAULT_SAMPLES, gauss_classes

DATASET_NAMES = list(DATASETS)


def regenerate_args(form, net: engine.Network) -> tuple[dict | None, float]:
    """(dataset options or None for the network's own samples, test split as a fraction).
    "reseed" in the form asks for the next seed of the generator."""
    split = test_split(form)
    current = net.spec.dataset
    name = str(form.get("dataset", "")).strip()
    if not name or (current is None and name == "own"):
        return None, split
    if name not in DATASET_NAMES:
        raise FieldError(
            "dataset", f"Unknown dataset '{name}'; choose one of {', '.join(DATASET_NAMES)}."
        )
    seed = int((current or {}).get("seed", 0) or 0)
    if form.get("reseed"):
        seed = (seed + 1) % (limits.MAX_SEED + 1)
    dataset = {
        "name": name,
        "seed": seed,
        "samples": number(form, "samples", int, "Samples", str(DEFAULT_SAMPLES)),
        "noise": number(form, "noise", float, "Noise", f"{DEFAULT_NOISE:g}"),
    }
    if name == "gauss":
        dataset["classes"] = gauss_classes(net.spec.layers[-1])
    return dataset, split


def data_values(net: NetworkModel, error: dict | None) -> dict:
    """What the data form shows: what was typed after a refusal, else the network's."""
    if error and error.get("form") is not None:
        form = error["form"]
        return {k: str(form.get(k, "")) for k in ("dataset", "samples", "noise", "test_split")}
    d = net.dataset or {}
    total = net.m + net.test_count
    return {
        "dataset": d.get("name", "own"),
        "samples": str(d.get("samples", total)),
        "noise": f"{d.get('noise', DEFAULT_NOISE):g}",
        "test_split": f"{round(100 * net.test_split, 1):g}",
    }
