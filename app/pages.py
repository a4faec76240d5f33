"""HTML pages and htmx fragments: the start page with presets and the builder, and the lab
page `/n/{id}` whose step buttons POST here and get the lab region back (morphed in place).

Every state change goes through the service; the view state (focus, sample, digits, open
editor) comes from the query or hidden inputs. Without JavaScript every form still works:
a POST answers 303 back to the lab page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from . import builder
from .deps import Service
from .diagram import mini
from .edits import EditRefused, apply_edit
from .errors import LabError, NotFound
from .views import View, lab_context, parse_view

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


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(request: Request, name: str, context: dict, status: int = 200) -> Response:
    response = request.app.state.templates.TemplateResponse(request, name, context,
                                                            status_code=status)
    response.headers["Vary"] = "HX-Request"  # the same URL answers a page or a fragment
    return response


def lab_response(request: Request, state: dict, view: View, status: int = 200,
                 **extra) -> Response:
    """The lab region for htmx (with the URL to show), else the whole page."""
    context = lab_context(state, view, **extra)
    url = f"/n/{state['id']}{context['view'].query()}"
    if is_htmx(request):
        response = render(request, "_lab.html", context, status)
        response.headers["HX-Replace-Url"] = url
    else:
        response = render(request, "lab.html", context, status)
    return response


def after_change(request: Request, state: dict, view: View, last: dict) -> Response:
    if is_htmx(request):
        return lab_response(request, state, view, last=last)
    return RedirectResponse(f"/n/{state['id']}{view.query()}", status_code=303)


def refused(request: Request, service, nid: str, view: View, exc: LabError,
            edit_error: dict | None = None) -> Response:
    """The lab page again, unchanged, with the service's message shown in place."""
    state = service.get(nid)
    message = None if edit_error else {"text": exc.message, "status": exc.status,
                                       "remedy": exc.extra.get("remedy")}
    return lab_response(request, state, view, exc.status, message=message,
                        edit_error=edit_error)


# ---- start page --------------------------------------------------------------------
def index_context(service, values: dict | None = None, errors: dict | None = None) -> dict:
    presets = [{**p, "mini": mini(p["layers"])} for p in service.presets()]
    values = values or builder.form_values({})
    return {"presets": presets, "values": values, "errors": errors or {},
            "options": builder.OPTIONS, "act_count": builder.act_count(values)}


@router.get("/")
def index(request: Request, service: Service):
    return render(request, "index.html", index_context(service))


@router.get("/builder")
def builder_form(request: Request, service: Service):
    """The builder again with as many activation fields as the layers typed (htmx)."""
    values = builder.form_values(request.query_params)
    return render(request, "_builder.html", index_context(service, values))


@router.post("/")
async def create(request: Request, service: Service):
    values = builder.form_values(await request.form())
    try:
        state = service.create(builder.to_config(values))
    except builder.FormError as e:
        return builder_errors(request, service, values, e.field, e.message)
    except LabError as e:
        return builder_errors(request, service, values, e.field, e.message)
    return RedirectResponse(f"/n/{state['id']}", status_code=303)


def builder_errors(request, service, values: dict, field: str | None, message: str):
    name = builder.field_for(field)
    if name == "activations":
        name = f"act{builder.act_count(values)}"
    context = index_context(service, values, {name: message})
    return render(request, "_builder.html" if is_htmx(request) else "index.html", context, 422)


@router.post("/presets/{name}")
def open_preset(name: str, service: Service):
    state = service.create({"preset": name})
    return RedirectResponse(f"/n/{state['id']}", status_code=303)


# ---- lab page ------------------------------------------------------------------------
@router.get("/n/{nid}")
def lab(nid: str, request: Request, service: Service):
    state = service.get(nid)
    return lab_response(request, state, parse_view(request.query_params, state))


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
        exc = LabError(f"iterations: '{form.get('iterations', '')}' is not a whole number; "
                       "enter how many iterations to train, e.g. 100", field="iterations")
        exc.status = 422
        return refused(request, service, nid, view, exc)
    except LabError as e:
        return refused(request, service, nid, view, e)
    return after_change(request, state, view, {"direction": "update", "layers": [],
                                               "trained": state.get("trained")})


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
        return refused(request, service, nid, View(view.focus, view.sample, view.digits, key),
                       exc, {"key": key, "value": text, "message": e.message})
    return after_change(request, state, View(view.focus, view.sample, view.digits), {})


@router.post("/n/{nid}/{action}")
async def step(nid: str, action: str, request: Request, service: Service):
    if action not in STEPS:
        raise NotFound(f"no action {action!r}; the lab page's actions are "
                       f"{', '.join(STEPS)}, train and edit")
    form = await request.form()
    view = parse_view(form, service.get(nid))
    try:
        state = STEPS[action](service, nid)
    except LabError as e:
        if e.status == 404:
            raise
        return refused(request, service, nid, view, e)
    return after_change(request, state, view, animated(action, str(form.get("at", "")), state))
