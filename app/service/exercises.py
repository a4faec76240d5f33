"""The one service under the JSON routes and the pages for a class's exercise sheets: a
class from what the teacher chose, its students and their networks, the parts its
documents come in, and the network a sheet's code opens (created through the lab's
service, as any network). How many students one request may make is the documents'
measure (app/documents/classwork.py: per_part), which the routes pass in as `size`."""

from __future__ import annotations

from dataclasses import asdict

import engine
from app.errors import Invalid
from app.service import classes
from app.service.classes import ClassSpec, Roster
from app.service.lab import LabService
from app.service.snapshot import Snapshot

read_class = classes.read_class
spec_of = classes.class_spec


def first_network(roster: Roster) -> engine.Network:
    """The network of the roster's first student: what the class's work is measured on."""
    return classes.network(roster.spec, roster.students[0].seed)


def class_info(roster: Roster, size: int) -> dict:
    """The class as JSON: its token, code and size, its network, each student's sheet
    code, and the parts (first, last) of at most `size` students its sheets and key come
    in."""
    spec: ClassSpec = roster.spec
    return {
        "token": roster.token,
        "class_code": roster.class_code,
        "count": roster.count,
        "spec": {
            **asdict(spec),
            "layers": list(spec.layers),
            "activations": list(spec.activations),
        },
        "students": [{"number": s.number, "code": s.code} for s in roster.students],
        "per_part": size,
        "parts": [
            {"first": a, "last": min(roster.count, a + size - 1)}
            for a in range(1, roster.count + 1, size)
        ],
    }


def part(token: str, class_code, count, first, last) -> Roster:
    """Students first..last of the class with this token."""
    return classes.roster(read_class(token), class_code, count, first or 1, last)


def students(roster: Roster, size: int, seconds: float) -> tuple:
    """(number, sheet's code, network) of each of the roster's students; Invalid (422)
    naming `last` when they are more than `size`, one request's work (`seconds`)."""
    if len(roster.students) > size:
        a = roster.students[0].number
        raise Invalid(
            f"last: students {a}–{roster.students[-1].number} are more than one request may "
            f"make for this network (at most {size}, about {seconds:g} s of work); ask for "
            f"first={a}&last={a + size - 1}, then the next part",
            field="last",
            limit=size,
        )
    return tuple((s.number, s.code, classes.network(roster.spec, s.seed)) for s in roster.students)


def open_sheet(service: LabService, code: str, client: str | None) -> Snapshot:
    """A new network: the one drawn for the sheet with this code."""
    spec, seed = classes.read_sheet(code)
    return service.create(classes.student_config(spec, seed), client)
