"""Numbers and symbols in the article's notation, and the Writer that puts one network's
numbers into them. Formatting only: every number shown is the network's own."""

from __future__ import annotations

from app.views.format import parts
from app.views.model import NetworkModel
from engine.core.activations import ACTIVATIONS

MAX_TERMS = 4  # a longer sum shows its first two terms, \cdots and its last term
MIN_DIGITS, MAX_DIGITS = 1, 12  # decimals an equation may show
DELTA = r"\delta"
DL = r"\frac{\partial \ell}{\partial \hat{y}_{%d}}"  # ∂ℓ/∂ŷ_j


# ---- numbers and symbols ------------------------------------------------------------
def num(x: float, digits: int = 4) -> str:
    """x in the pages' one number format (app/views/format.py) written as LaTeX: `digits`
    decimals (trailing zeros kept), and scientific form, 4.625 \\times 10^{-5}, only where
    the value would show as 0 or is a million or more."""
    mantissa, exponent = parts(x, digits)
    return mantissa if exponent is None else rf"{mantissa} \times 10^{{{exponent}}}"


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


def samples_text(batch: list[int], joiner: str = " and ", most: int = 6) -> str:
    """'1 and 3', '1, 2, 3, …, 9' (1-based, at most `most` named)."""
    names = [str(i + 1) for i in batch]
    if len(names) > most:
        return ", ".join([*names[: most - 2], "…", names[-1]])
    if joiner != " and " or len(names) == 1:
        return joiner.join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def check(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} is {value!r}; it must be an integer from {low} to {high}")


# ---- writing one network's numbers ------------------------------------------------------
class Writer:
    """A network's numbers written into its equations: the read model (app/views/model.py)
    and how many decimals to show."""

    def __init__(self, net: NetworkModel, digits: int):
        check("digits", digits, MIN_DIGITS, MAX_DIGITS)
        self.net, self.digits = net, digits
        self.L, self.m = net.L, net.m
        # the iteration's batch, and how L combines its samples (mean or sum)
        self.b, self.batch, self.summed = net.b, net.batch, net.reduction == "sum"

    def a_prev(self, l: int, i: int, k: int) -> float:
        """a^{l-1}_k of sample i (x_k for l = 1), computed before layer l could be."""
        return self.net.known("a", l - 1, i, k)

    def n(self, x: float) -> str:
        return signed(x, self.digits)

    def op(self, x: float) -> str:
        return operand(x, self.digits)

    def tag(self, i: int) -> str:
        return f" (sample {i + 1} of {self.m})" if self.m > 1 else ""

    # ---- over the batch: (1/m) Σ_i, Σ_i, or one sample ----------------------------------
    def over(self, body: str) -> str:
        """`body` (indexed by i) combined over the batch as L combines the samples: the
        mean (1/b) Σ_i, or the sum Σ_i; i runs over 1..m, or over the batch B of a
        mini-batch."""
        limits = r"_{i \in B}" if self.net.minibatch else rf"_{{i=1}}^{{{self.b}}}"
        total = rf"\sum{limits} {body}"
        return total if self.summed else rf"\frac{{1}}{{{self.b}}}{total}"

    def combined(self, items: list[str]) -> str:
        """`over` with the numbers: (1/b)(t₁ + … + t_b), or t₁ + … + t_b."""
        if len(items) == 1:
            return items[0]
        return terms(items) if self.summed else mean(items, self.b)

    def how(self) -> str:
        """How the batch's samples are combined, for a title: ': the mean over 4 samples',
        ': the sum over this batch's 2 samples (1 and 3)'."""
        word = "sum" if self.summed else "mean"
        if not self.net.minibatch:
            return f": the {word} over {self.b} samples"
        return f": the {word} over this batch's {self.b} samples ({samples_text(self.batch)})"

    def batch_set(self) -> str:
        """B = {1, 3}: the batch's samples, 1-based."""
        return rf"B = \{{{samples_text(self.batch, ', ')}\}}"
