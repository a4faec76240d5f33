"""Kept runs on the lab page: "Keep this run" freezes the loss and accuracy curves as a
ghost that the next run is drawn over; Remove forgets one. Both go through the service
(undoable); a refusal is shown in place."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from app.deps import Form, Service
from app.errors import Invalid, Refused
from app.web.responses import Message, is_htmx, lab_response, refused, view_of

router = APIRouter(include_in_schema=False)


@router.post("/n/{nid}/keep")
def keep(nid: str, request: Request, service: Service, form: Form):
    try:
        snap = service.keep_run(nid)
    except Refused as e:
        return refused(request, service, nid, e, form)
    kept = snap.extra["kept"]
    text = f"Kept {kept['ghost']['label']}: the next run is drawn over it."
    if kept["dropped"]:
        text += f" At most four are kept: {kept['dropped']} went."
    return answer(request, snap, form, text)


@router.post("/n/{nid}/forget")
def forget(nid: str, request: Request, service: Service, form: Form):
    try:
        number = int(str(form.get("number", "")))
        snap = service.forget_run(nid, number)
    except ValueError:
        e = Invalid("number: choose a kept run to remove", field="number")
        return refused(request, service, nid, e, form)
    except Refused as e:
        return refused(request, service, nid, e, form)
    return answer(
        request, snap, form, f"Removed {snap.extra['forgot']['label']}; Undo brings it back."
    )


def answer(request: Request, snap, form, text: str):
    view = view_of(snap, form)
    if not is_htmx(request):
        return RedirectResponse(f"/n/{snap.id}{view.query()}", status_code=303)
    return lab_response(request, snap, view, message=Message(text, 200))
