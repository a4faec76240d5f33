"""FastAPI dependencies: the service comes in through one, so a test can swap it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.service.lab import LabService


async def get_service(request: Request) -> LabService:
    """Async: it only reads app state, so it runs on the event loop, not in a thread."""
    return request.app.state.service


Service = Annotated[LabService, Depends(get_service)]
