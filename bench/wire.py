"""A lean HTTP/1.1 client for the classroom's learners (bench/classroom.py): one keep-alive
connection per learner, as a browser tab has, over asyncio's streams.

The class's load generator runs on the same two cores as the server it measures, so its
own CPU is taken from the server. httpx spends most of a request's client CPU in its
layers (connection pool, cookies, URL and header models, decoders): about 2 ms a request,
which for a class of 200 took over a third of a core. This client sends the same requests
(method, path, headers, form or JSON body, gzip accepted) and reads the answer's status,
headers and body (Content-Length or chunked, gzip decoded), and nothing more.

As a browser does, a request sent on a reused connection that the server closed before any
answer arrived (its keep-alive timeout) is sent again on a new connection; an idle
connection is also let go well before the server's timeout (`keep_alive`). Any other
failure raises a WireError, named by its kind (ConnectError, ReadError, ReadTimeout)."""

from __future__ import annotations

import asyncio
import contextlib
import time
import zlib
from urllib.parse import urlencode, urlsplit

import orjson

GZIP_BITS = 16 + zlib.MAX_WBITS
HEADER_LIMIT = 64 * 1024  # the most bytes of status line and headers an answer may have


class WireError(Exception):
    """A request that got no whole answer."""


class ConnectError(WireError):
    pass


class ReadError(WireError):
    pass


class ReadTimeout(WireError):
    pass


class Headers(dict):
    """An answer's headers, by lower-case name; `get` and [] take any case."""

    def get(self, key: str, default=None):  # type: ignore[override]
        return super().get(key.lower(), default)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return super().__contains__(str(key).lower())


class Reply:
    """An answer: status_code, headers, content (decoded), text and json()."""

    __slots__ = ("content", "headers", "status_code")

    def __init__(self, status_code: int, headers: Headers, content: bytes):
        self.status_code, self.headers, self.content = status_code, headers, content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self):
        return orjson.loads(self.content)


class Wire:
    """One connection to `url` (http only), opened when first needed and kept alive."""

    def __init__(self, url: str, timeout: float = 60.0, keep_alive: float = 2.5):
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"bench.wire speaks plain http only, not {url!r}")
        self.base_url = url.rstrip("/")
        self.host, self.port = parts.hostname, parts.port or 80
        self.authority = parts.netloc
        self.timeout, self.keep_alive = timeout, keep_alive
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.idle_since = 0.0

    async def __aenter__(self) -> Wire:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):  # already reset by the other end
                await writer.wait_closed()

    async def post(self, path: str, **kw) -> Reply:
        return await self.request("POST", path, **kw)

    async def get(self, path: str, **kw) -> Reply:
        return await self.request("GET", path, **kw)

    async def request(
        self,
        method: str,
        path: str,
        data: dict | None = None,
        json: object = None,
        headers: dict | None = None,
    ) -> Reply:
        raw = self.encode(method, path, data, json, headers or {})
        try:
            async with asyncio.timeout(self.timeout):
                return await self.exchange(raw)
        except TimeoutError:
            await self.aclose()
            raise ReadTimeout(f"no whole answer within {self.timeout:g} s") from None

    def encode(self, method: str, path: str, data, json, headers: dict) -> bytes:
        body = b""
        head = {"Host": self.authority, "Accept": "*/*", "Accept-Encoding": "gzip, deflate"}
        if data is not None:
            body = urlencode(data).encode()
            head["Content-Type"] = "application/x-www-form-urlencoded"
        elif json is not None:
            body = orjson.dumps(json)
            head["Content-Type"] = "application/json"
        head.update(headers)
        if body or method in ("POST", "PUT", "PATCH"):
            head["Content-Length"] = str(len(body))
        lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in head.items())]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    async def exchange(self, raw: bytes) -> Reply:
        """Send on the kept connection (or a new one); once more on a new one when a kept
        connection ends before any byte of the answer (the server let it go meanwhile)."""
        writer = self.writer
        if writer is not None and (
            writer.is_closing()  # reset or closed by the server while idle
            or time.monotonic() - self.idle_since > self.keep_alive
        ):
            await self.aclose()
        again = self.writer is not None
        while True:
            try:
                return await self.once(raw)
            except _Unanswered:
                if not again:
                    raise ReadError("the server closed the connection without an answer") from None
                again = False

    async def once(self, raw: bytes) -> Reply:
        if self.writer is None:
            try:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            except OSError as e:
                raise ConnectError(str(e)) from None
        reader, writer = self.reader, self.writer
        assert reader is not None
        try:
            writer.write(raw)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as e:
            await self.aclose()
            if e.partial:
                raise ReadError("the connection ended inside an answer's head") from None
            raise _Unanswered from None
        except (ConnectionResetError, BrokenPipeError, RuntimeError):
            # RuntimeError: uvloop's write on a transport the other end has reset
            await self.aclose()
            raise _Unanswered from None
        except (OSError, asyncio.LimitOverrunError) as e:
            await self.aclose()
            raise ReadError(f"{type(e).__name__}: {e}") from None
        try:
            status, headers = parse_head(head)
            body = decoded(await read_body(reader, headers, status), headers)
        except (OSError, EOFError, ValueError, asyncio.LimitOverrunError, zlib.error) as e:
            await self.aclose()  # IncompleteReadError is an EOFError
            raise ReadError(f"{type(e).__name__}: {e}") from None
        if "close" in headers.get("connection", "").lower() or reader.at_eof():
            await self.aclose()
        else:
            self.idle_since = time.monotonic()
        return Reply(status, headers, body)


class _Unanswered(Exception):
    """The connection ended before any byte of the answer."""


def parse_head(head: bytes) -> tuple[int, Headers]:
    if len(head) > HEADER_LIMIT:
        raise ValueError(f"an answer's head of {len(head)} bytes")
    lines = head.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    if not version.startswith("HTTP/1."):
        raise ValueError(f"not an HTTP/1 status line: {lines[0]!r}")
    status = int(rest.split(" ", 1)[0])
    headers = Headers()
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            key = name.strip().lower()
            value = value.strip()
            headers[key] = f"{dict.get(headers, key)}, {value}" if key in headers else value
    return status, headers


def decoded(body: bytes, headers: Headers) -> bytes:
    encoding = headers.get("content-encoding", "")
    if encoding == "gzip":
        return zlib.decompress(body, GZIP_BITS)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


async def read_body(reader: asyncio.StreamReader, headers: Headers, status: int) -> bytes:
    if status in (204, 304) or 100 <= status < 200:
        return b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        parts = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers
                return b"".join(parts)
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
    length = headers.get("content-length")
    if length is not None:
        return await reader.readexactly(int(length))
    return await reader.read()  # to the end: the server closes the connection after it
