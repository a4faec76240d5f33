"""The training view's routes on the lab page: Play / Pause and the refreshes while
playing, the optimiser, the data (dataset, noise, test split, regenerate) and the gradient
check. Every change goes through the service; refusals are shown in place."""

from __future__ import annotations

import time
from functools import partial

import anyio.to_thread
import orjson
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.deps import Form, Service
from app.errors import Refused
from app.service.lab import LabService
from app.service.snapshot import Snapshot
from app.views import numbers
from app.views.lab import DIGITS, controls, core_context
from app.views.training import (
    FASTEST,
    gradcheck_view,
    paused_words,
    playing_words,
    speed_of,
)
from app.views.viewstate import ViewState
from app.web.forms.datapanel import regenerate_args
from app.web.forms.stopping import condition, stop_values
from app.web.pace import PACE
from app.web.responses import (
    Message,
    is_htmx,
    lab_response,
    model_of,
    refused,
    render,
    training,
    view_of,
    with_display,
)
from engine.limits import MAX_ITERATIONS

router = APIRouter()
# a refresh as numbers: JSON of the page's own (not the API's), compressed like the pages
NUMBERS_TYPE = "application/vnd.backprop-lab.numbers+json"
TRAIN = {"mode": "train", "edit": None}  # the view of every route here
REFRESHES_AT_ONCE = 1  # Play refreshes a worker process runs at once (train_chunk)
MID_PASS = Message(
    "Play trains whole iterations, and this one is half done.",
    409,
    "Finish it with Step (or Undo back to its start), then press Play.",
)


@router.post("/n/{nid}/play")
def play(nid: str, request: Request, service: Service, form: Form):
    """The lab region with the player polling (or, without JavaScript, the page)."""
    snap = service.get(nid)
    view = view_of(snap, form, **TRAIN)
    if snap.net.phase in ("forward", "backward"):
        return lab_response(request, snap, view, 409, message=MID_PASS)
    if not is_htmx(request):
        return RedirectResponse(f"/n/{nid}{view.query()}", status_code=303)
    speed, stop = speed_of(form.get("speed")), stop_values(form)
    said = f"{playing_words(speed)} Press Pause to stop."
    return lab_response(
        request, snap, view, playing=True, speed=speed, last={"announce": said}, stop=stop
    )


@router.post("/n/{nid}/pause")
def pause(nid: str, request: Request, service: Service, form: Form):
    snap = service.get(nid)
    view = view_of(snap, form, **TRAIN)
    if not is_htmx(request):
        return RedirectResponse(f"/n/{nid}{view.query()}", status_code=303)
    last = {"announce": paused_words(model_of(snap), view.digits)}
    speed, stop = speed_of(form.get("speed")), stop_values(form)
    return lab_response(request, snap, view, speed=speed, last=last, stop=stop)


@router.post("/n/{nid}/chunk")
async def train_chunk(nid: str, request: Request, service: Service, form: Form):
    """One refresh while playing: train a chunk (fewer at the stop condition), then only
    what changed (status, loss and accuracy curves, boundary, diagram, diagnostics) as
    morphed partials. The player is sent back (without its trigger) only when playing
    has to stop: a refusal, divergence, or the stop condition met.

    At most REFRESHES_AT_ONCE refreshes of a worker process run at once, each in a worker
    thread under a limiter of their own, not taking one of the THREADS the clicks run in
    (app/server.py); the others wait on the event loop, without CPU. Under a class's
    load, ten players' refreshes would otherwise take most of those threads and share the
    GIL with every click, each click then taking several times its CPU in wall time."""
    limiter = refresh_limiter(request.app.state)
    work = partial(chunk, nid, request, service, form)
    return await anyio.to_thread.run_sync(work, limiter=limiter)


def refresh_limiter(state) -> anyio.CapacityLimiter:
    """The process's limiter of refreshes (made on its event loop, when first needed)."""
    if getattr(state, "refresh_limiter", None) is None:
        state.refresh_limiter = anyio.CapacityLimiter(REFRESHES_AT_ONCE)
    return state.refresh_limiter


def chunk(nid: str, request: Request, service: LabService, form: FormData) -> Response:
    """The work of one refresh (train_chunk), in its own thread."""
    started = time.perf_counter()
    speed, values = speed_of(form.get("speed")), stop_values(form)
    message, snap, seconds = None, service.get(nid), None
    try:
        stop, at = condition(values, snap.net.iteration)
        most = MAX_ITERATIONS if speed == FASTEST else speed  # clamped to the work limit
        n = most if at is None else min(most, at - snap.net.iteration)
        began = time.perf_counter()
        seconds = PACE.seconds(started, began) if speed == FASTEST else None
        if n > 0:  # none left: a refresh that was already on its way when Play stopped
            snap = service.train(snap, n, clamp=True, stop=stop, seconds=seconds)
        if at is not None and snap.net.iteration >= at and not snap.extra.get("stopped"):
            message = Message(f"Stopped at iteration {at}, as asked.", 200)
    except Refused as e:
        snap = e.snapshot or snap
        message = Message(e.message, e.status, e.extra.get("remedy"))
    if snap.extra.get("stopped"):
        message = Message(f"Stopped: {snap.extra['stopped']['reason']}.", 200)
    if snap.extra.get("diverged"):
        message = Message(
            f"Training diverged: {snap.extra['diverged']}",
            422,
            "Lower the learning rate (a tenth of it) and press Play again.",
        )
    view = view_of(snap, form, **TRAIN)
    layout, kept = form.get("layout"), form.get("kept")
    response = refresh(request, snap, view, speed, message, values, layout, kept)
    if seconds is not None and message is None:
        PACE.served(began, seconds, time.perf_counter())
    return response


def refresh(
    request: Request,
    snap: Snapshot,
    view: ViewState,
    speed: int,
    message: Message | None,
    typed: dict | None = None,
    form_layout: object = None,
    kept: object = None,
) -> Response:
    """The partials of one refresh (templates/_chunk.html); a message stops playing, and
    then the controls come back enabled (with the stop condition as `typed`). A refresh is
    never announced (the live region would speak several times a second); a stop is, by
    its message. When the page shows this refresh's layout (`form_layout`, the digest its
    diagram carries), only the numbers are sent (app/views/numbers.py), without the
    partials the page holds as they are (`kept`)."""
    net, stop = model_of(snap), message is not None
    view = with_display(request, view)
    last = {"trained": snap.extra.get("trained"), "announce": ""}
    context = core_context(net, view, last, message, playing=not stop)
    context["training"] = training(snap, net, view, not stop, speed)
    context["stop"] = stop
    if stop:
        where = context["status"]["where"]
        context.update(controls=controls(net, where), edit_error={}, digits_range=DIGITS)
    context["stop_values"] = typed or {}
    context["play_layout"] = numbers.layout(context)
    if not stop and str(form_layout) == context["play_layout"]:
        return numbers_response(request, context, numbers.kept_of(kept))
    return render(request, "_chunk.html", context)


def numbers_response(request: Request, context: dict, kept: frozenset[str]) -> Response:
    """The refresh as numbers (app/views/numbers.py), for a page that shows its layout
    and holds the partials `kept` names."""
    env = request.app.state.templates.env
    render = env.get_template
    payload = numbers.numbers(context, lambda name: render(name).render(context), kept)
    return Response(orjson.dumps(payload), media_type=NUMBERS_TYPE, headers={"Vary": "HX-Request"})


@router.post("/n/{nid}/optimizer")
def optimizer(nid: str, request: Request, service: Service, form: Form):
    try:
        snap = service.edit(nid, {"optimizer": str(form.get("optimizer", ""))})
    except Refused as e:
        return refused(request, service, nid, e, form, view_changes=TRAIN)
    return done(request, snap, view_of(snap, form, **TRAIN))


@router.post("/n/{nid}/data")
def data(nid: str, request: Request, service: Service, form: Form):
    """Regenerate the samples: dataset, samples, noise, test split, and a new seed when
    asked ("Regenerate with a new seed")."""
    snap = service.get(nid)
    try:
        dataset, split = regenerate_args(form, snap.net)
        snap = service.regenerate(snap, dataset, split)
    except Refused as e:
        e.snapshot = e.snapshot or snap
        shown = {"field": e.field, "message": e.message, "form": form}
        return refused(request, service, nid, e, form, view_changes=TRAIN, data_error=shown)
    return done(request, snap, view_of(snap, form, **TRAIN))


def done(request: Request, snap: Snapshot, view: ViewState) -> Response:
    if is_htmx(request):
        return lab_response(request, snap, view)
    return RedirectResponse(f"/n/{snap.id}{view.query()}", status_code=303)


@router.get("/n/{nid}/gradcheck")
def gradcheck(nid: str, request: Request, service: Service):
    """The gradient check's verdict per layer as a fragment (422: the work limit's
    message, in place)."""
    snap = service.get(nid)
    context: dict = {"check": None, "error": None}
    try:
        context["check"] = gradcheck_view(service.gradcheck(snap))
    except Refused as e:
        context["error"] = e.message
        return render(request, "_gradcheck.html", context, e.status)
    return render(request, "_gradcheck.html", context)
