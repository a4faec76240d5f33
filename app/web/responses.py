"""How the page routers answer: a template response, the lab region (for htmx) or the
whole lab page made from the request's one Snapshot, and the lab page again with a
refusal shown in place (`refused`, the one way the HTML side shows an error in place)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from app.errors import Refused
from app.service import readouts
from app.service.lab import LabService
from app.service.sharing import MAX_TITLE
from app.service.snapshot import Snapshot
from app.views.display import display_of
from app.views.lab import lab_context
from app.views.model import NetworkModel
from app.views.share import share_context
from app.views.training import DEFAULT_SPEED, thumbnails_shown, train_context
from app.views.viewstate import ViewState, parse_view
from app.web.forms.datapanel import DATASET_NAMES, data_values
from engine.inspect.boundary import DEFAULT_RESOLUTION

ELSEWHERE = (
    "This network was changed in another tab or browser since this page was shown; "
    "the page now shows its current state."
)
CANNOT = re.compile(r"^cannot (\w+) now: (.*)$", re.DOTALL)


@dataclass(frozen=True)
class Message:
    """A refusal or note shown above the diagram (templates/_status.html)."""

    text: str
    status: int
    remedy: str | None = None


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(request: Request, name: str, context: dict, status: int = 200) -> Response:
    response = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status
    )
    response.headers["Vary"] = "HX-Request"  # the same URL answers a page or a fragment
    return response


def model_of(snap: Snapshot) -> NetworkModel:
    """The read model the templates and view-models use, of the request's Snapshot."""
    return NetworkModel(
        snap.net,
        snap.id,
        snap.version,
        snap.undo_levels,
        snap.max_train_iterations,
        snap.watching,
        snap.watch_id,
    )


def page_path(snap: Snapshot) -> str:
    """The lab page's path: /n/{id}, or a watcher's /w/{watch_id}."""
    return f"/w/{snap.id}" if snap.watching else f"/n/{snap.id}"


def training(
    snap: Snapshot,
    net: NetworkModel,
    view: ViewState,
    playing: bool = False,
    speed: int = DEFAULT_SPEED,
) -> dict:
    """The training panel's context, from the plots' data of the same Snapshot."""
    data = readouts.plot_data(snap, DEFAULT_RESOLUTION, thumbnails_shown(net, view))
    return train_context(net, data, view, playing, speed)


def full_context(
    snap: Snapshot,
    net: NetworkModel,
    view: ViewState,
    playing: bool = False,
    speed: int = DEFAULT_SPEED,
    **extra,
) -> dict:
    """The lab context, with the training view's when the view shows it; `stop` in
    `extra` is Play's stop condition as typed (app/web/forms/stopping.py)."""
    stop = extra.pop("stop", None)
    context = lab_context(net, view, playing=playing, **extra)
    context["stop_values"] = stop or {}
    context["training"] = None
    if view.mode == "train":
        context["training"] = training(snap, net, view, playing, speed)
        context["training"]["data"] = data_values(net, extra.get("data_error"))
        context["training"]["datasets"] = DATASET_NAMES
    return context


def view_of(snap: Snapshot, params, **changes) -> ViewState:
    """The view from `params` (the query or the form) read against the network as it is
    now, with `changes` applied."""
    return replace(parse_view(params, model_of(snap)), **changes)


def lab_response(
    request: Request,
    snap: Snapshot,
    view: ViewState,
    status: int = 200,
    playing: bool = False,
    speed: int = DEFAULT_SPEED,
    parts: bool = False,
    **extra,
) -> Response:
    """The lab region for htmx (with the URL to show), else the whole page, laid out for the
    browser's text size and screen. `parts`: a step click, answered with only the regions a
    step changes when the page it came from shows them (`step_parts`)."""
    view = with_display(request, view)
    context = full_context(snap, model_of(snap), view, playing, speed, **extra)
    context["share"] = share_of(str(request.base_url), snap)
    if is_htmx(request):
        name = "_lab_parts.html" if parts and step_parts(request, snap, view) else "_lab.html"
        response = render(request, name, context, status)
        response.headers["HX-Replace-Url"] = f"{page_path(snap)}{view.query()}"
        return response
    return render(request, "lab.html", context, status)


def step_parts(request: Request, snap: Snapshot, view: ViewState) -> bool:
    """Whether an htmx step click may be answered with the step's regions only
    (templates/_lab_parts.html): the request targets the lab region (its buttons' inherited
    hx-target) of the step-through view of the edit page, whose other regions a step
    leaves as they are."""
    return (
        request.headers.get("HX-Target") == "div#lab" and view.mode == "step" and not snap.watching
    )


def share_of(base_url: str, snap: Snapshot) -> dict:
    """The share panel's (or the watch page's note's) context; `base_url`: the server's
    address as the request reached it."""
    return share_context(base_url, snap.watch_id, snap.title, snap.watching, MAX_TITLE)


def with_display(request: Request, view: ViewState) -> ViewState:
    """The view with the text size and screen the browser's cookies ask for."""
    return replace(view, display=display_of(request.cookies))


def after_change(
    request: Request,
    snap: Snapshot,
    view: ViewState,
    last: dict,
    message=None,
    parts: bool = False,
) -> Response:
    """The changed network: the lab region for htmx (with `message`, a note in place; with
    `parts`, a step click: the regions it changed), else 303 back to the lab page."""
    if is_htmx(request):
        return lab_response(request, snap, view, last=last, message=message, parts=parts)
    return RedirectResponse(f"/n/{snap.id}{view.query()}", status_code=303)


def refused(
    request: Request,
    service: LabService,
    nid: str,
    exc: Refused,
    params,
    seen=None,
    view_changes: dict | None = None,
    **extra,
) -> Response:
    """The lab page again, unchanged, with the refusal shown in place: above the diagram,
    or beside the field it is about when `extra` has an `edit_error` or a `data_error`.
    The network is the refusal's Snapshot (loaded here only when the refusal came before
    the service loaded it); the view comes from `params` (`view_changes` applied). `seen`:
    the version the page showed; when the network has moved on since (another tab or
    browser changed it), the message says so."""
    snap = exc.snapshot if exc.snapshot is not None else service.get(nid)
    message = None
    if not extra.get("edit_error") and not extra.get("data_error"):
        text = once(exc.message)
        if changed_elsewhere(snap, seen):
            text = f"{ELSEWHERE} {text}"
        message = Message(text, exc.status, exc.extra.get("remedy"))
    view = view_of(snap, params, **(view_changes or {}))
    return lab_response(request, snap, view, exc.status, message=message, **extra)


def changed_elsewhere(snap: Snapshot, seen) -> bool:
    return seen is not None and str(seen).strip() not in ("", str(snap.version))


def once(text: str) -> str:
    """'cannot forward now: …' under the heading 'Not now' → 'Forward is not the next step:
    …' (the 'now' is said once)."""
    m = CANNOT.match(text)
    if not m:
        return text
    verb, rest = m.group(1), m.group(2)
    if verb in ("forward", "backward", "update"):
        return f"{verb.capitalize()} is not the next step: {rest}"
    return f"{verb.capitalize()} has to wait: {rest}"
