"""gzip for the answers (Starlette's GZipMiddleware), deflated by ISA-L (the `isal`
package) where it is installed: the same gzip stream format, at about a sixth of zlib's
CPU on the pages' HTML at level 1 (and a few per cent smaller). Every click and Play
refresh is compressed, so this is a share of each one. Without isal, or with a Starlette
whose GZipResponder does not make its deflater in `compressor`, zlib's as before."""

from __future__ import annotations

import types
import zlib

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder
from starlette.types import Receive, Scope, Send

deflater: types.ModuleType
try:
    from isal import isal_zlib as deflater
except ImportError:  # pragma: no cover (isal is a dependency where it has wheels)
    deflater = zlib

GZIP_BITS = 16 + zlib.MAX_WBITS  # a gzip header and trailer around the deflate stream
FAST = deflater is not zlib and isinstance(getattr(GZipResponder, "compressor", None), property)


class FastGZipResponder(GZipResponder):
    @property
    def compressor(self):
        if self._compressor is None:
            self._compressor = deflater.compressobj(self.compresslevel, zlib.DEFLATED, GZIP_BITS)
        return self._compressor


class Compression(GZipMiddleware):
    """GZipMiddleware, with FastGZipResponder when FAST."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not FAST or scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        responder: IdentityResponder
        if "gzip" in Headers(scope=scope).get("Accept-Encoding", ""):
            responder = FastGZipResponder(
                self.app,
                self.minimum_size,
                compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types,
            )
        else:
            responder = IdentityResponder(
                self.app, self.minimum_size, exclude_content_types=self.exclude_content_types
            )
        await responder(scope, receive, send)
