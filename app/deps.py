"""FastAPI dependencies: the service comes in through one, so a test can swap it; and the
client's address."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from app.service.lab import LabService


async def get_service(request: Request) -> LabService:
    """Async: it only reads app state, so it runs on the event loop, not in a thread."""
    return request.app.state.service


Service = Annotated[LabService, Depends(get_service)]


async def client_address(request: Request) -> str | None:
    """The address the request came from (a trusted proxy's X-Forwarded-For, if set up):
    what the creation limit counts."""
    return request.client.host if request.client else None


Client = Annotated[str | None, Depends(client_address)]


async def form_of(request: Request) -> FormData:
    """The request's form (urlencoded or multipart), read on the event loop, so that the
    route itself can be a plain function: FastAPI runs it in a worker thread, and a long
    train or a large page does not hold up the other requests of the process."""
    return await request.form()


Form = Annotated[FormData, Depends(form_of)]
