"""The lab page `/n/{id}`: its step buttons, Train and the value editor POST here and get
the lab region back (morphed in place).

Every state change goes through the service; the view state (focus, sample, digits, open
editor) comes from the query or hidden inputs. Without JavaScript every form still works:
a POST answers 303 back to the lab page."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request

from app.deps import Service
from app.errors import LabError, NotFound
from app.views.training import speed_of
from app.views.viewstate import flag, parse_view
from app.web.forms.edits import EditRefused, apply_edit
from app.web.responses import (
    after_change,
    changed_elsewhere,
    invalid,
    is_htmx,
    lab_response,
    refused,
)

router = APIRouter(include_in_schema=False)
STEPS = {
    "forward": lambda s, nid: s.forward(nid),
    "forward-all": lambda s, nid: s.forward(nid, all=True),
    "backward": lambda s, nid: s.backward(nid),
    "backward-all": lambda s, nid: s.backward(nid, all=True),
    "update": lambda s, nid: s.update(nid),
    "step": lambda s, nid: s.step(nid),
    "undo": lambda s, nid: s.undo(nid),
    "reset": lambda s, nid: s.reset(nid),
}


@router.get("/n/{nid}")
def lab(nid: str, request: Request, service: Service):
    state = service.get(nid)
    view = parse_view(request.query_params, state)
    playing = view.mode == "train" and is_htmx(request) and flag(request.query_params.get("play"))
    message = sample_message(request.query_params.get("sample"), view, len(state["inputs"]))
    return lab_response(
        request,
        state,
        view,
        playing=playing,
        message=message,
        speed=speed_of(request.query_params.get("speed")),
    )


def sample_message(text, view, m: int) -> dict | None:
    """A sample number that names no sample: say so (the page shows the nearest one)."""
    if text is None or str(text).strip() == "" or str(text).strip() == str(view.sample + 1):
        return None
    return {
        "text": f"There is no sample {str(text).strip()[:20]}: this network has {m} "
        f"sample{'s' if m != 1 else ''}, numbered 1 to {m}.",
        "status": 422,
        "remedy": f"Showing sample {view.sample + 1}.",
    }


def animated(action: str, before: str, state: dict) -> dict:
    """Which layers the action computed, for the pulses: `before` is 'phase-layer' as the
    page showed it when the button was pressed."""
    phase, _, layer = before.partition("-")
    at = int(layer) if layer.isdigit() else 0
    depth, now = len(state["layers"]) - 1, state["cursor"]["layer"]
    if action.startswith("forward"):
        start = at + 1 if phase == "forward" else 1
        return {"direction": "forward", "layers": list(range(start, now + 1))}
    if action.startswith("backward"):
        start = at - 1 if phase == "backward" else depth
        return {"direction": "backward", "layers": list(range(start, now - 1, -1))}
    if action in ("update", "step"):
        return {"direction": "update", "layers": []}
    return {"direction": "", "layers": []}


@router.post("/n/{nid}/train")
async def train(nid: str, request: Request, service: Service):
    form = await request.form()
    view = parse_view(form, service.get(nid))
    try:
        n = int(str(form.get("iterations", "")).strip())
        state = service.train(nid, n)
    except ValueError:
        return refused(
            request,
            service,
            nid,
            view,
            invalid(
                f"iterations: '{form.get('iterations', '')}' is not a whole number; "
                "enter how many iterations to train, e.g. 100",
                "iterations",
            ),
        )
    except LabError as e:
        return refused(request, service, nid, view, e, seen=form.get("seen"))
    return after_change(
        request, state, view, {"direction": "update", "layers": [], "trained": state.get("trained")}
    )


@router.post("/n/{nid}/edit")
async def edit(nid: str, request: Request, service: Service):
    form = await request.form()
    state = service.get(nid)
    view = parse_view(form, state)
    key, text = str(form.get("key", "")), str(form.get("value", ""))
    try:
        state = apply_edit(service, state, key, text)
    except EditRefused as e:
        exc = LabError(e.message, field=key)
        exc.status = e.status
        if not e.in_place:
            return refused(request, service, nid, view, exc)
        return refused(
            request,
            service,
            nid,
            replace(view, edit=key),
            exc,
            {"key": key, "value": text, "message": e.message},
        )
    return after_change(request, state, replace(view, edit=None), {})


@router.post("/n/{nid}/{action}")
async def step(nid: str, action: str, request: Request, service: Service):
    if action not in STEPS:
        raise NotFound(
            f"no action {action!r}; the lab page's actions are {', '.join(STEPS)}, train and edit"
        )
    form = await request.form()
    view = parse_view(form, service.get(nid))
    seen = form.get("seen")
    try:
        state = STEPS[action](service, nid)
    except LabError as e:
        if e.status == 404:
            raise
        return refused(request, service, nid, view, e, seen=seen)
    last = animated(action, str(form.get("at", "")), state)
    last["elsewhere"] = changed_elsewhere(state, previous(seen))
    return after_change(request, state, view, last)


def previous(seen):
    """The version the network had before one change, if the page showed `seen`."""
    try:
        return int(str(seen)) + 1
    except (TypeError, ValueError):
        return None
