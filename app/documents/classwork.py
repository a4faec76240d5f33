"""A class's exercise sheets, one per student on its own page, and the teacher's answer key
with every student's answers, numbered as the sheets are (app/documents/exercise.py). A
class comes as its code, its size and its students (number, sheet's code, network: see
app/service/classes.py).

The students of a class share their network's architecture, conventions and order of
samples, so their handouts have the same equations under the same numbers; only the
numbers differ. The sheets' blanks are made once, from the first student's handout; each
student's sheet gives that student's own parameters and samples (the handout's opening)
and the code that opens their network in the lab."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import engine
from app.documents.exercise import blanks, numbered, sheet_of
from app.documents.handout import Handout, Heading, Shown, Table, Text
from app.documents.worked_example import handout, iterate, opening
from app.views.format import MINUS
from engine.notation import power

# measured (bench.exercises): a student's sheet, and each equation of a student's answers
SHEET_SECONDS, ITEM_SECONDS = 10e-3, 0.25e-3
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


@dataclass(frozen=True)
class Students:
    """Some students of a class: its code and size, each student's number, sheet's code and
    network."""

    class_code: str
    count: int
    sheets: tuple[tuple[int, str, engine.Network], ...]

    def title(self, what: str) -> str:
        first, last = self.sheets[0][0], self.sheets[-1][0]
        who = f"student {first}" if first == last else f"students {first}–{last}"
        return f"{what}: class {self.class_code}, {who} of {self.count}"


def sheets(students: Students, digits: int) -> Handout:
    """Every student's sheet in one document, each opening a section of its own."""
    net = students.sheets[0][2]
    template = numbered(handout(net, digits))
    holes = blanks(template, net)
    start = next(i for i, b in enumerate(template.blocks) if isinstance(b, Heading) and b.phase)
    # each student's sheet is one section (a landmark named for the student): the phases
    # within it are not sections of their own
    phases = [
        replace(b, phase=False) if isinstance(b, Heading) else b for b in template.blocks[start:]
    ]
    out = Handout(students.title("Exercise sheets"), template.net, digits)
    for number, code, student in students.sheets:
        own = opening(iterate(student), digits)
        title = f"Exercise sheet: class {students.class_code}, student {number}"
        doc = Handout(own.title, own.net, digits, [*own.blocks, *phases])
        sheet = sheet_of(doc, holes, title).blocks
        printed = Text(f"Your sheet's code: {code.replace('-', NO_BREAK)}. {OPEN}")
        out.add(Heading(1, title, phase=True), printed, *sheet[1:])
    return out


def key(students: Students, digits: int) -> Handout:
    """Every student's answers, numbered as on the sheets: a table per student."""
    out: Handout | None = None
    for number, code, student in students.sheets:
        doc = numbered(handout(student, digits))
        if out is None:
            out = Handout(students.title("Answer key"), doc.net, digits)
            out.add(Heading(1, out.title), Text(KEY_NOTE.format(digits=digits)))
        rows = tuple(row(b) for b in doc.blocks if isinstance(b, Shown))
        out.add(
            Heading(2, f"Student {number}, code {code}"),
            Table(f"Answers of student {number}", ("No.", "Quantity", "Answer"), rows),
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


def per_part(net: engine.Network, digits: int, seconds: float) -> int:
    """How many students' sheets (or answers) of a class whose networks are like `net` one
    request may make within `seconds` of work: a sheet costs about SHEET_SECONDS (its
    blanks are the class's, made once), a student's answers ITEM_SECONDS an equation."""
    items = sum(1 for b in handout(net, digits).blocks if isinstance(b, Shown))
    return max(1, int(seconds / max(SHEET_SECONDS, items * ITEM_SECONDS)))
