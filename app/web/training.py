"""The training view's routes on the lab page: Play / Pause and the refreshes while
playing, the optimiser, the data (dataset, noise, test split, regenerate) and the gradient
check. Every change goes through the service; errors are shown in place."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import Service
from app.errors import LabError
from app.views.lab import core_context
from app.views.training import chunk, gradcheck_view, speed_of, train_context
from app.views.viewstate import parse_view
from app.web.forms.datapanel import regenerate_args
from app.web.forms.fields import FieldError
from app.web.responses import is_htmx, lab_response, refused, render

router = APIRouter()


async def form_view(request: Request, service, nid: str):
    form = await request.form()
    view = replace(parse_view(form, service.get(nid)), mode="train", edit=None)
    return form, view


@router.post("/n/{nid}/play")
async def play(nid: str, request: Request, service: Service):
    """The lab region with the player polling (or, without JavaScript, the page)."""
    form, view = await form_view(request, service, nid)
    state = service.get(nid)
    if state["cursor"]["phase"] in ("forward", "backward"):
        return lab_response(request, state, view, 409, message=MID_PASS)
    if not is_htmx(request):
        return RedirectResponse(f"/n/{nid}{view.query()}", status_code=303)
    return lab_response(request, state, view, playing=True, speed=speed_of(form.get("speed")))


MID_PASS = {
    "text": "Play trains whole iterations, and this one is half done.",
    "status": 409,
    "remedy": "Finish it with Step (or Undo back to its start), then press Play.",
}


@router.post("/n/{nid}/pause")
async def pause(nid: str, request: Request, service: Service):
    form, view = await form_view(request, service, nid)
    if not is_htmx(request):
        return RedirectResponse(f"/n/{nid}{view.query()}", status_code=303)
    return lab_response(request, service.get(nid), view, speed=speed_of(form.get("speed")))


@router.post("/n/{nid}/chunk")
async def train_chunk(nid: str, request: Request, service: Service):
    """One refresh while playing: train a chunk, then only what changed (status, loss
    curve, boundary, diagram, diagnostics) as morphed partials. The player is sent back
    (without its trigger) only when playing has to stop."""
    form, view = await form_view(request, service, nid)
    speed = speed_of(form.get("speed"))
    message, stop = None, False
    try:
        state = service.train(nid, chunk(speed, service.get(nid)))
    except LabError as e:
        if e.status == 404:
            raise
        state, stop = service.get(nid), True
        message = {"text": e.message, "status": e.status, "remedy": e.extra.get("remedy")}
    if state.get("diverged"):
        stop = True
        message = {
            "text": f"Training diverged: {state['diverged']}",
            "status": 422,
            "remedy": "Lower the learning rate (a tenth of it) and press Play again.",
        }
    last = {"trained": state.get("trained")}
    context = core_context(state, view, last, message)
    context["training"] = train_context(service, state, view, not stop, speed)
    context["playing"], context["stop"] = not stop, stop
    return render(request, "_chunk.html", context)


@router.post("/n/{nid}/optimizer")
async def optimizer(nid: str, request: Request, service: Service):
    form, view = await form_view(request, service, nid)
    try:
        state = service.edit(nid, {"optimizer": str(form.get("optimizer", ""))})
    except LabError as e:
        if e.status == 404:
            raise
        return refused(request, service, nid, view, e)
    return done(request, state, view)


@router.post("/n/{nid}/data")
async def data(nid: str, request: Request, service: Service):
    """Regenerate the samples: dataset, samples, noise, test split, and a new seed when
    asked ("Regenerate with a new seed")."""
    form, view = await form_view(request, service, nid)
    state = service.get(nid)
    try:
        dataset, split = regenerate_args(form, state)
        state = service.regenerate(nid, dataset, split)
    except FieldError as e:
        return lab_response(
            request,
            state,
            view,
            422,
            data_error={"field": e.field, "message": e.message, "form": form},
        )
    except LabError as e:
        if e.status == 404:
            raise
        return lab_response(
            request,
            state,
            view,
            e.status,
            data_error={"field": e.field, "message": e.message, "form": form},
        )
    return done(request, state, view)


def done(request: Request, state: dict, view) -> Response:
    if is_htmx(request):
        return lab_response(request, state, view)
    return RedirectResponse(f"/n/{state['id']}{view.query()}", status_code=303)


@router.get("/n/{nid}/gradcheck")
def gradcheck(nid: str, request: Request, service: Service):
    """The gradient check's verdict per layer as a fragment (422: the work limit's
    message, in place)."""
    state = service.get(nid)
    try:
        result = gradcheck_view(service.gradcheck(nid))
    except LabError as e:
        if e.status == 404:
            raise
        return render(
            request,
            "_gradcheck.html",
            {"state": state, "check": None, "error": e.message},
            e.status,
        )
    return render(request, "_gradcheck.html", {"state": state, "check": result, "error": None})
