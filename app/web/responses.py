"""Rendering for the page routers: a template response, the lab region (for htmx) or the
whole lab page, and the lab page again with a refusal shown in place."""

from __future__ import annotations

import re

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from app.errors import LabError
from app.views.lab import lab_context
from app.views.training import DEFAULT_SPEED, train_context
from app.views.viewstate import View
from app.web.forms.datapanel import DATASET_NAMES, data_values


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(request: Request, name: str, context: dict, status: int = 200) -> Response:
    response = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status
    )
    response.headers["Vary"] = "HX-Request"  # the same URL answers a page or a fragment
    return response


def full_context(
    request: Request,
    state: dict,
    view: View,
    playing: bool = False,
    speed: int = DEFAULT_SPEED,
    **extra,
) -> dict:
    """The lab context, with the training view's when the view shows it."""
    context = lab_context(state, view, **extra)
    context["training"] = None
    if view.mode == "train":
        context["training"] = train_context(request.app.state.service, state, view, playing, speed)
        context["training"]["data"] = data_values(state, extra.get("data_error"))
        context["training"]["datasets"] = DATASET_NAMES
    context["playing"] = playing
    return context


def lab_response(
    request: Request,
    state: dict,
    view: View,
    status: int = 200,
    playing: bool = False,
    speed: int = DEFAULT_SPEED,
    **extra,
) -> Response:
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


def refused(
    request: Request,
    service,
    nid: str,
    view: View,
    exc: LabError,
    edit_error: dict | None = None,
    seen=None,
    **extra,
) -> Response:
    """The lab page again, unchanged, with the service's message shown in place. `seen`:
    the version the page showed; when the network has moved on since (another tab or
    browser changed it), the message says so."""
    state = service.get(nid)
    message = (
        None
        if edit_error
        else {"text": once(exc.message), "status": exc.status, "remedy": exc.extra.get("remedy")}
    )
    if message and changed_elsewhere(state, seen):
        message["text"] = f"{ELSEWHERE} {message['text']}"
    return lab_response(
        request, state, view, exc.status, message=message, edit_error=edit_error, **extra
    )


ELSEWHERE = (
    "This network was changed in another tab or browser since this page was shown; "
    "the page now shows its current state."
)
CANNOT = re.compile(r"^cannot (\w+) now: (.*)$", re.DOTALL)


def changed_elsewhere(state: dict, seen) -> bool:
    return seen is not None and str(seen).strip() not in ("", str(state["version"]))


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


def invalid(message: str, field: str) -> LabError:
    exc = LabError(message, field=field)
    exc.status = 422
    return exc
