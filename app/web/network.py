"""Changing the network on the lab page without starting over: the diagram's + and −
(a neuron in a hidden layer, a hidden layer), the network card's features, activations,
initialisation and seed. Each goes through the service (undoable) and the page says what
the change kept and drew; a refusal is shown in place."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from app.deps import Form, Service
from app.errors import Refused
from app.web.forms.network import shape_edit
from app.web.responses import Message, is_htmx, lab_response, model_of, refused, view_of

router = APIRouter(include_in_schema=False)


@router.post("/n/{nid}/network")
def change_network(nid: str, request: Request, service: Service, form: Form):
    snap = service.get(nid)
    try:
        snap = service.edit(snap, shape_edit(model_of(snap), form))
    except Refused as e:
        e.snapshot = e.snapshot or snap
        return refused(request, service, nid, e, form)
    view = view_of(snap, form)
    if not is_htmx(request):
        return RedirectResponse(f"/n/{nid}{view.query()}", status_code=303)
    note = Message(changed(snap.extra.get("edit") or {}), 200)
    return lab_response(request, snap, view, message=note)


def changed(report: dict) -> str:
    """'Changed: layers 2–3–1 → 2–4–1: kept 9 weights exactly …' and the iteration."""
    text = report.get("message") or "the network changed"
    return (
        f"{text[0].upper()}{text[1:]}. The iteration in progress starts afresh; Undo takes it back."
    )
