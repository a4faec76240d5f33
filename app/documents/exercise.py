"""Exercise sheets: one iteration of a network as numbered blanks, in the order a student
computes them (forward layer by layer, the loss, backward, the update, with the network's
own conventions), and their answer key, the worked-example handout (worked_example.py)
with the same numbers.

Sheet and key come from one numbered handout (`numbered`): the key is that handout, the
sheet is the same blocks with every equation cut back to its symbols and a blank, and the
results of the iteration (its diagram, the loss after the update) left out. So the two
cannot number differently. The parameters and the samples the iteration starts from are
given on the sheet, as in the handout.

Which sides of an equation are symbols: those that stay the same when the handout is
written with other decimals. Every number of the network is written with the chosen
decimals (trailing zeros kept), so its sides change; a rule's constants (½, 0.01, β) and
the symbols do not."""

from __future__ import annotations

from dataclasses import replace

import engine
from app.documents.handout import Blank, Block, Display, Figure, Handout, Heading, Shown, Text
from app.documents.worked_example import MAX_DIGITS, handout, matrix
from app.views.equations import num
from app.views.equations.mathml import DECIMAL
from app.views.model import NetworkModel

MAX_SAMPLE_ROWS = 8  # samples written out as the sheet's given matrices


def numbered(doc: Handout) -> Handout:
    """`doc` with each equation numbered phase.item ("2.3": the third of the loss), counted
    from 1 in each phase of the iteration."""
    phase = item = 0
    blocks: list[Block] = []
    for b in doc.blocks:
        if isinstance(b, Heading) and b.phase:
            phase, item = phase + 1, 0
        elif isinstance(b, Shown):
            item += 1
            b = replace(b, number=f"{phase}.{item}")
        blocks.append(b)
    return Handout(doc.title, doc.net, doc.digits, blocks)


def retitled(doc: Handout, title: str) -> Handout:
    """`doc` under another title (its first heading too)."""
    blocks = [
        replace(b, text=title) if isinstance(b, Heading) and b.level == 1 else b for b in doc.blocks
    ]
    return Handout(title, doc.net, doc.digits, blocks)


def key(net: engine.Network, digits: int) -> Handout:
    """The answer key: the worked-example handout, numbered as the sheet is."""
    doc = numbered(handout(net, digits))
    return retitled(doc, f"Answer key: {doc.title[0].lower()}{doc.title[1:]}")


def sheet(net: engine.Network, digits: int) -> Handout:
    """The exercise sheet of one iteration of `net` (see the module doc)."""
    doc = numbered(handout(net, digits))
    return sheet_of(doc, blanks(doc, net))


def blanks(doc: Handout, net: engine.Network) -> dict[str, Blank]:
    """Each numbered equation of `doc` (the numbered handout of `net`) in symbols, by its
    number, with the given numbers put in where the equation uses no others."""
    digits = doc.digits
    other = numbered(handout(net, digits + 1 if digits < MAX_DIGITS else digits - 1))
    shown = [b for b in doc.blocks if isinstance(b, Shown)]
    again = [b for b in other.blocks if isinstance(b, Shown)]
    if [b.number for b in shown] != [b.number for b in again]:
        raise LookupError("the handout's equations depend on the decimals shown")
    known = givens(doc.net, digits)
    return {b.number: Blank(b.number, b.title, symbols(b, o, known)) for b, o in zip(shown, again)}


def givens(net: NetworkModel, digits: int) -> set[str]:
    """The given numbers as the equations write them (no sign): the parameters the
    iteration starts from, the samples, η and λ."""
    values = [net.learning_rate, net.rate]
    for l in range(1, net.L + 1):
        values += [x for row in net.traced_weights(l) for x in row] + net.traced_biases(l)
    for i in range(net.m):
        values += net.inputs(i) + net.targets(i)
    return {num(x, digits).lstrip("-") for x in values}


def symbols(b: Shown, other: Shown, known: set[str]) -> str:
    """b's equation up to the first side that holds numbers of the iteration (never its
    result): lhs = symbolic form, and its substitution too when every number in it is
    given (`known`)."""
    sides, kept = b.equation.sides, [b.equation.sides[0]]
    for side, again in zip(sides[1:-1], other.equation.sides[1:-1]):
        if side != again:
            if r"	imes" not in side and set(DECIMAL.findall(side)) <= known:
                kept.append(side)  # the known inputs filled in
            break
        kept.append(side)
    return " = ".join(kept)


def sheet_of(doc: Handout, holes: dict[str, Blank], title: str = "") -> Handout:
    """The numbered handout `doc` as a sheet: each equation the blank of its number, the
    blocks that give results left out, the samples given in full."""
    title = title or f"Exercise: {doc.title[0].lower()}{doc.title[1:]}"
    out = Handout(title, doc.net, doc.digits)
    skipping = 0  # the level of an answer part being left out (0: none)
    for b in doc.blocks:
        if isinstance(b, Heading) and skipping and b.level <= skipping:
            skipping = 0
        if skipping or isinstance(b, Figure) or getattr(b, "answer", False):
            skipping = b.level if isinstance(b, Heading) and b.answer else skipping
            continue
        if isinstance(b, Heading) and b.level == 1:
            out.add(Heading(1, title), instructions(doc.net, doc.digits))
        elif isinstance(b, Shown):
            out.add(holes[b.number])
        else:
            out.add(b)
            if isinstance(b, Heading) and b.text == "The network before the iteration":
                out.add(given_samples(doc.net, doc.digits))
    return out


def instructions(net: NetworkModel, digits: int) -> Text:
    sample = "the sample" if net.m == 1 else "the samples"
    return Text(
        "Work out each numbered blank in order, from the parameters and "
        f"{sample} given below, and write it with {digits} decimals; each answer uses the "
        "ones before it. The answer key has the same numbers."
    )


def given_samples(net: NetworkModel, digits: int) -> Display | None:
    """Every sample of a batch of several (one row each), which its gradients need."""
    if net.m == 1 or net.m > MAX_SAMPLE_ROWS:
        return None
    x = [net.inputs(i) for i in range(net.m)]
    y = [net.targets(i) for i in range(net.m)]
    return Display(
        f"X = {matrix(x, digits)}, \\quad Y = {matrix(y, digits)}",
        lead=f"All {net.m} samples, one row each (sample 1 first)",
    )
