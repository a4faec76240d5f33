"""Editing one value in place: a weight, bias, input, target or the learning rate. The
page sends the edit key and the typed text; the service gets the full matrices / rows with
that one value changed and validates them (a refusal changes nothing)."""

from __future__ import annotations

import copy
import re

from app.errors import LabError
from engine.notation import sub, sup

KEY = re.compile(r"^(w)-(\d+)-(\d+)-(\d+)$|^([bxy])-(\d+)-(\d+)$|^(lr)$")
FIELDS = {"w": "weights", "b": "biases", "x": "inputs", "y": "targets"}


class EditRefused(Exception):
    """`in_place`: the edited cell is on the page, so the message is shown beside it."""

    def __init__(self, message: str, status: int = 422, in_place: bool = True):
        super().__init__(message)
        self.message, self.status, self.in_place = message, status, in_place


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


def current(state: dict, key: str) -> float | None:
    """The value `key` names now (None if it names nothing)."""
    kind, idx = parse_key(key)
    if kind == "lr":
        return state["learning_rate"]
    target = state[FIELDS[kind]]
    try:
        for i in idx:
            if i < 1:
                return None
            target = target[i - 1]
    except (IndexError, TypeError):
        return None
    return target


def changed(state: dict, key: str, value: float) -> dict:
    """The service edit for `key` (1-based indices as on the page) set to `value`."""
    kind, idx = parse_key(key)
    if kind == "lr":
        return {"learning_rate": value}
    data = copy.deepcopy(state[FIELDS[kind]])
    target = data
    try:
        for i in idx[:-1]:
            if i < 1:
                raise IndexError
            target = target[i - 1]
        if idx[-1] < 1:
            raise IndexError
        target[idx[-1] - 1] = value
    except (IndexError, TypeError):
        raise EditRefused(
            f"'{key}' names no {FIELDS[kind][:-1]} of this network", in_place=False
        ) from None
    return {FIELDS[kind]: data}


def apply_edit(service, state: dict, key: str, text: str) -> dict:
    """Edit through the service; raises EditRefused with the message to show in place. A
    value equal to the current one is no edit at all: the state comes back unchanged (the
    iteration is kept)."""
    value = parse_number(text)
    edits = changed(state, key, value)
    if current(state, key) == value:
        return state
    try:
        return service.edit(state["id"], edits)
    except LabError as e:
        if e.status == 404:
            raise
        raise EditRefused(named(e.message, e.field, key), e.status) from None


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
