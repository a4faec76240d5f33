"""ASGI middleware that refuses request bodies over the size limit with 413."""

from __future__ import annotations

import json


class BodySizeLimit:
    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def declared_too_big(self, scope) -> bool:
        """Whether the request's Content-Length is over the limit."""
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    return int(value) > self.max_bytes
                except ValueError:
                    return False
        return False

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.declared_too_big(scope):
            return await self._refuse(send)
        seen = 0
        refused = False

        async def limited_receive():
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    refused = True
                    raise BodyTooLarge()
            return message

        started = False

        async def guarded_send(message):
            """Pass the app's answer on; once the body was refused, answer 413 instead
            (the app may have turned the refusal into an error of its own)."""
            nonlocal started
            if message["type"] == "http.response.start":
                if started:
                    return
                started = True
                if refused:
                    return await self._refuse(send)
            elif refused:
                return
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send):
        body = json.dumps(too_large(self.max_bytes)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    pass


def size_text(n: int) -> str:
    """1048576 → '1 MiB', 2048 → '2 KiB', 1500 → '1,500 bytes'."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n:,} bytes"


def too_large(max_bytes: int) -> dict:
    """The 413 answer: the limit in bytes and in words, and what to do."""
    return {
        "detail": f"request body is larger than {max_bytes} bytes ({size_text(max_bytes)}); "
        "send fewer samples or smaller lists",
        "limit": max_bytes,
    }
