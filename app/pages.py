"""HTML pages and htmx fragments: the start page with presets and the builder, and the lab
page `/n/{id}` whose step buttons POST here and get the lab region back (morphed in place).

Every state change goes through the service; the view state (focus, sample, digits, open
editor) comes from the query or hidden inputs. Without JavaScript every form still works:
a POST answers 303 back to the lab page."""

from __future__ import annotations

import json
from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from . import builder, training_pages
from .deps import Service
from .diagram import mini
from .edits import EditRefused, apply_edit
from .errors import LabError, NotFound
from .render import after_change, changed_elsewhere, invalid, is_htmx, lab_response, refused, render
from .trainview import speed_of
from .views import flag, parse_view

router = APIRouter(include_in_schema=False)
router.include_router(training_pages.router)  # before the catch-all /n/{nid}/{action}
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


# ---- start page --------------------------------------------------------------------
def index_context(service, values: dict | None = None, errors: dict | None = None) -> dict:
    presets = [{**p, "mini": mini(p["layers"])} for p in service.presets()]
    values = values or builder.form_values({})
    return {
        "presets": presets,
        "values": values,
        "errors": errors or {},
        "summary": builder.summary(errors or {}),
        "options": builder.OPTIONS,
        "act_count": builder.act_count(values),
    }


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
    form = await request.form()
    values = builder.form_values(form)
    upload = form.get("csv_file")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        text = (await upload.read()).decode("utf-8", errors="replace").lstrip("\ufeff")
        values.update(csv=text, data="csv")
    try:
        state = service.create(builder.to_config(values))
    except builder.FormErrors as e:
        return builder_errors(request, service, values, e.errors)
    except LabError as e:
        return builder_errors(request, service, values, {service_field(values, e): e.message})
    return RedirectResponse(f"/n/{state['id']}", status_code=303)


def service_field(values: dict, e: LabError) -> str:
    """The builder field where the service's error about `e.field` is shown."""
    name = builder.field_for(e.field)
    if name == "activations":
        name = f"act{builder.act_count(values)}"
    if values["data"] == "csv" and name == "layers" and "CSV" in e.message:
        name = "csv"  # the samples' columns do not match the layers: said at the CSV
    return name


def builder_errors(request, service, values: dict, errors: dict[str, str]):
    context = index_context(service, values, errors)
    return render(request, "_builder.html" if is_htmx(request) else "index.html", context, 422)


@router.post("/import")
async def import_network(request: Request, service: Service):
    """A network JSON file (as the lab page exports it) → the same network; a bad file →
    the start page with the message, nothing created."""
    upload = (await request.form()).get("network")
    try:
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise BadFile("Choose a network JSON file (Export › Network (JSON) on a lab page).")
        config = imported_config(await upload.read())
        state = service.create(config)
    except BadFile as e:
        return import_error(request, service, str(e))
    except LabError as e:
        where = f" (field {e.field})" if e.field else ""
        return import_error(
            request, service, f"The file does not describe a valid network{where}: {e.message}"
        )
    return RedirectResponse(f"/n/{state['id']}", status_code=303)


class BadFile(Exception):
    """An uploaded file that is not a network JSON file."""


def imported_config(raw: bytes) -> dict:
    try:
        config = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BadFile(
            f"The file is not JSON ({e}); choose a file exported from a lab page."
        ) from None
    if not isinstance(config, dict):
        raise BadFile(
            "The file holds JSON but not a network (an object with layers, "
            "activations, weights …); choose a file exported from a lab page."
        )
    return config


def import_error(request: Request, service, message: str):
    context = {**index_context(service), "import_error": message}
    return render(request, "index.html", context, 422)


@router.post("/presets/{name}")
def open_preset(name: str, service: Service):
    state = service.create({"preset": name})
    return RedirectResponse(f"/n/{state['id']}", status_code=303)


# ---- lab page ------------------------------------------------------------------------
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
