"""Exercise sheets: a network's sheet of blanks and its answer key (under
/api/networks/{id}), a class's sheets and answer key (under /api/classes/{token}: the token
carries the class's network, the query its code and size), and the network a sheet's code
opens (POST /api/sheets/{code}/network). The documents are computed on copies: no network
changes, nothing is stored."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.handouts import Digits
from app.api.routes import BODYLESS, NetworkId, answer, errors
from app.deps import Client, Service
from app.documents import classwork, exercise
from app.documents.handout import Handout
from app.documents.markdown import markdown
from app.documents.printable import page
from app.documents.worked_example import DEFAULT_DIGITS
from app.service import classes, exercises
from app.service.classes import Roster
from app.service.records import engine_errors
from app.spool import SpooledResponse

router = APIRouter(prefix="/api", tags=["api"], responses=errors(404, 422))
KINDS = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}
Ext = Literal["md", "html"]
DOCUMENT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/markdown": {}, "text/html": {}}}
}


def document(doc: Handout, ext: str, name: str, sheet: bool) -> Response:
    text = markdown(doc) if ext == "md" else page(doc, sheet=sheet)
    disposition = {"Content-Disposition": f'inline; filename="{name}.{ext}"'}
    return SpooledResponse([text.encode("utf-8")], headers=disposition, media_type=KINDS[ext])


# ---- one network ---------------------------------------------------------------------
def network_doc(service, nid: str, digits: int, build) -> Handout:
    snap = service.get(nid)
    with engine_errors():
        return build(snap.net, digits)


@router.get("/networks/{nid}/exercise.{ext}", response_class=PlainTextResponse, responses=DOCUMENT)
def exercise_sheet(nid: NetworkId, ext: Ext, service: Service, digits: Digits = DEFAULT_DIGITS):
    """One iteration from the current parameters as numbered blanks, in the order a student
    computes them (forward, loss, backward, update), each equation in symbols, the
    parameters and samples given: Markdown (.md) or a printable page (.html)."""
    doc = network_doc(service, nid, digits, exercise.sheet)
    return document(doc, ext, f"exercise-{nid}", True)


@router.get(
    "/networks/{nid}/exercise-key.{ext}", response_class=PlainTextResponse, responses=DOCUMENT
)
def exercise_key(nid: NetworkId, ext: Ext, service: Service, digits: Digits = DEFAULT_DIGITS):
    """The sheet's answer key: the worked-example handout, its equations numbered as the
    sheet's blanks are."""
    doc = network_doc(service, nid, digits, exercise.key)
    return document(doc, ext, f"exercise-key-{nid}", False)


# ---- a class -------------------------------------------------------------------------
Text = Annotated[str | None, Query(max_length=200)]
Token = Annotated[str, Path(max_length=200, description="the class's token")]


class ClassCreate(BaseModel):
    """A class's network and size; the architecture from `preset` or `layers` and
    `activations`; numbers as numbers or text."""

    model_config = ConfigDict(extra="forbid")
    class_code: str = Field(max_length=200)
    count: int | str
    preset: str | None = Field(None, max_length=100)
    layers: list[int] | str | None = Field(None, max_length=100)
    activations: list[str] | str | None = Field(None, max_length=100)
    loss: str | None = Field(None, max_length=40)
    learning_rate: float | str | None = None
    optimizer: str | None = Field(None, max_length=40)
    bias: str | None = Field(None, max_length=40)
    reduction: str | None = Field(None, max_length=40)
    samples: int | str | None = None
    batch_size: int | str | None = None
    shuffle: bool | str | None = None
    regularization: str | None = Field(None, max_length=40)
    regularization_rate: float | str | None = None


def size_of(service, roster: Roster, digits: int) -> int:
    """How many students of this class one request may make (its documents' measure)."""
    net = exercises.first_network(roster)
    return classwork.per_part(net, digits, service.settings.work_seconds)


def info(service, spec, class_code, count) -> dict:
    roster = classes.roster(spec, class_code, count)
    return exercises.class_info(roster, size_of(service, roster, DEFAULT_DIGITS))


@router.post("/classes")
def create_class(body: ClassCreate, service: Service):
    """A class's students and their sheets' codes, the token of its documents and the
    parts they come in (nothing is stored: the token and codes carry the class)."""
    data = body.model_dump()
    code, count = data.pop("class_code"), data.pop("count")
    return answer(info(service, exercises.spec_of(data), code, count))


@router.get("/classes/{token}")
def get_class(token: Token, service: Service, class_code: Text = None, count: Text = None):
    """The same for a class's token, code and count."""
    return answer(info(service, exercises.read_class(token), class_code, count))


def class_part(
    token: Token,
    service: Service,
    class_code: Text = None,
    count: Text = None,
    first: Text = None,
    last: Text = None,
    digits: Digits = DEFAULT_DIGITS,
) -> tuple[classwork.Students, int]:
    """Students first..last of the class (at most one part of it) and the decimals."""
    roster = exercises.part(token, class_code, count, first, last)
    seconds = service.settings.work_seconds
    sheets = exercises.students(roster, size_of(service, roster, digits), seconds)
    return classwork.Students(roster.class_code, roster.count, sheets), digits


Part = Annotated[tuple[classwork.Students, int], Depends(class_part)]


@router.get("/classes/{token}/sheets.{ext}", response_class=PlainTextResponse, responses=DOCUMENT)
def class_sheets(token: Token, ext: Ext, part: Part):
    """Each student's sheet (first..last) on a page of its own, with the code that opens
    the student's network in the lab."""
    students, digits = part
    return document(classwork.sheets(students, digits), ext, f"sheets-{token}", True)


@router.get("/classes/{token}/key.{ext}", response_class=PlainTextResponse, responses=DOCUMENT)
def class_key(token: Token, ext: Ext, part: Part):
    """The teacher's answer key: every student's answers (first..last), numbered as on the
    sheets."""
    students, digits = part
    return document(classwork.key(students, digits), ext, f"key-{token}", False)


@router.post("/sheets/{code}/network", status_code=201, dependencies=BODYLESS)
def open_sheet(code: Annotated[str, Path(max_length=200)], service: Service, client: Client):
    """A new network, the one the sheet with this code was drawn for → 201 NetworkState."""
    return answer(exercises.open_sheet(service, code, client).state, 201)
