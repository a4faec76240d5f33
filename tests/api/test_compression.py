"""gzip of the answers (app/compression.py): ISA-L's deflater where isal is installed (it
is a dependency), the same gzip stream as zlib's: every page, fragment and stream decodes
to exactly what an uncompressed answer carries; JSON, event streams and small answers go
as they are."""

from __future__ import annotations

import gzip
import zlib

from app import compression
from app.compression import Compression
from tests.support import aio
from tests.support.api_helpers import JSON

HTMX = {"HX-Request": "true"}  # a refused click: the lab region with the refusal


def test_the_fast_deflater_is_the_one_used():
    assert compression.FAST and compression.deflater is not zlib


def test_a_page_and_a_click_answered_compressed_carry_the_same_html(client, create):
    nid = create(preset="seed-xor")["id"]
    for send in (
        lambda enc: client.get(f"/n/{nid}", headers={"Accept-Encoding": enc}),
        lambda enc: client.post(f"/n/{nid}/backward", headers={**HTMX, "Accept-Encoding": enc}),
    ):
        plain, packed = send("identity"), send("gzip")  # the second click is refused alike
        assert plain.status_code == packed.status_code
        assert "content-encoding" not in plain.headers
        assert packed.headers["content-encoding"] == "gzip"
        assert "accept-encoding" in packed.headers["vary"].lower()
        assert packed.text == plain.text  # httpx decoded the gzip stream: the same page
        assert int(packed.headers["content-length"]) < len(plain.content) / 3


def test_json_goes_uncompressed(client, create):
    nid = create(preset="seed-xor")["id"]
    answer = client.post(f"/api/networks/{nid}/step", headers={**JSON, "Accept-Encoding": "gzip"})
    assert answer.status_code == 200 and "content-encoding" not in answer.headers


def streamed(chunks: list[bytes], content_type: bytes = b"text/html") -> tuple[dict, bytes]:
    """(headers, body bytes as sent) of an app streaming `chunks`, through Compression."""

    async def app(scope, receive, send):
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", content_type)],
            }
        )
        for i, chunk in enumerate(chunks):
            await send(
                {"type": "http.response.body", "body": chunk, "more_body": i < len(chunks) - 1}
            )

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "headers": [(b"accept-encoding", b"gzip, br")]}
    aio.run(lambda: Compression(app, minimum_size=100, compresslevel=1)(scope, receive, send))
    headers = {k.decode(): v.decode() for k, v in sent[0]["headers"]}
    return headers, b"".join(m.get("body", b"") for m in sent[1:])


def test_a_streamed_answer_decodes_piece_by_piece_to_what_was_sent():
    chunks = [b"<p>%d</p>" % i * 200 for i in range(5)]
    headers, body = streamed(chunks)
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == b"".join(chunks)
    reader = zlib.decompressobj(16 + zlib.MAX_WBITS)  # as a browser reads it as it comes
    assert reader.decompress(body[: len(body) // 2])  # flushed pieces decode at once


def test_event_streams_and_small_answers_go_as_they_are():
    headers, body = streamed([b"data: 1\n\n" * 50], b"text/event-stream")
    assert "content-encoding" not in headers and body == b"data: 1\n\n" * 50
    headers, body = streamed([b"<p>short</p>"])
    assert "content-encoding" not in headers and body == b"<p>short</p>"
