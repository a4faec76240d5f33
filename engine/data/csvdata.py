"""Samples from CSV text: inputs and targets chosen by column, or one-hot targets built
from a label column. Errors name the line and the problem."""

from __future__ import annotations

import csv
import io
import math

import numpy as np

from .. import limits
from ..errors import SpecError


def _rows(text: str, most: int) -> list[tuple[int, list[str]]]:
    """(line number, cells) of the non-empty lines, at most `most` of them: the reading
    stops at the first line past them (a huge paste costs no more than the limit's worth)."""
    if not isinstance(text, str) or not text.strip():
        raise SpecError("csv", "is empty; paste or upload rows of comma-separated numbers")
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = [c.strip() for c in cells]
        if any(cells):
            rows.append((number, cells))
            if len(rows) >= most:
                break
    return rows


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _column(spec, header: list[str] | None, width: int, what: str) -> int:
    """A column given by 0-based index or by header name."""
    if isinstance(spec, bool) or not isinstance(spec, (int, str)):
        raise SpecError(what, f"{spec!r} is not a column: give a 0-based index or a header name")
    if isinstance(spec, str) and not (spec.isascii() and spec.isdecimal()):
        if header is None or spec not in header:
            raise SpecError(what, f"no column named {spec!r}; the header is {header}")
        return header.index(spec)
    index = int(spec)
    if not 0 <= index < width:
        raise SpecError(what, f"column {index} does not exist; columns are 0 to {width - 1}")
    return index


def _table(text: str) -> tuple[list[str] | None, list[tuple[int, list[str]]], int]:
    """(header or None, data rows, width): every row as wide as the first, at most
    MAX_SAMPLES of them (refused at the first row past them, before the rest is read)."""
    rows = _rows(text, limits.MAX_SAMPLES + 2)  # a header, the samples, one too many
    header = None
    if rows and not all(_is_number(c) for c in rows[0][1]):
        header = rows[0][1]
        rows = rows[1:]
    if not rows:
        raise SpecError("csv", "has a header but no data rows")
    if len(rows) > limits.MAX_SAMPLES:
        line = rows[limits.MAX_SAMPLES][0]
        raise SpecError(
            "csv",
            f"has more than {limits.MAX_SAMPLES} rows (row {limits.MAX_SAMPLES + 1} is on "
            f"line {line}); at most {limits.MAX_SAMPLES} samples: keep the first "
            f"{limits.MAX_SAMPLES}",
        )
    width = len(header) if header else len(rows[0][1])
    for number, cells in rows:
        if len(cells) != width:
            raise SpecError("csv", f"line {number}: expected {width} values, found {len(cells)}")
    return header, rows, width


def _one_hot(rows, label_col: int) -> tuple[np.ndarray, list[str]]:
    """One-hot targets over the sorted distinct values of the label column, and those."""
    names = [cells[label_col] for _, cells in rows]
    classes = sorted(
        set(names), key=lambda s: (not _is_number(s), float(s) if _is_number(s) else 0, s)
    )
    if len(classes) > limits.MAX_NEURONS:
        raise SpecError("label", f"has {len(classes)} classes; at most {limits.MAX_NEURONS}")
    return np.eye(len(classes))[[classes.index(n) for n in names]], classes


def parse_csv(text: str, inputs=None, targets=None, label=None):
    """Return (x (m, n_in), y (m, n_out), info). By default every column but the last is an
    input and the last is the target. With `label`, targets are one-hot over the sorted
    distinct labels of that column (info["classes"] lists them)."""
    header, rows, width = _table(text)
    label_col = None if label is None else _column(label, header, width, "label")
    default_targets = [] if label_col is not None else [width - 1]
    t_cols = (
        default_targets
        if targets is None
        else [_column(c, header, width, "targets") for c in targets]
    )
    used = set(t_cols) | ({label_col} if label_col is not None else set())
    i_cols = (
        [c for c in range(width) if c not in used]
        if inputs is None
        else [_column(c, header, width, "inputs") for c in inputs]
    )
    if not i_cols:
        raise SpecError("inputs", "no input columns are left; choose at least one")
    x = _numbers(rows, i_cols, "inputs")
    info: dict[str, object] = {}
    if label_col is not None:
        y, info["classes"] = _one_hot(rows, label_col)
    elif not t_cols:
        raise SpecError("targets", "choose at least one target column or a label column")
    else:
        y = _numbers(rows, t_cols, "targets")
    for what, arr in (("inputs", x), ("targets", y)):
        if arr.shape[1] > limits.MAX_NEURONS:
            raise SpecError(what, f"has {arr.shape[1]} columns; at most {limits.MAX_NEURONS}")
    info.update(header=header, input_columns=i_cols, target_columns=t_cols, label_column=label_col)
    return x, y, info


def _numbers(rows, cols: list[int], what: str) -> np.ndarray:
    out = np.empty((len(rows), len(cols)))
    for r, (number, cells) in enumerate(rows):
        for c, col in enumerate(cols):
            try:
                v = float(cells[col])
            except ValueError:
                raise SpecError(
                    "csv",
                    f"line {number}, column {col}: {cells[col]!r} is not a "
                    f"number (it is one of the {what})",
                ) from None
            if not math.isfinite(v) or abs(v) > limits.MAX_ABS_VALUE:
                raise SpecError(
                    "csv",
                    f"line {number}, column {col}: {cells[col]!r} is not a "
                    f"finite number within ±{limits.MAX_ABS_VALUE:g}",
                )
            out[r, c] = v
    return out
