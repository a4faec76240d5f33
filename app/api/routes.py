"""The JSON API under /api: every route of the contract in DESIGN.md.

Each handler checks its input through the schemas, calls the service once and returns
what the service returns. Answers are sent as they come from the service (already plain
JSON data); the response models document them in OpenAPI and the tests check them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import PlainTextResponse, Response

from app.api.readout_schemas import TraceExport, TrainingView
from app.api.schemas import (
    EditedState,
    ErrorBody,
    ForgotState,
    ForwardBackward,
    GradCheck,
    KeepRequest,
    KeptState,
    NetworkCreate,
    NetworkState,
    NetworkUpdate,
    PresetSummary,
    RegenerateRequest,
    TrainedState,
    TrainRequest,
)
from app.deps import Client, NetworkId, Service
from app.documents import export
from app.errors import Invalid
from app.security import json_or_own_page
from app.service import readouts
from app.spool import SpooledJSON, SpooledResponse
from engine.inspect.boundary import DEFAULT_RESOLUTION, MAX_RESOLUTION, MIN_RESOLUTION


def errors(*codes: int) -> dict:
    return {code: {"model": ErrorBody} for code in codes}


router = APIRouter(prefix="/api", tags=["api"], responses=errors(422))
network_router = APIRouter(prefix="/networks/{nid}", responses=errors(404))


BODYLESS = [Depends(json_or_own_page)]  # see app/security.py
Steps = Annotated[ForwardBackward | None, Body()]


def answer(data, status: int = 200) -> SpooledJSON:
    """JSON by orjson; a large answer waits in a file, not in memory (app/spool.py)."""
    return SpooledJSON(data, status_code=status)


@router.get("/presets", response_model=list[PresetSummary])
def presets(service: Service):
    """Every preset: name, title, description and layers."""
    return answer(service.presets())


@router.post("/networks", status_code=201, response_model=NetworkState)
def create_network(body: NetworkCreate, service: Service, client: Client):
    """Create a network from a preset, a full spec, or a preset with overrides (at most
    BACKPROP_LAB_CREATE_PER_MINUTE a minute from one address: 429 past it)."""
    return answer(service.create(body.config(), client).state, 201)


@network_router.get("", response_model=NetworkState)
def get_network(nid: NetworkId, service: Service):
    """The network as it is now: its NetworkState."""
    return answer(service.get(nid).state)


@network_router.patch("", response_model=EditedState)
def edit_network(nid: NetworkId, body: NetworkUpdate, service: Service):
    """Edit the learning rate, optimizer, parameters, data, loss, conventions, the shape
    (layers, activations, features: what stays is kept exactly) or the initialisation (init,
    init_scale, seed: a new run); every edit but η or the optimizer alone clears the
    iteration in progress; the title (not undone). `edit` says what it changed, kept and
    drew."""
    return answer(service.edit(nid, body.edits(), body.title).state)


@network_router.post("/keep", response_model=KeptState, dependencies=BODYLESS)
def keep_run(nid: NetworkId, service: Service, body: Annotated[KeepRequest | None, Body()] = None):
    """Keep this run: its loss and accuracy curves frozen as a ghost (at most four; the
    oldest goes), drawn under the next run's (undoable)."""
    return answer(service.keep_run(nid, body.label if body else None).state)


@network_router.post("/copy", status_code=201, response_model=NetworkState, dependencies=BODYLESS)
def copy_network(nid: NetworkId, service: Service, client: Client):
    """A copy of your own: a new network (new id and watch id) identical to this one as it
    is now (spec, parameters, initial parameters, samples and split, cursor, trace,
    iteration, histories, optimiser state, title), with no undo levels; the original is
    untouched. Counts as a creation (429 past the limit)."""
    return answer(service.copy(nid, client).state, 201)


@network_router.delete("/ghosts/{number}", response_model=ForgotState, dependencies=BODYLESS)
def forget_run(
    nid: NetworkId,
    service: Service,
    number: Annotated[int, Path(ge=1, le=1_000_000, description="the kept run's number")],
):
    """Remove a kept run (undoable)."""
    return answer(service.forget_run(nid, number).state)


@network_router.delete("", status_code=204, response_class=Response)
def delete_network(nid: NetworkId, service: Service):
    """Delete the network (204); its id is unknown from then on."""
    service.delete(nid)
    return Response(status_code=204)


@network_router.post(
    "/forward", response_model=NetworkState, responses=errors(409), dependencies=BODYLESS
)
def forward(nid: NetworkId, service: Service, body: Steps = None):
    """The next layer of the forward pass ({"all": true}: the rest of the pass)."""
    return answer(service.forward(nid, all=bool(body and body.all)).state)


@network_router.post(
    "/backward", response_model=NetworkState, responses=errors(409), dependencies=BODYLESS
)
def backward(nid: NetworkId, service: Service, body: Steps = None):
    """δ and the gradients of the next layer down ({"all": true}: down to layer 1)."""
    return answer(service.backward(nid, all=bool(body and body.all)).state)


@network_router.post(
    "/update", response_model=NetworkState, responses=errors(409), dependencies=BODYLESS
)
def update(nid: NetworkId, service: Service):
    """W^l ← W^l − η ∂L/∂W^l and b^l ← b^l − η ∂L/∂b^l for every layer."""
    return answer(service.update(nid).state)


@network_router.post("/step", response_model=NetworkState, dependencies=BODYLESS)
def step(nid: NetworkId, service: Service):
    """The rest of the current iteration, or a whole one."""
    return answer(service.step(nid).state)


@network_router.post("/train", response_model=TrainedState, responses=errors(409))
def train(nid: NetworkId, body: TrainRequest, service: Service):
    """Run whole iterations on the fast path; stops early, at the last finite iteration,
    when training diverges (see `diverged`)."""
    stop = body.stop.model_dump(exclude_none=True) if body.stop else None
    return answer(service.train(nid, body.iterations, stop=stop).state)


@network_router.post(
    "/undo", response_model=NetworkState, responses=errors(409), dependencies=BODYLESS
)
def undo(nid: NetworkId, service: Service):
    """Revert the last change."""
    return answer(service.undo(nid).state)


@network_router.post("/reset", response_model=NetworkState, dependencies=BODYLESS)
def reset(nid: NetworkId, service: Service):
    """Back to the initial parameters and iteration 0 (undoable)."""
    return answer(service.reset(nid).state)


@network_router.get("/gradcheck", response_model=GradCheck)
def gradcheck(nid: NetworkId, service: Service):
    """Central finite differences against backprop, per layer."""
    return answer(service.gradcheck(nid))


@network_router.post("/regenerate", response_model=NetworkState)
def regenerate(nid: NetworkId, body: RegenerateRequest, service: Service):
    """New samples from a dataset and / or a new train / test split (clears the iteration
    in progress; undoable)."""
    dataset = body.model_dump(exclude_none=True).get("dataset")
    return answer(service.regenerate(nid, dataset, body.test_split).state)


def download(nid: str, suffix: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="network-{nid}{suffix}"'}


@network_router.get("/export", response_model=NetworkCreate)
def export_network(nid: NetworkId, service: Service):
    """The network as the create body that rebuilds it (spec, current parameters, samples):
    POST it to /api/networks for an identical network."""
    return SpooledJSON(export.network_json(service.get(nid).net), headers=download(nid, ".json"))


@network_router.get("/trace", response_model=TraceExport)
def export_trace(nid: NetworkId, service: Service):
    """The current iteration's trace as JSON."""
    return answer(readouts.trace_export(service.get(nid)))


@network_router.get(
    "/trace.csv", response_class=PlainTextResponse, responses={200: {"content": {"text/csv": {}}}}
)
def export_trace_csv(nid: NetworkId, service: Service):
    """The trace as CSV, one row per value: layer, j, k, sample, quantity, value (every
    index counted from 1; empty where a value has none); at most about the work limit's
    worth of rows (422 over it)."""
    net = service.get(nid).net
    seconds = export.trace_values(net) * export.CSV_ROW_SECONDS
    if seconds > service.settings.work_seconds:
        raise Invalid(
            f"trace.csv: the trace holds {export.trace_values(net):,} values; writing them as "
            f"CSV is about {seconds:.1f} s of work, over the {service.settings.work_seconds:g} s "
            "limit of one request; GET …/trace gives them as JSON, or use fewer samples",
            field="trace.csv",
            limit=int(service.settings.work_seconds / export.CSV_ROW_SECONDS),
        )
    return SpooledResponse(
        export.trace_csv_chunks(net),
        media_type="text/csv; charset=utf-8",
        headers=download(nid, "-trace.csv"),
    )


@network_router.get("/training-view", response_model=TrainingView)
def training_view(
    nid: NetworkId,
    service: Service,
    resolution: Annotated[
        int, Query(ge=MIN_RESOLUTION, le=MAX_RESOLUTION, description="grid points per axis")
    ] = DEFAULT_RESOLUTION,
    hidden: Annotated[
        bool, Query(description="also every hidden layer's activations over the grid")
    ] = False,
):
    """The plots' data: the output over the input plane (2 inputs) or along a line
    (1 input), the samples with their classes, loss histories, diagnostics and hints."""
    return answer(readouts.plot_data(service.get(nid), resolution, hidden))


router.include_router(network_router)
