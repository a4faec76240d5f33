"""The spoken form of an equation (the `alttext` of its <math>), in words of the article's
notation: z^l_j is 'z of neuron j in layer l', w^l_{jk} 'w from neuron k to neuron j in
layer l', ∂L/∂w 'the partial derivative of L with respect to w …', a sum 'the sum over i
of …'. It reads the LaTeX the equations are written in (app/views/equations: the small
set of commands they use); an unknown command is spoken by its name."""

from __future__ import annotations

import re
from functools import lru_cache

PAUSE = "§"  # a pause the reader inserts (a comma, unless an operator follows)
FUNCTIONS = {"sigma", "tanh", "log", "max", "relu", "lrelu", "id", "softmax", "prime", "partial"}
CONNECTIVES = {",", PAUSE, "and so on", "of", "over", "since", "to", "with respect to"}
OPERATORS = {"plus", "minus", "equals", "times", "becomes", "is at most", "is greater than"}
TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|\d+(?:\.\d+)?|[A-Za-z]|\S")
WORDS = {
    r"\eta": "eta",
    r"\mu": "mu",
    r"\epsilon": "epsilon",
    r"\beta": "beta",
    r"\sigma": "sigma",
    r"\delta": "delta",
    r"\ell": "ell",
    r"\partial": "partial",
    r"\tanh": "tanh",
    r"\log": "log",
    r"\max": "max",
    r"\cdot": "times",
    r"\times": "times",
    r"\leftarrow": "becomes",
    r"\le": "is at most",
    r"\cdots": "and so on",
    r"\quad": PAUSE,
    "+": "plus",
    "-": "minus",
    "=": "equals",
    ">": "is greater than",
    "<": "is less than",
    "'": "prime",
    ",": ",",
}
SILENT = {r"\,", r"\!", r"\;", r"\ ", r"\left", r"\right", "&", r"\\"}
NEURONS = {"z", "a", "b", "delta"}  # name^l_j: 'z of neuron j in layer l'


class Reader:
    """A recursive reader over the LaTeX tokens: `sequence` until a closing brace."""

    def __init__(self, latex: str):
        self.tokens = TOKEN.findall(latex)
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def group(self) -> list[str]:
        """A braced group's words, or the next single atom's."""
        if self.peek() == "{":
            self.take()
            words = self.sequence()
            if self.peek() == "}":
                self.take()
            return words
        return self.atom()

    def raw(self) -> str:
        """A braced group's text as written (an index such as 12 or 1i)."""
        if self.peek() != "{":
            return self.take() if self.peek() is not None else ""
        self.take()
        depth, out = 1, []
        while self.peek() is not None:
            token = self.take()
            depth += {"{": 1, "}": -1}.get(token, 0)
            if depth == 0:
                break
            out.append(token)
        return "".join(out)

    def sequence(self) -> list[str]:
        """Atoms in order; two values side by side are a product: 'a times b'."""
        words: list[str] = []
        last = "op"
        while self.peek() not in (None, "}"):
            part = self.scripted()
            if not part:
                continue
            kind = kind_of(part)
            if last == "value" and kind in ("value", "open", "function"):
                words.append("times")
            words += part
            last = "value" if kind == "close" else kind
        return words

    def scripted(self) -> list[str]:
        """An atom with its superscript and subscript, spoken in the article's words."""
        start = self.peek()
        base = self.atom()
        sup = sub = None
        while self.peek() in ("^", "_"):
            mark = self.take()
            if mark == "^":
                sup = self.raw()
            else:
                sub = self.raw()
        name = " ".join(base)
        if sup is not None and sub is not None and name in NEURONS | {"w"}:
            return indexed(name, sup, sub)
        if start == r"\beta" and sub is not None:
            base, sub = [f"beta {sub}"], None
        words = list(base)
        if sub is not None:
            words += spoken(sub)
        if sup is not None:
            words += power(sup)
        return words

    def atom(self) -> list[str]:
        if self.peek() is None:
            return []
        token = self.take()
        if token == "{":
            words = self.sequence()
            if self.peek() == "}":
                self.take()
            return words
        if token in (r"\frac", r"\tfrac"):
            return fraction(self.group(), self.group())
        if token == r"\sqrt":
            return ["the square root of", *self.group(), PAUSE]
        if token == r"\hat":
            return [*self.group(), "hat"]
        if token in (r"\operatorname", r"\text", r"\mathbf", r"\mathrm"):
            return [self.raw().strip()]
        if token == r"\sum":
            return self.total()
        if token in (r"\begin", r"\end"):
            self.raw()
            return []
        if token in SILENT:
            return []
        if token in WORDS:
            return [WORDS[token]]
        return [token.lstrip("\\")]

    def total(self) -> list[str]:
        """\\sum_{i=1}^{m} x: 'the sum over i from 1 to m of x'; \\sum_j x: 'over j'."""
        low = high = None
        while self.peek() in ("^", "_"):
            if self.take() == "_":
                low = self.raw()
            else:
                high = self.raw()
        words = ["the sum"]
        if low:
            var, _, first = low.partition("=")
            words += [f"over {var}"] + ([f"from {first} to {high}"] if first and high else [])
        return [*words, "of"]


def kind_of(part: list[str]) -> str:
    """What an atom's words are to the ones around it: an operator, a function name, an
    opening or closing bracket, or a value."""
    words = [w for w in part if w not in (PAUSE, ",")] or [PAUSE]
    first, last = part[0], words[-1]
    if first in OPERATORS or first in CONNECTIVES or last in CONNECTIVES:
        return "op"
    if last in FUNCTIONS:
        return "function"
    if first in ("(", "["):
        return "open"
    if first in (")", "]"):
        return "close"
    return "value"


def indexed(name: str, layer: str, index: str) -> list[str]:
    """z^{2}_{1} → 'z of neuron 1 in layer 2'; w^{2}_{12} → 'w from neuron 2 to neuron 1
    in layer 2'; a sample index (δ^{1}_{1i}, δ^{1}_{1,i}) → '…, sample i'."""
    parts = index.split(",") if "," in index else list(index)
    sample = None
    if name != "w" and len(parts) == 2:
        sample = parts.pop()
    if name == "w" and len(parts) == 2:
        text = f"w from neuron {parts[1]} to neuron {parts[0]} in layer {layer}"
    else:
        text = f"{name} of neuron {''.join(parts)} in layer {layer}"
    return [text + (f", sample {sample}" if sample else "")]


def spoken(index: str) -> list[str]:
    return [" ".join(Reader(index).sequence())]


def power(exponent: str) -> list[str]:
    if exponent == "2":
        return ["squared"]
    return ["to the power", *Reader(exponent).sequence(), PAUSE]


def fraction(top: list[str], bottom: list[str]) -> list[str]:
    """∂X/∂Y: 'the partial derivative of X with respect to Y'; a/b: 'a over b', or for
    longer parts 'the fraction …, over …, end of fraction'."""
    if top[:1] == ["partial"] and bottom[:1] == ["partial"]:
        return ["the partial derivative of", *top[1:], "with respect to", *bottom[1:], PAUSE]
    if len(top) == 1 and len(bottom) == 1:
        return [*top, "over", *bottom]
    return ["the fraction", *top, PAUSE, "over", *bottom, PAUSE, "end of fraction", PAUSE]


def tidy(words: list[str]) -> str:
    """The words as one line: pauses become commas, except before an operator or a
    closing bracket and where one already stands."""
    text = " ".join(w for w in words if w)
    text = re.sub(rf"{PAUSE}(\s*{PAUSE})+", PAUSE, text)
    ops = "|".join(sorted(OPERATORS | {"over"}, key=len, reverse=True))
    text = re.sub(rf"\s*{PAUSE}\s*(?=({ops})\b|[)\],]|$)", " ", text)
    text = text.replace(f" {PAUSE}", ",").replace(PAUSE, ",")
    text = re.sub(r"\s+([,)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    return re.sub(r"\s+", " ", text).strip(" ,")


@lru_cache(maxsize=8192)
def speak(latex: str) -> str:
    """The spoken form of one side (or a whole equation) written in LaTeX."""
    return tidy(Reader(latex).sequence())


def speak_chain(sides: tuple[str, ...]) -> str:
    """lhs = side = …, spoken: each side's words joined by 'equals'."""
    return " equals ".join(speak_side(s) for s in sides)


# A side's numbers change at every step while its words stay: each decimal is replaced by
# a numbered placeholder, the skeleton is spoken once (cached), and the numbers are put
# back where their placeholders are spoken. A decimal is one token spoken as written, so
# the result is what speaking the side itself says; where the placeholders are not spoken
# once each and in order, the side is spoken as it is.
DECIMAL = re.compile(r"\d+\.\d+")


def placeholder(i: int) -> str:
    return f"{i + 1}.5"


def speak_side(latex: str) -> str:
    numbers = DECIMAL.findall(latex)
    if not numbers:
        return speak(latex)
    count = iter(range(len(numbers)))
    words = speak(DECIMAL.sub(lambda _: placeholder(next(count)), latex))
    if DECIMAL.findall(words) != [placeholder(i) for i in range(len(numbers))]:
        return speak(latex)
    back = iter(numbers)
    return DECIMAL.sub(lambda _: next(back), words)
