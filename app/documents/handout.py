"""A handout as structured blocks, written once and rendered three ways: Markdown
(markdown.py), a printable HTML page (printable.py, also the PDF's source) and LaTeX
(latex.py). Words may hold inline maths between single dollar signs ($\\eta = 0.5$)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.views.equations import Equation, to_mathml
from app.views.model import NetworkModel


@dataclass(frozen=True)
class Symbol:
    """A quantity's name, as plain text (z²₁) and as LaTeX (z^{2}_{1})."""

    text: str
    latex: str


@dataclass(frozen=True)
class Title:
    """An equation's heading: `before`, the symbol it computes, `after`, e.g.
    "Weighted input of neuron 1 in layer 2, " z²₁ " (sample 1 of 4)"."""

    before: str
    symbol: Symbol | None = None
    after: str = ""

    @property
    def text(self) -> str:
        return self.before + (self.symbol.text if self.symbol else "") + self.after


@dataclass(frozen=True)
class Heading:
    level: int  # 1: the title; 2: a part (a phase of the iteration starts a new page); 3
    text: str
    phase: bool = False  # one of the iteration's phases: forward, loss, backward, update
    answer: bool = False  # opens a part that gives results: left off an exercise sheet


@dataclass(frozen=True)
class Text:
    text: str  # words with $…$ maths
    note: bool = False  # an aside, set in italics
    answer: bool = False  # gives a result of the iteration: left off an exercise sheet


@dataclass(frozen=True)
class Display:
    """An untitled display equation, after `lead` words (the parameters, the sample)."""

    latex: str
    lead: str = ""

    @property
    def mathml(self) -> str:
        return to_mathml(self.latex)


@dataclass(frozen=True)
class Shown:
    """An equation of the iteration with its numbers, under its heading."""

    title: Title
    equation: Equation
    number: str = ""  # its number on the exercise sheet and its key ("1.3"), once numbered

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title.text}" if self.number else self.title.text


@dataclass(frozen=True)
class Blank:
    """An exercise: the equation of a Shown block in symbols (`latex`: lhs = … up to its
    numbers), to be worked out by the student; `number` is the Shown block's."""

    number: str
    title: Title
    latex: str

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title.text}"

    @property
    def mathml(self) -> str:
        return to_mathml(self.latex + " =")


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # cells: words with $…$ maths


@dataclass(frozen=True)
class Figure:
    """The network's diagram (the lab's SVG) in the state `net`; only the HTML page draws
    it."""

    caption: str
    net: NetworkModel


Block = Heading | Text | Display | Shown | Blank | Table | Figure


@dataclass
class Handout:
    """The blocks in reading order, the network they describe (its read model after the
    iteration) and the decimals every number has."""

    title: str
    net: NetworkModel
    digits: int
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block | None) -> None:
        self.blocks.extend(b for b in blocks if b is not None)
