"""Numbers and symbols in the article's notation, and read-only access to a NetworkState.

Formatting only: every number shown comes from the state, nothing is recomputed."""

from __future__ import annotations

from engine.core.activations import ACTIVATIONS

MAX_TERMS = 4  # a longer sum shows its first two terms, \cdots and its last term
MIN_DIGITS, MAX_DIGITS = 1, 12  # decimals an equation may show
DELTA = r"\delta"
DL = r"\frac{\partial \ell}{\partial \hat{y}_{%d}}"  # ∂ℓ/∂ŷ_j


# ---- numbers and symbols ------------------------------------------------------------
def num(x: float, digits: int = 4) -> str:
    """x with `digits` decimals (trailing zeros kept); in scientific form when fewer than
    two significant digits would show, or when |x| ≥ 10⁶."""
    x = float(x) + 0.0  # no "-0.0000"
    if x != 0 and (abs(x) < 10.0 ** -max(digits - 1, 1) or abs(x) >= 1e6):
        mantissa, exponent = f"{x:.{max(digits - 1, 1)}e}".split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return f"{x:.{digits}f}"


def signed(x: float, digits: int = 4) -> str:
    """num(x), grouped when negative so the minus renders as a sign: {-0.0381}."""
    s = num(x, digits)
    return f"{{{s}}}" if s.startswith("-") else s


def operand(x: float, digits: int = 4) -> str:
    """A number inside a substitution: parenthesised when negative or in scientific form."""
    s = num(x, digits)
    return f"({signed(x, digits)})" if s.startswith("-") or r"\times" in s else s


def const(x: float) -> str:
    """A constant of a rule as it is defined, shortest form: 0.9, 0.999, 10^{-8}."""
    s = f"{float(x):g}"
    if "e" not in s:
        return s
    mantissa, exponent = s.split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else rf"{mantissa} \times {power}"


def sym(name: str, layer: int | str, *index: int | str) -> str:
    """name^{layer}_{index…}, e.g. w^{1}_{12}; indices get commas when one has two digits."""
    parts = [str(i) for i in index]
    joined = "".join(parts) if all(len(p) == 1 for p in parts) else ",".join(parts)
    return f"{name}^{{{layer}}}_{{{joined}}}"


def terms(items: list[str]) -> str:
    """a + b + c, or a + b + ⋯ + z when there are more than MAX_TERMS."""
    if len(items) > MAX_TERMS:
        items = [*items[:2], r"\cdots", items[-1]]
    return " + ".join(items)


def mean(items: list[str], m: int) -> str:
    return rf"\frac{{1}}{{{m}}}({terms(items)})"


def yhat(j: int) -> str:
    return rf"\hat{{y}}_{{{j}}}"


def f_sym(act: str) -> str:
    return ACTIVATIONS[act].latex


def check(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} is {value!r}; it must be an integer from {low} to {high}")


# ---- reading the state ----------------------------------------------------------------
class View:
    """Read-only access to a NetworkState, with the parameters its trace was computed with."""

    def __init__(self, state: dict, digits: int):
        check("digits", digits, MIN_DIGITS, MAX_DIGITS)
        self.state, self.digits = state, digits
        self.L = len(state["weights"])
        self.m = len(state["inputs"])
        self.trace = state.get("trace") or {}
        prev = state.get("previous")
        self.updated = state["cursor"]["phase"] == "updated" and prev is not None
        source = prev if self.updated else state
        self.w, self.b = source["weights"], source["biases"]  # what the trace used

    def layer(self, l: int) -> dict:
        layers = self.trace.get("layers") or []
        return layers[l - 1] if l <= len(layers) else {}

    def value(self, l: int, key: str, i: int, j: int) -> float | None:
        """trace layer l's `key` for sample i (0-based), neuron j (1-based), or None."""
        rows = self.layer(l).get(key)
        return None if rows is None else rows[i][j - 1]

    def column(self, l: int, key: str, j: int) -> list[float] | None:
        rows = self.layer(l).get(key)
        return None if rows is None else [row[j - 1] for row in rows]

    def a_prev(self, l: int, i: int, k: int) -> float | None:
        return self.state["inputs"][i][k - 1] if l == 1 else self.value(l - 1, "a", i, k)

    def n(self, x: float) -> str:
        return signed(x, self.digits)

    def op(self, x: float) -> str:
        return operand(x, self.digits)

    def tag(self, i: int) -> str:
        return f" (sample {i + 1} of {self.m})" if self.m > 1 else ""
