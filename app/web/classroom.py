"""The classroom's page routes: Make my own copy, from the edit page (by the edit id) or
from the watch page (by the watch id), answers 303 to the copy's edit page; a title set on
the edit page. Each goes through the service, as the JSON routes do. A watch id is not a
network's id here: /n/{watch id}/… is not found, as on every route that changes a network."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from app.deps import Client, Form, NetworkId, Service, WatchId
from app.errors import Refused
from app.web.responses import after_change, refused, view_of

router = APIRouter(include_in_schema=False)


@router.post("/n/{nid}/copy")
def copy(nid: NetworkId, service: Service, client: Client):
    snap = service.copy(nid, client)
    return RedirectResponse(f"/n/{snap.id}", status_code=303)


@router.post("/w/{watch_id}/copy")
def copy_watched(watch_id: WatchId, service: Service, client: Client):
    snap = service.copy_watched(watch_id, client)
    return RedirectResponse(f"/n/{snap.id}", status_code=303)


@router.post("/n/{nid}/title")
def title(nid: NetworkId, request: Request, service: Service, form: Form):
    text = str(form.get("title", ""))
    try:
        snap = service.set_title(nid, text)
    except Refused as e:
        return refused(request, service, nid, e, form)
    said = f"The title is now “{snap.title}”." if snap.title else "The title is cleared."
    return after_change(request, snap, view_of(snap, form), {"announce": said})
