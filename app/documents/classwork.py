"""A class's exercise sheets, one per student on its own page, and the teacher's answer key
with every student's answers, numbered as the sheets are (app/documents/exercise.py).

The students of a class share their network's architecture, conventions and order of
samples, so their handouts have the same equations under the same numbers; only the
numbers differ. The sheets' blanks are made once, from the first student's handout; each
student's sheet gives that student's own parameters and samples (the handout's opening)
and the code that opens their network in the lab."""

from __future__ import annotations

import re
from dataclasses import replace

from app.documents.exercise import blanks, numbered, sheet_of
from app.documents.handout import Handout, Heading, Shown, Table, Text
from app.documents.worked_example import handout, iterate, opening
from app.service.classes import Roster, network
from app.views.format import MINUS
from engine.notation import power

ITEM_SECONDS = 0.25e-3  # work per equation per student of the sheets or the key (measured)
NO_BREAK = "\u2011"  # a hyphen that keeps the printed code on one line
OPEN = (
    "Open your network in the lab: on the start page, type this code under “Open a sheet's "
    "network”."
)
KEY_NOTE = (
    "Each student's answers with {digits} decimals, under the numbers of the sheets; the "
    "worked-out equations of any one sheet are in its network's answer key (open the sheet's "
    "code in the lab, then its exercise answer key)."
)
POWER = re.compile(r"^(-?[\d.]+) \\times 10\^\{(-?\d+)\}$")


def class_title(roster: Roster, what: str) -> str:
    first, last = roster.students[0].number, roster.students[-1].number
    who = f"student {first}" if first == last else f"students {first}–{last}"
    return f"{what}: class {roster.class_code}, {who} of {roster.count}"


def sheets(roster: Roster, digits: int) -> Handout:
    """Every student's sheet in one document, each opening a section of its own."""
    first = roster.students[0]
    template = numbered(handout(network(roster.spec, first.seed), digits))
    holes = blanks(template, network(roster.spec, first.seed))
    start = next(i for i, b in enumerate(template.blocks) if isinstance(b, Heading) and b.phase)
    # each student's sheet is one section (a landmark named for the student): the phases
    # within it are not sections of their own
    phases = [
        replace(b, phase=False) if isinstance(b, Heading) else b for b in template.blocks[start:]
    ]
    out = Handout(class_title(roster, "Exercise sheets"), template.net, digits)
    for s in roster.students:
        own = opening(iterate(network(roster.spec, s.seed)), digits)
        title = f"Exercise sheet: class {roster.class_code}, student {s.number}"
        doc = Handout(own.title, own.net, digits, [*own.blocks, *phases])
        sheet = sheet_of(doc, holes, title).blocks
        code = Text(f"Your sheet's code: {s.code.replace('-', NO_BREAK)}. {OPEN}")
        out.add(Heading(1, title, phase=True), code, *sheet[1:])
    return out


def key(roster: Roster, digits: int) -> Handout:
    """Every student's answers, numbered as on the sheets: a table per student."""
    docs = (numbered(handout(network(roster.spec, s.seed), digits)) for s in roster.students)
    out: Handout | None = None
    for s, doc in zip(roster.students, docs):
        if out is None:
            out = Handout(class_title(roster, "Answer key"), doc.net, digits)
            out.add(Heading(1, out.title), Text(KEY_NOTE.format(digits=digits)))
        rows = tuple(row(b) for b in doc.blocks if isinstance(b, Shown))
        out.add(
            Heading(2, f"Student {s.number}, code {s.code}"),
            Table(f"Answers of student {s.number}", ("No.", "Quantity", "Answer"), rows),
        )
    if out is None:
        raise LookupError("a class has at least one student")
    return out


def row(b: Shown) -> tuple[str, str, str]:
    what = f"${b.title.symbol.latex}$" if b.title.symbol else b.title.text
    return (b.number, what, value_text(b.equation.sides[-1]))


def value_text(latex: str) -> str:
    """A result as the equations write it ({-0.0381}, 4.6250 \\times 10^{-5}, 1.0000 \\quad
    \\text{since } …) in plain text, its number only: −0.0381, 4.6250×10⁻⁵, 1.0000."""
    number = latex.split(r"\quad")[0].strip().strip("{}").strip()
    m = POWER.match(number)
    if m:
        number = power(m.group(1), int(m.group(2)))
    return number.replace("-", MINUS)


def per_part(roster: Roster, digits: int, seconds: float) -> int:
    """How many students' sheets (or answers) one request may make within `seconds` of
    work: the equations of one handout (the first student's) times ITEM_SECONDS each."""
    doc = handout(network(roster.spec, roster.students[0].seed), digits)
    items = sum(1 for b in doc.blocks if isinstance(b, Shown))
    return max(1, int(seconds / (items * ITEM_SECONDS)))


def parts(count: int, size: int) -> list[tuple[int, int]]:
    """Students 1..count in parts of `size`: (first, last) of each."""
    return [(a, min(count, a + size - 1)) for a in range(1, count + 1, size)]
