"""Editing one value in place: a weight, bias, input, target or the learning rate. The
page sends the edit key and the typed text; the service gets the full matrices / rows with
that one value changed and validates them (a refusal changes nothing)."""

from __future__ import annotations

import copy
import re

from .errors import LabError

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


def changed(state: dict, key: str, value: float) -> dict:
    """The service edit for `key` (1-based indices as on the page) set to `value`."""
    m = KEY.match(key)
    if not m:
        raise EditRefused(f"'{key}' is not something that can be edited", in_place=False)
    if m.group(8):
        return {"learning_rate": value}
    if m.group(1):
        kind, idx = "w", [int(m.group(i)) for i in (2, 3, 4)]
    else:
        kind, idx = m.group(5), [int(m.group(i)) for i in (6, 7)]
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
        raise EditRefused(f"'{key}' names no {FIELDS[kind][:-1]} of this network",
                          in_place=False) from None
    return {FIELDS[kind]: data}


def apply_edit(service, state: dict, key: str, text: str) -> dict:
    """Edit through the service; raises EditRefused with the message to show in place."""
    edits = changed(state, key, parse_number(text))
    try:
        return service.edit(state["id"], edits)
    except LabError as e:
        if e.status == 404:
            raise
        raise EditRefused(e.message, e.status) from None
