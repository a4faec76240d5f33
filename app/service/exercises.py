"""The one service under the JSON routes and the pages for a class's exercise sheets: a
class from what the teacher chose, its students and the parts its documents come in, and
the network a sheet's code opens (created through the lab's service, as any network)."""

from __future__ import annotations

from dataclasses import asdict

from app.documents import classwork
from app.errors import Invalid
from app.service import classes
from app.service.classes import ClassSpec, Roster
from app.service.lab import LabService
from app.service.snapshot import Snapshot

read_class = classes.read_class


def spec_of(data: dict) -> ClassSpec:
    return classes.class_spec(data)


def class_info(service: LabService, spec: ClassSpec, class_code, count, digits: int = 4) -> dict:
    """The class as JSON: its token, code and size, its network, each student's sheet
    code, and the parts (first, last) its sheets and key come in, each within one
    request's work limit."""
    roster = classes.roster(spec, class_code, count)
    size = classwork.per_part(roster, digits, service.settings.work_seconds)
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
        "parts": [{"first": a, "last": b} for a, b in classwork.parts(roster.count, size)],
    }


def part(service: LabService, token: str, class_code, count, first, last, digits: int) -> Roster:
    """Students first..last of the class; Invalid (422) naming `last` when more than one
    request's work (see class_info's parts)."""
    roster = classes.roster(read_class(token), class_code, count, first or 1, last)
    size = classwork.per_part(roster, digits, service.settings.work_seconds)
    if len(roster.students) > size:
        a = roster.students[0].number
        raise Invalid(
            f"last: students {a}–{roster.students[-1].number} are more than one request may "
            f"make for this network (at most {size}, about {service.settings.work_seconds:g} s "
            f"of work); ask for first={a}&last={a + size - 1}, then the next part",
            field="last",
            limit=size,
        )
    return roster


def open_sheet(service: LabService, code: str, client: str | None) -> Snapshot:
    """A new network: the one drawn for the sheet with this code."""
    spec, seed = classes.read_sheet(code)
    return service.create(classes.student_config(spec, seed), client)
