"""The JSON API of a network's watch id (its read-only link): the network as a watcher
sees it, a copy of one's own, and (app/api/events.py) the stream of its changes. Nothing
here answers with, or changes anything by, the edit id: a watch answer never names it."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.routes import BODYLESS, answer, errors
from app.api.schemas import NetworkState, WatchState
from app.deps import Client, Service, Watched, WatchId

router = APIRouter(prefix="/api/watch/{watch_id}", tags=["api"], responses=errors(404, 422))


@router.get("", response_model=WatchState)
def watch_network(snap: Watched):
    """The network as it is now, read-only: its NetworkState with `watch_id` and without
    `id`."""
    return answer(snap.state)


@router.post("/copy", status_code=201, response_model=NetworkState, dependencies=BODYLESS)
def copy_watched(watch_id: WatchId, service: Service, client: Client):
    """A copy of your own of the network this watch id names (see POST
    /api/networks/{id}/copy): 201 with the copy's NetworkState, its own id and watch id."""
    return answer(service.copy_watched(watch_id, client).state, 201)
