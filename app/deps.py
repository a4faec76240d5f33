"""FastAPI dependencies: the service comes in through one, so a test can swap it; a
network's id and watch id from the path (one that cannot be an id is simply not found);
the network a watch id names, read-only; and the client's address."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends, Path, Request
from starlette.datastructures import FormData, UploadFile

from app.errors import Invalid, NotFound
from app.service.lab import LabService
from app.service.sharing import unknown_watch
from app.service.snapshot import Snapshot

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
URLENCODED = "application/x-www-form-urlencoded"
MAX_FIELDS = 1000  # fields of one urlencoded form (the pages' largest has under 30)


async def get_service(request: Request) -> LabService:
    """Async: it only reads app state, so it runs on the event loop, not in a thread."""
    return request.app.state.service


Service = Annotated[LabService, Depends(get_service)]


async def network_id(nid: Annotated[str, Path(description="the network's id")]) -> str:
    """The id from the path; one that cannot be an id is simply not found."""
    if not ID_PATTERN.fullmatch(nid):
        raise NotFound("no network with that id; create one with POST /api/networks")
    return nid


NetworkId = Annotated[str, Depends(network_id)]


async def watch_id(
    watch_id: Annotated[str, Path(description="the network's watch id (its read-only link)")],
) -> str:
    """The watch id from the path; one that cannot be a watch id is simply not found."""
    if not ID_PATTERN.fullmatch(watch_id):
        raise unknown_watch(watch_id[:64])
    return watch_id


WatchId = Annotated[str, Depends(watch_id)]


def watched(watch_id: WatchId, service: Service) -> Snapshot:
    """The network this watch id names, read once, read-only (its Snapshot's id is the
    watch id: app/service/snapshot.py); 404 when there is none. A plain function: FastAPI
    runs it in a worker thread, as the routes that read the database."""
    return service.watch(watch_id)


Watched = Annotated[Snapshot, Depends(watched)]


async def client_address(request: Request) -> str | None:
    """The address the request came from (a trusted proxy's X-Forwarded-For, if set up):
    what the creation limit counts."""
    return request.client.host if request.client else None


Client = Annotated[str | None, Depends(client_address)]


async def form_of(request: Request) -> FormData:
    """The request's form (urlencoded or multipart), read on the event loop, so that the
    route itself can be a plain function: FastAPI runs it in a worker thread, and a long
    train or a large page does not hold up the other requests of the process. An
    urlencoded form (what every form of the pages sends) is split by the standard
    library, decoded as Starlette decodes it, in a fifteenth of the time of the multipart
    parser's callbacks; at most MAX_FIELDS fields."""
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind != URLENCODED:
        return await request.form()
    text = (await request.body()).decode("latin-1")
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise Invalid(
            f"form: more than {MAX_FIELDS} fields; send the page's own form",
            field="form",
            limit=MAX_FIELDS,
        ) from None
    fields: list[tuple[str, str | UploadFile]] = list(pairs)
    return FormData(fields)


Form = Annotated[FormData, Depends(form_of)]
