"""The conventions' fields as typed (app/views/conventions.py offers them) → what the service
takes: a create config's conventions, or the edit of a network's."""

from __future__ import annotations

from app.views.conventions import SHUFFLE, current
from app.views.model import NetworkModel
from app.web.forms.fields import number


def to_config(values: dict, m: int | None = None) -> dict:
    """The conventions for the service from the fields as typed; raises FieldError for a
    field that is not even a number. A blank batch size is the whole batch: left out, or
    for an existing network of m training samples, m."""
    out: dict = {}
    for name in ("bias", "reduction", "regularization"):
        if values.get(name) and values[name] != "mixed":
            out[name] = values[name]
    if values.get("shuffle") in SHUFFLE:
        out["shuffle"] = values["shuffle"] == "true"
    size = str(values.get("batch_size", "")).strip()
    if size:
        out["batch_size"] = number(values, "batch_size", int, "Batch size")
    elif m is not None:
        out["batch_size"] = m
    rate = str(values.get("regularization_rate", "")).strip()
    if rate:
        out["regularization_rate"] = number(values, "regularization_rate", float, "Rate λ")
    return out


def changes(values: dict, net: NetworkModel) -> dict:
    """The edit for the service: the fields of `values` that differ from the network's own
    conventions (and loss), as the service takes them."""
    now = current(net)
    wanted = to_config(values, net.m)
    if values.get("loss") and values["loss"] != net.loss:
        wanted["loss"] = values["loss"]
    same = {
        "bias": now["bias"],
        "reduction": net.reduction,
        "shuffle": net.shuffle,
        "regularization": net.regularization,
        "regularization_rate": net.rate,
        "batch_size": net.batch_size if net.batch_size is not None else net.m,
    }
    return {k: v for k, v in wanted.items() if k not in same or same[k] != v}
