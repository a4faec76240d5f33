"""The lab page's practice checks: POST /n/{id}/check answers the answer box with its
result (htmx: the result alone, into the box; without JavaScript: a page with the result
and a link back). It goes through the same service function as the JSON API and never
changes the network."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.deps import Form, Service, Watched
from app.errors import Invalid, Refused
from app.service.practice import MAX_INDEX, CheckRequest, judge
from app.service.snapshot import Snapshot
from app.views.practice import result
from app.views.viewstate import flag
from app.web.responses import is_htmx, model_of, page_path, render, view_of
from engine.errors import SpecError
from engine.practice import parse_number

router = APIRouter(include_in_schema=False)


def whole(form, name: str, required: bool = True) -> int | None:
    """A form field as a whole number (None when optional and blank); 422 naming it."""
    text = str(form.get(name, "")).strip()
    if not text and not required:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 7) or int(text) > MAX_INDEX:
        raise Invalid(
            f"{name}: {text[:20]!r} is not a whole number from 0 to {MAX_INDEX}", field=name
        )
    return int(text)


def request_of(form, digits: int) -> CheckRequest:
    return CheckRequest(
        quantity=str(form.get("quantity", ""))[:32],
        layer=whole(form, "layer") or 0,
        neuron=whole(form, "neuron") or 0,
        value=str(form.get("value", ""))[:200],
        sample=whole(form, "check_sample", required=False),
        input=whole(form, "input", required=False),
        decimals=digits,
        reveal=flag(form.get("reveal")),
    )


@router.post("/n/{nid}/check")
def check(nid: str, request: Request, service: Service, form: Form):
    return answered(service.get(nid), request, form)


@router.post("/w/{watch_id}/check")
def check_watched(snap: Watched, request: Request, form: Form):
    """A watcher's check: the same answer box on the watch page (read-only)."""
    return answered(snap, request, form)


def answered(snap: Snapshot, request: Request, form) -> Response:
    view = view_of(snap, form)
    status = 200
    try:
        req = request_of(form, view.digits)
        verdict = judge(snap, req)
        value = verdict.value if req.blank else parse_number(req.value)
        shown = result(verdict, req, model_of(snap), value)
    except (Refused, SpecError) as e:
        status = getattr(e, "status", 422)
        shown = {"error": e.message, "label": ""}
    context = {"result": shown, "back": f"{page_path(snap)}{view.query()}"}
    name = "_practice_result.html" if is_htmx(request) else "practice_result.html"
    return render(request, name, context, status)
