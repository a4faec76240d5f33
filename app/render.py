"""Rendering for the page routers: a template response, the lab region (for htmx) or the
whole lab page, and the lab page again with a refusal shown in place."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from .datapanel import DATASET_NAMES, data_values
from .errors import LabError
from .trainview import DEFAULT_SPEED, train_context
from .views import View, lab_context


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(request: Request, name: str, context: dict, status: int = 200) -> Response:
    response = request.app.state.templates.TemplateResponse(request, name, context,
                                                            status_code=status)
    response.headers["Vary"] = "HX-Request"  # the same URL answers a page or a fragment
    return response


def full_context(request: Request, state: dict, view: View, playing: bool = False,
                 speed: int = DEFAULT_SPEED, **extra) -> dict:
    """The lab context, with the training view's when the view shows it."""
    context = lab_context(state, view, **extra)
    context["training"] = None
    if view.mode == "train":
        context["training"] = train_context(request.app.state.service, state, view, playing,
                                            speed)
        context["training"]["data"] = data_values(state, extra.get("data_error"))
        context["training"]["datasets"] = DATASET_NAMES
    context["playing"] = playing
    return context


def lab_response(request: Request, state: dict, view: View, status: int = 200,
                 playing: bool = False, speed: int = DEFAULT_SPEED, **extra) -> Response:
    """The lab region for htmx (with the URL to show), else the whole page."""
    context = full_context(request, state, view, playing, speed, **extra)
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
            edit_error: dict | None = None, **extra) -> Response:
    """The lab page again, unchanged, with the service's message shown in place."""
    state = service.get(nid)
    message = None if edit_error else {"text": exc.message, "status": exc.status,
                                       "remedy": exc.extra.get("remedy")}
    return lab_response(request, state, view, exc.status, message=message,
                        edit_error=edit_error, **extra)


def invalid(message: str, field: str) -> LabError:
    exc = LabError(message, field=field)
    exc.status = 422
    return exc

