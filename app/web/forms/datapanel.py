"""The lab page's data form: dataset, samples, noise and test split as typed → the
arguments of service.regenerate, or a DataError naming the field."""

from __future__ import annotations

from engine.data.datasets import DATASETS

DATASET_NAMES = list(DATASETS)


class DataError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def number(form, name: str, kind, label: str, default: str):
    text = str(form.get(name, default)).strip()
    try:
        return kind(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise DataError(name, f"{label} must be {what}; got '{text}'.") from None


def regenerate_args(form, state: dict) -> tuple[dict | None, float]:
    """(dataset options or None for the network's own samples, test split as a fraction).
    "reseed" in the form asks for the next seed of the generator."""
    percent = number(form, "test_split", float, "Test split", "0")
    if not 0 <= percent < 100:
        raise DataError("test_split", f"Test split is {percent:g} %; give 0 (no test set) to 90 %.")
    split = percent / 100
    current = state.get("dataset")
    name = str(form.get("dataset", "")).strip()
    if not name or (current is None and name == "own"):
        return None, split
    if name not in DATASET_NAMES:
        raise DataError(
            "dataset", f"Unknown dataset '{name}'; choose one of {', '.join(DATASET_NAMES)}."
        )
    seed = int((current or {}).get("seed", 0) or 0)
    if form.get("reseed"):
        seed = (seed + 1) % 2**32
    dataset = {
        "name": name,
        "seed": seed,
        "samples": number(form, "samples", int, "Samples", "200"),
        "noise": number(form, "noise", float, "Noise", "0.05"),
    }
    if name == "gauss":
        dataset["classes"] = state["layers"][-1] if state["layers"][-1] >= 3 else 2
    return dataset, split


def data_values(state: dict, error: dict | None) -> dict:
    """What the data form shows: what was typed after a refusal, else the network's."""
    if error and error.get("form") is not None:
        form = error["form"]
        return {k: str(form.get(k, "")) for k in ("dataset", "samples", "noise", "test_split")}
    d = state.get("dataset") or {}
    total = len(state["inputs"]) + len(state.get("test_inputs") or [])
    return {
        "dataset": d.get("name", "own"),
        "samples": str(d.get("samples", total)),
        "noise": f"{d.get('noise', 0.05):g}",
        "test_split": f"{round(100 * (state.get('test_split') or 0.0), 1):g}",
    }
