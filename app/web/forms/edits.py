"""Editing one value in place: a weight, bias, input, target or the learning rate. The
page sends the edit key and the typed text; the service gets the full matrices / rows with
that one value changed and validates them (a refusal changes nothing)."""

from __future__ import annotations

import re

from app.errors import Invalid, Refused
from app.service.lab import LabService
from app.service.snapshot import Snapshot
from engine.notation import sub, sup

KEY = re.compile(
    r"^(w)-(\d{1,6})-(\d{1,6})-(\d{1,6})$|^([bxy])-(\d{1,6})-(\d{1,6})$|^(lr)$", re.ASCII
)  # indices of at most 6 digits: a longer one names nothing
FIELDS = {"w": "weights", "b": "biases", "x": "inputs", "y": "targets"}


class EditRefused(Invalid):
    """`in_place`: the edited cell is on the page, so the message is shown beside it."""

    def __init__(self, message: str, in_place: bool = True):
        super().__init__(message)
        self.in_place = in_place


def parse_number(text: str) -> float:
    try:
        return float(text.strip().replace("−", "-").replace(",", "."))
    except ValueError:
        raise EditRefused(f"'{text}' is not a number; enter e.g. 0.25 or -1.5") from None


def parse_key(key: str) -> tuple[str, list[int]]:
    """'w-2-1-1' → ('w', [2, 1, 1]); 'lr' → ('lr', []); anything else is refused."""
    m = KEY.match(key)
    if not m:
        raise EditRefused(f"'{key}' is not something that can be edited", in_place=False)
    if m.group(8):
        return "lr", []
    if m.group(1):
        return "w", [int(m.group(i)) for i in (2, 3, 4)]
    return m.group(5), [int(m.group(i)) for i in (6, 7)]


def param_name(key: str) -> str:
    """The name the page gives the edited value: w²₁₁, b¹₂, x₁ of sample 3, y₁ of sample 3,
    η."""
    kind, idx = parse_key(key)
    if kind == "lr":
        return "η (learning rate)"
    if kind == "w":
        l, j, k = idx
        return f"w{sup(l)}{sub(j)}{sub(k)}"
    if kind == "b":
        return f"b{sup(idx[0])}{sub(idx[1])}"
    return f"{kind}{sub(idx[1])} of sample {idx[0]}"


def locate(snap: Snapshot, key: str) -> tuple[str, list, int, tuple[int, ...]]:
    """(kind, the arrays of that kind, layer, 0-based place) of the value `key` names
    (1-based indices as on the page); refused when the network has no such value."""
    kind, idx = parse_key(key)
    net = snap.net
    arrays = {"w": net.weights, "b": net.biases, "x": [net.inputs], "y": [net.targets]}[kind]
    layer, *entry = idx if kind in "wb" else [1, *idx]
    place = tuple(i - 1 for i in entry)
    missing = layer < 1 or layer > len(arrays) or min(entry) < 1
    if missing or any(i >= n for i, n in zip(place, arrays[layer - 1].shape)):
        raise EditRefused(f"'{key}' names no {FIELDS[kind][:-1]} of this network", in_place=False)
    return kind, arrays, layer, place


def current_value(snap: Snapshot, key: str) -> float:
    """The value `key` names, as the network holds it."""
    if parse_key(key)[0] == "lr":
        return float(snap.net.spec.learning_rate)
    _, arrays, layer, place = locate(snap, key)
    return float(arrays[layer - 1][place])


def edits_for(snap: Snapshot, key: str, value: float) -> dict | None:
    """The service edit that sets the value `key` names to `value`: the whole matrix or
    rows with that one entry changed; None when the value is already `value` (no edit at
    all: the iteration is kept)."""
    if parse_key(key)[0] == "lr":
        return None if snap.net.spec.learning_rate == value else {"learning_rate": value}
    kind, arrays, layer, place = locate(snap, key)
    if arrays[layer - 1][place] == value:
        return None
    changed = [a.copy() for a in arrays]
    changed[layer - 1][place] = value
    data = [a.tolist() for a in changed]
    return {FIELDS[kind]: data if kind in "wb" else data[0]}


def apply_edit(service: LabService, snap: Snapshot, key: str, text: str) -> Snapshot:
    """Edit through the service (`snap`: the network as the request loaded it); raises
    EditRefused with the message to show in place, carrying the network as it stays."""
    try:
        edits = edits_for(snap, key, parse_number(text))
        return snap if edits is None else service.edit(snap, edits)
    except EditRefused as e:
        e.snapshot = snap
        raise
    except Refused as e:
        refusal = EditRefused(named(e.message, e.field, key))
        refusal.snapshot = e.snapshot
        raise refusal from None


def named(message: str, field: str | None, key: str) -> str:
    """The service's message about e.g. 'weights[1]' told about the edited value instead:
    'w²₁₁: must stay within ±1e+06'."""
    if key == "lr":
        return message  # the page labels the field learning rate η already
    prefix = re.match(r"^[a-z_]+(\[\d+\])*(\.[a-z_]+)?:\s*", message)
    if not prefix:
        return f"{param_name(key)}: {message}"
    rest = message[prefix.end() :].replace("contains a number beyond", "must stay within")
    return f"{param_name(key)}: {rest}"
