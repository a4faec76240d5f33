"""One asked value worked out: the right number, the network's own (the trace of the
network after the action that computes it: asks.source), its equation in symbols, and the
number each common mistake gives, recomputed from the equations with that mistake in
place (passes.py and optimisers.py hold the right equations).

Rows are the batch's samples, as in the trace: `r` is the asked sample's row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..core.moves import a_of
from ..core.network import Network
from ..errors import SpecError
from ..notation import sub, sup
from .asks import QUANTITIES, Ask, source, validate


@dataclass(frozen=True)
class Slip:
    """A mistake's number for this ask, and the term of the equation it gets wrong."""

    name: str
    value: float
    right_term: str  # as written in Work.equation
    wrong_term: str  # what the mistake puts in its place


@dataclass(frozen=True)
class Operand:
    """A number the equation's substitution puts in: `known` when the page shows it
    before the next click (else it comes with the same click: written as its symbol)."""

    symbol: str
    value: float
    known: bool = True
    constant: bool = False  # η, μ, β, t: written as given (0.5, 0.9, 2), not to the decimals


@dataclass
class Work:
    ask: Ask
    value: float
    equation: str  # the symbolic equation of the asked value, e.g. z²₁ = Σₖ w²₁ₖ a¹ₖ + b²₁
    slips: list[Slip] = field(default_factory=list)
    form: str = ""  # the equation's right side with {0}, {1} … where the operands go
    operands: tuple[Operand, ...] = ()
    sample: int | None = None  # the asked sample (from 0), for a per-sample quantity
    source: Network | None = None  # the network whose trace holds the value (asks.source)


@dataclass
class Where:
    """The asked value's place: the network holding it, layer l, neuron j (0-based
    index jj), input k (kk), the sample's row r."""

    net: Network
    ask: Ask
    r: int
    fresh: bool = False  # the value comes with the next click (net is the copy after it)

    def op(self, symbol: str, value, same: bool = False) -> Operand:
        """An operand; `same`: computed by the same action as the asked value."""
        return Operand(symbol, float(value), not (same and self.fresh))

    @staticmethod
    def const(symbol: str, value) -> Operand:
        return Operand(symbol, float(value), True, True)

    @property
    def l(self) -> int:  # noqa: E743 (the article's layer index)
        return self.ask.layer

    @property
    def jj(self) -> int:
        return self.ask.neuron - 1

    @property
    def kk(self) -> int:
        return (self.ask.input or 1) - 1

    @property
    def sample(self) -> int:
        """The asked sample's index (from 0)."""
        batch = self.net.trace.batch
        return self.r if batch is None else int(batch[self.r])

    def layer(self, l: int | None = None):
        return self.net.trace.layers[(self.l if l is None else l) - 1]

    @staticmethod
    def known(values: np.ndarray | None) -> np.ndarray:
        """A trace value the step order has computed by now (asks.source made sure)."""
        if values is None:
            raise LookupError("a value the step order guarantees is missing")
        return values

    def a_prev(self) -> np.ndarray:
        """a^{l-1} of every sample of the batch, (b, N_{l-1})."""
        return a_of(self.net, self.l - 1)

    def s(self, name: str, l: int | None = None, j: str | int | None = None) -> str:
        """A symbol: s('a', 1, 'k') → a¹ₖ."""
        j = self.ask.neuron if j is None else j
        return f"{name}{sup(self.l if l is None else l)}{sub(j) if isinstance(j, int) else j}"


def work(net: Network, ask: Ask, twins: dict | None = None) -> Work:
    """The right value of `ask` and each applicable mistake's (SpecError / NotAskable when
    it cannot be asked; `net` is not changed). `twins`: a cache of the copy after the next
    action, for several asks of one network."""
    validate(net, ask)
    src = source(net, ask, twins)
    batch = src.trace.batch if src.trace.batch is not None else np.arange(len(net.inputs))
    sample = int(batch[0]) if ask.sample is None else ask.sample
    rows = np.flatnonzero(batch == sample)
    if QUANTITIES[ask.quantity][1] and not len(rows):
        shown = ", ".join(str(int(i) + 1) for i in batch[:8])
        raise SpecError(
            "sample", f"sample {sample + 1} is not in this iteration's batch (samples {shown})"
        )
    here = Where(src, ask, int(rows[0]) if len(rows) else 0, src is not net)
    from . import backward, forward, update  # the quantities' equations, by stage

    makers: dict[str, Callable[[Where], Work]] = {
        **forward.MAKERS,
        **backward.MAKERS,
        **update.MAKERS,
    }
    result = makers[ask.quantity](here)
    result.sample = sample if QUANTITIES[ask.quantity][1] else None
    result.source = src
    return result


def substitution(w: Work, form: str, *operands: Operand) -> Work:
    """`w` with its substitution: `form` with one {i} per operand."""
    w.form, w.operands = form, tuple(operands)
    return w


def slots(n: int, pattern: str, start: int = 0, sep: str = " + ") -> str:
    """n copies of `pattern`, whose {a}, {b} … name consecutive operands, numbered from
    `start`: slots(2, "{a} · {b}") → '{0} · {1} + {2} · {3}'."""
    names = sorted({pattern[i + 1] for i, c in enumerate(pattern) if c == "{"})
    out = []
    for i in range(n):
        text = pattern
        for offset, name in enumerate(names):
            text = text.replace(f"{{{name}}}", f"{{{start + i * len(names) + offset}}}")
        out.append(text)
    return sep.join(out)


def slips(*pairs: Slip | None) -> list[Slip]:
    """The mistakes that apply (None: not here) and give a finite number."""
    return [p for p in pairs if p is not None and np.isfinite(p.value)]


def slip(name: str, value, right_term: str, wrong_term: str) -> Slip:
    return Slip(name, float(value), right_term, wrong_term)
