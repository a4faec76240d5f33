"""Answers that may be large: their body is built once; when it is larger than SPOOL_BYTES
it waits in a temporary file (not in the process's memory) and goes out in CHUNK_BYTES
pieces, each sent only when the client has taken the last (uvicorn's flow control). A
client that reads slowly, or not at all, then holds a file, not megabytes of memory,
until the server drops it (BACKPROP_LAB_SEND_SECONDS). Smaller bodies go out as usual."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO

import anyio.to_thread
import orjson
from starlette.responses import Response

SPOOL_BYTES = 1 << 20
CHUNK_BYTES = 64 * 1024


def spool(chunks: Iterable[bytes]) -> tuple[bytes | IO[bytes], int]:
    """The chunks joined, while they stay under SPOOL_BYTES; else written to a temporary
    file (rewound). And their total size."""
    held: list[bytes] = []
    size = 0
    file: IO[bytes] | None = None
    for chunk in chunks:
        size += len(chunk)
        if file is None and size <= SPOOL_BYTES:
            held.append(chunk)
            continue
        if file is None:
            file = tempfile.TemporaryFile()  # noqa: SIM115 (closed once sent)
            file.writelines(held)
            held = []
        file.write(chunk)
    if file is None:
        return b"".join(held), size
    file.seek(0)
    return file, size


class SpooledResponse(Response):
    """A response whose body comes from `chunks` (bytes), spooled as above."""

    def __init__(self, chunks: Iterable[bytes], status_code=200, headers=None, media_type=None):
        body, size = spool(chunks)
        held = body if isinstance(body, bytes) else None
        self.file = None if isinstance(body, bytes) else body
        super().__init__(held, status_code, headers, media_type)
        self.headers["content-length"] = str(size)

    async def __call__(self, scope, receive, send) -> None:
        if self.file is None:
            return await super().__call__(scope, receive, send)
        try:
            start = {"type": "http.response.start", "status": self.status_code}
            await send({**start, "headers": self.raw_headers})
            while chunk := await anyio.to_thread.run_sync(self.file.read, CHUNK_BYTES):
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            self.file.close()


class SpooledJSON(SpooledResponse):
    """JSON rendered by orjson (several times faster than the standard library on the
    trace's many floats, each in its shortest exact form), spooled when large."""

    media_type = "application/json"

    def __init__(self, content, status_code: int = 200, headers=None):
        body = orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY)
        super().__init__([body], status_code, headers, self.media_type)
