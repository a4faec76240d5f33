"""Exercise sheets for a class: what a teacher chose (an architecture, the conventions, a
class code and a count) checked into a ClassSpec, each student's network drawn from the
class code and the student's number, and the networks that sheets' codes open.

Student n of class C gets the seed s = student_seed(C, n) (app/service/sheetcode.py: a
SHA-256 of the class code plus n) and, from NumPy's default_rng(s), every weight and bias
uniform in [−1, 1] and every input too, rounded to two decimals (so that the numbers on
the sheet are the network's exactly), and targets the loss can take (0 or 1 for bce, one
class for cce, values in the output's range for the squared losses). The sheet's code
carries the class and s, so it makes the same network again with no stored state."""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass
from itertools import pairwise

import numpy as np

import engine
from app.errors import Invalid
from app.service import sheetcode as sc
from app.service.records import engine_errors
from app.service.sheetcode import BadCode, ClassSpec

MAX_STUDENTS = 200
MAX_CLASS_CODE = 40  # characters
UNIT_OUTPUTS = ("sigmoid", "relu")  # squared losses: targets in [0, 1] after these, else [−1, 1]
PRESET_FIELDS = ("layers", "activations", "loss", "learning_rate", "optimizer")


@dataclass(frozen=True)
class Student:
    number: int
    seed: int
    code: str


@dataclass(frozen=True)
class Roster:
    """A class: its spec and token, its code and the students first..last of it."""

    spec: ClassSpec
    token: str
    class_code: str
    count: int
    students: tuple[Student, ...]


# ---- what the teacher chose --------------------------------------------------------
def class_spec(data: dict) -> ClassSpec:
    """A ClassSpec from `data` (the JSON body or the form's fields: a preset's
    architecture under the fields given); Invalid (422) naming the field and its limit."""
    data = {k: v for k, v in data.items() if v not in (None, "")}
    if "preset" in data:
        preset = engine.PRESETS.get(str(data["preset"]))
        if preset is None:
            raise Invalid(
                f"preset: no preset {data['preset']!r}; see GET /api/presets", field="preset"
            )
        data = {**{k: preset[k] for k in PRESET_FIELDS if k in preset}, **data}
    layers = sizes(data.get("layers"))
    acts = words(data.get("activations"), "activations")
    if len(acts) != len(layers) - 1:
        raise Invalid(
            f"activations: {len(acts)} given for {len(layers) - 1} layers with weights; give one "
            "per layer after the input",
            field="activations",
        )
    spec = ClassSpec(layers, acts, **{k: choice(k, data[k]) for k in CHOSEN if k in data})
    if spec.batch_size is not None and spec.batch_size > spec.samples:
        raise Invalid(
            f"batch_size: {spec.batch_size} is more than the {spec.samples} samples each "
            "student gets; give at most that, or leave it empty for the whole batch",
            field="batch_size",
        )
    with engine_errors():  # what the engine refuses (softmax without cce, bce's outputs …)
        engine.create_network(student_config(spec, 0))
    return spec


def sizes(value) -> tuple[int, ...]:
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    limit = (
        f"give {sc.MIN_LAYERS} to {sc.MAX_LAYERS} layers (input first) of {sc.MIN_NEURONS} to "
        f"{sc.MAX_NEURONS} neurons each, e.g. 2, 2, 1: exercise sheets are worked by hand"
    )
    try:
        layers = tuple(int(x) for x in items)
    except (TypeError, ValueError):
        raise Invalid(
            f"layers: {value!r} is not a list of whole numbers; {limit}", field="layers"
        ) from None
    if not sc.MIN_LAYERS <= len(layers) <= sc.MAX_LAYERS or not all(n in sc.SIZES for n in layers):
        raise Invalid(f"layers: {list(layers)} is outside the limits; {limit}", field="layers")
    return layers


def words(value, field: str) -> tuple[str, ...]:
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(x, str) for x in items):
        raise Invalid(f"{field}: give a list of names, e.g. sigmoid, sigmoid", field=field)
    bad = [x for x in items if x not in sc.ACTS]
    if bad:
        raise Invalid(f"{field}: {bad[0]!r} is not one of {', '.join(sc.ACTS)}", field=field)
    return tuple(items)


CHOSEN = ("loss", "learning_rate", "optimizer", "bias", "reduction", "samples", "batch_size",
          "shuffle", "regularization", "regularization_rate")  # fmt: skip


def choice(name: str, value):
    """`value` as one of sheetcode.CHOICES[name] (numbers and booleans typed as text too)."""
    options = sc.CHOICES[name]
    if name in ("learning_rate", "regularization_rate"):
        return rate(name, value, options)
    if name in ("samples", "batch_size"):
        if str(value) in ("all", "whole"):
            value = None
        elif not isinstance(value, bool):
            with contextlib.suppress(ValueError):
                value = int(str(value))
    if name == "shuffle" and isinstance(value, str):
        value = {"true": True, "on": True, "false": False, "off": False}.get(value.lower(), value)
    if value not in options or isinstance(value, bool) != isinstance(options[0], bool):
        shown = ", ".join("the whole batch" if o is None else str(o) for o in options)
        raise Invalid(f"{name}: {value!r} is not one of {shown}", field=name)
    return value


def rate(name: str, value, options: tuple) -> float:
    limit = (
        f"{name}: for a class, give at most two significant digits from {sc.RATES[0]:g} to "
        f"{sc.RATES[-1]:g} (e.g. 0.5, 0.25, 0.03)"
    )
    try:
        x = float(str(value).replace(",", "."))
    except ValueError:
        raise Invalid(f"{limit}; {value!r} is not a number", field=name) from None
    match = next((o for o in options if abs(o - x) <= 1e-9 * max(1.0, abs(x))), None)
    if match is None:
        raise Invalid(f"{limit}; {value!r} is not", field=name)
    return match


def roster(spec: ClassSpec, class_code, count, first=1, last=None) -> Roster:
    """The class's students first..last (all of them by default), each with its seed and
    its sheet's code; Invalid naming class_code, count, first or last and the limit."""
    code = " ".join(str(class_code or "").split())
    if not 1 <= len(code) <= MAX_CLASS_CODE or not code.isprintable():
        raise Invalid(
            f"class_code: give 1 to {MAX_CLASS_CODE} printable characters (e.g. Physics 2B)",
            field="class_code",
        )
    n = whole("count", count, 1, MAX_STUDENTS)
    first = whole("first", first, 1, n)
    last = whole("last", n if last in (None, "") else last, first, n)
    students = tuple(
        Student(i, s, sc.sheet_code(spec, s))
        for i in range(first, last + 1)
        for s in [sc.student_seed(code, i)]
    )
    return Roster(spec, sc.class_token(spec), code, n, students)


def whole(name: str, value, low: int, high: int) -> int:
    try:
        n = int(str(value).strip())
    except ValueError:
        n = None
    if n is None or not low <= n <= high:
        raise Invalid(f"{name}: {value!r} is not a whole number from {low} to {high}", field=name)
    return n


def read_class(token: str) -> ClassSpec:
    try:
        return sc.read_class(token)
    except BadCode as e:
        raise Invalid(f"class: {token[:80]!r} is not a class's token: {e}", field="class") from None


def read_sheet(code: str) -> tuple[ClassSpec, int]:
    try:
        return sc.read_sheet(code)
    except BadCode as e:
        raise Invalid(
            f"code: {code[:80]!r} is not a sheet's code: {e}; type it as printed on the sheet "
            "(e.g. 6Q84T-Q4NV0-DHNGW-V; letters in either case)",
            field="code",
        ) from None


# ---- each student's network --------------------------------------------------------
def student_config(spec: ClassSpec, seed: int) -> dict:
    """The create config of the student whose seed is `seed` (see the module doc)."""
    rng = np.random.default_rng(seed)

    def draw(*shape: int, low: float = -1.0) -> list:
        return (np.round(rng.uniform(low, 1.0, shape), 2) + 0.0).tolist()

    weights = [draw(n, k) for k, n in pairwise(spec.layers)]
    biases = [draw(n) for n in spec.layers[1:]]
    inputs = draw(spec.samples, spec.layers[0])
    config = asdict(spec)
    del config["samples"]
    return {
        **config,
        "layers": list(spec.layers),
        "activations": list(spec.activations),
        "weights": weights,
        **({} if spec.bias == "none" else {"biases": biases}),
        "inputs": inputs,
        "targets": targets(spec, rng, draw),
        "seed": 0,  # the order of mini-batches: the same for the whole class
    }


def targets(spec: ClassSpec, rng: np.random.Generator, draw) -> list:
    m, n = spec.samples, spec.layers[-1]
    if spec.loss == "bce":
        return rng.integers(0, 2, (m, n)).astype(float).tolist()
    if spec.loss == "cce":
        return np.eye(n)[rng.integers(0, n, m)].tolist()
    return draw(m, n, low=0.0 if spec.activations[-1] in UNIT_OUTPUTS else -1.0)


def network(spec: ClassSpec, seed: int) -> engine.Network:
    with engine_errors():
        return engine.create_network(student_config(spec, seed))
