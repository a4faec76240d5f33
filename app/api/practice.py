"""Practice checks in the JSON API: POST /api/networks/{id}/check (and, through the same
function, a watcher's check by watch id). A check reads the network and changes nothing."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field, StrictFloat, StrictInt, StrictStr

from app.api.fields import Request
from app.api.routes import NetworkId, errors
from app.deps import Service, Watched
from app.service.practice import MAX_INDEX, CheckRequest, check_value
from app.service.snapshot import Snapshot
from engine.notation import DEFAULT_DIGITS, MAX_DIGITS, MIN_DIGITS
from engine.practice import MISTAKES, QUANTITIES

router = APIRouter(prefix="/api", tags=["api"], responses=errors(404, 409, 422))


class CheckBody(Request):
    quantity: StrictStr = Field(
        max_length=32, description=f"one of {', '.join(QUANTITIES)} (the trace's names)"
    )
    layer: StrictInt = Field(ge=0, le=MAX_INDEX, description="l, 1..L")
    neuron: StrictInt = Field(ge=0, le=MAX_INDEX, description="j, from 1")
    sample: StrictInt | None = Field(
        None, ge=0, le=MAX_INDEX, description="from 1; per-sample values: default the batch's first"
    )
    input: StrictInt | None = Field(
        None,
        ge=0,
        le=MAX_INDEX,
        description="k, from 1: a weight's (grad_w, w, and v, m … of a weight)",
    )
    value: StrictStr | StrictFloat | StrictInt = Field(
        description="the learner's number, or its text: 0.5933, −0,12, 4.6e-5, 4.6×10⁻⁵"
    )
    decimals: StrictInt = Field(
        DEFAULT_DIGITS, ge=MIN_DIGITS, le=MAX_DIGITS, description="the decimals the page shows"
    )
    reveal: bool = Field(False, strict=True, description="also return the right value")

    def request(self) -> CheckRequest:
        return CheckRequest(**self.model_dump())


class Mistake(BaseModel):
    name: str = Field(description=f"one of {', '.join(MISTAKES)}")
    title: str
    explanation: str
    expected_under_mistake: float = Field(description="the number this mistake gives")
    right_term: str = Field(description="the term of `equation` the mistake gets wrong")
    wrong_term: str = Field(description="what the mistake puts in its place")
    also: list[str] = Field(description="other mistakes that give the same number")


class CheckAnswer(BaseModel):
    correct: bool
    tolerance: float = Field(description="half a unit of the last decimal shown")
    mistake: Mistake | None
    quantity: str
    layer: int
    neuron: int
    input: int | None
    sample: int | None
    equation: str = Field(description="the value's equation in symbols")
    version: int = Field(description="the network's version: a check never changes it")
    iteration: int
    value: float | None = Field(None, description="the right value: only with reveal")


def checked(snap: Snapshot, body: CheckBody) -> dict:
    """The check, for a network however the route loaded it (by its id, or read-only by a
    watcher's watch id): the answer names no id."""
    return check_value(snap, body.request())


@router.post("/networks/{nid}/check", response_model=CheckAnswer, response_model_exclude_unset=True)
def check_network(nid: NetworkId, body: CheckBody, service: Service):
    """Practice: is the learner's number for one value right and, if not, which common
    mistake gives it? Values the next action computes, or ones already computed in the
    iteration in progress (409 for later ones, naming what to do first)."""
    return checked(service.get(nid), body)


@router.post(
    "/watch/{watch_id}/check", response_model=CheckAnswer, response_model_exclude_unset=True
)
def check_watched(snap: Watched, body: CheckBody):
    """The same check for a watcher (read-only, by the watch id): practising on what the
    network's owner shows."""
    return checked(snap, body)
