"""The lab page `/n/{id}`: its step buttons, Train and the value editor POST here and get
the lab region back (morphed in place).

Every state change goes through the service; the view state (focus, sample, digits, open
editor) comes from the query or hidden inputs. Without JavaScript every form still works:
a POST answers 303 back to the lab page."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.deps import Form, Service
from app.errors import Invalid, NotFound, Refused
from app.service.snapshot import Snapshot
from app.views import announce
from app.views.format import fmt
from app.views.training import paused_words, speed_of
from app.views.viewstate import ViewState, flag
from app.web.forms.edits import EditRefused, apply_edit, current_value, param_name
from app.web.responses import (
    Message,
    after_change,
    changed_elsewhere,
    is_htmx,
    lab_response,
    model_of,
    refused,
    view_of,
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
    snap, params = service.get(nid), request.query_params
    view = view_of(snap, params)
    playing = view.mode == "train" and is_htmx(request) and flag(params.get("play"))
    message = sample_message(params.get("sample"), view, len(snap.net.inputs))
    speed = speed_of(params.get("speed"))
    last = {"announce": spoken_view(snap, view, params)} if is_htmx(request) else None
    return lab_response(
        request, snap, view, playing=playing, message=message, speed=speed, last=last
    )


def spoken_view(snap: Snapshot, view: ViewState, params) -> str:
    """What an htmx GET of the page says: a cancelled edit, the element now focused, or
    (`paused`: the page of a Play that stopped while a refresh was on its way) where
    training stands."""
    if flag(params.get("paused")):
        return paused_words(model_of(snap), view.digits)
    key = str(params.get("cancelled") or "")
    if key:
        try:
            value = current_value(snap, key)
        except EditRefused:
            return ""
        return f"Editing cancelled: {param_name(key)} stays {fmt(value, view.digits)}."
    if view.focus and params.get("focus"):
        return announce.focused(model_of(snap), view.focus, view.sample, view.digits)
    return ""


def sample_message(text, view: ViewState, m: int) -> Message | None:
    """A sample number that names no sample: say so (the page shows the nearest one)."""
    if text is None or str(text).strip() == "" or str(text).strip() == str(view.sample + 1):
        return None
    return Message(
        f"There is no sample {str(text).strip()[:20]}: this network has {m} "
        f"sample{'s' if m != 1 else ''}, numbered 1 to {m}.",
        422,
        f"Showing sample {view.sample + 1}.",
    )


def animated(action: str, before: str, snap: Snapshot) -> dict:
    """Which layers the action computed, for the pulses: `before` is 'phase-layer' as the
    page showed it when the button was pressed."""
    phase, _, layer = before.partition("-")
    at = int(layer) if layer.isascii() and layer.isdigit() and len(layer) <= 6 else 0
    depth, now = snap.net.depth, snap.net.layer
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
def train(nid: str, request: Request, service: Service, form: Form):
    try:
        snap = service.train(nid, iterations(form.get("iterations", "")))
    except Refused as e:
        return refused(request, service, nid, e, form, seen=form.get("seen"))
    last = {"direction": "update", "layers": [], "trained": snap.extra["trained"]}
    return after_change(request, snap, view_of(snap, form), last)


def iterations(text) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        raise Invalid(
            f"iterations: '{text}' is not a whole number; enter how many iterations to "
            "train, e.g. 100",
            field="iterations",
        ) from None


@router.post("/n/{nid}/edit")
def edit(nid: str, request: Request, service: Service, form: Form):
    key, text = str(form.get("key", "")), str(form.get("value", ""))
    before = service.get(nid)
    # what the edit changes, read before it changes it (the service edits the same network)
    was = (before.net.phase, before.net.layer, edited_value(before, key))
    try:
        snap = apply_edit(service, before, key, text)
    except EditRefused as e:
        if not e.in_place:
            return refused(request, service, nid, e, form)
        shown = {"key": key, "value": text, "message": e.message}
        return refused(request, service, nid, e, form, view_changes={"edit": key}, edit_error=shown)
    view = view_of(snap, form, edit=None)
    if snap is before:  # the same value: nothing changed
        return after_change(request, snap, view, {})
    new = fmt(current_value(snap, key), view.digits)
    said = f"{param_name(key)} is now {new} (was {fmt(was[2], view.digits)})."
    if snap.net.phase == "idle" and was[0] != "idle":
        note = Message(f"{said} {discarded(was[0], was[1])}", 200)
        return after_change(request, snap, view, {"announce": ""}, note)
    return after_change(request, snap, view, {"announce": said})


def edited_value(snap: Snapshot, key: str) -> float | None:
    """The value `key` names, or None when it names none (the edit is refused then)."""
    try:
        return current_value(snap, key)
    except EditRefused:
        return None


def discarded(phase: str, layer: int) -> str:
    """What an edit did to the iteration in progress (`phase`, `layer`: before it)."""
    if phase == "updated":
        return (
            "The values of the iteration just updated were cleared, since they belong to the "
            "old parameters: Forward starts the next iteration. Undo brings them back."
        )
    return (
        f"The {phase} pass in progress (at layer {layer}) was discarded, since its "
        "values came from the old value: the iteration starts again with Forward. Undo "
        "brings back the pass and the old value."
    )


@router.post("/n/{nid}/{action}")
def step(nid: str, action: str, request: Request, service: Service, form: Form):
    if action not in STEPS:
        raise NotFound(
            f"no action {action!r}; the lab page's actions are {', '.join(STEPS)}, train and edit"
        )
    seen = form.get("seen")
    try:
        snap = STEPS[action](service, nid)
    except Refused as e:
        return refused(request, service, nid, e, form, seen=seen)
    last = animated(action, str(form.get("at", "")), snap)
    last["elsewhere"] = changed_elsewhere(snap, previous(seen))
    last["action"] = action
    # a step changes values only; Undo and Reset may take back an edit of anything (the
    # network's shape, its title, its data): the whole region then
    parts = action not in ("undo", "reset")
    return after_change(request, snap, view_of(snap, form), last, parts=parts)


def previous(seen):
    """The version the network had before one change, if the page showed `seen`."""
    try:
        return int(str(seen)) + 1
    except (TypeError, ValueError):
        return None
