"""The maximum request size, enforced before a route reads anything.

A declared ``Content-Length`` over the limit is refused at once with 413; a chunked body is
counted as it arrives and refused when it crosses the limit. The URL (a query sent by GET) and
the headers together are bounded by the same setting.
"""

from __future__ import annotations

from starlette.requests import Request

from api import errors


class BodyTooLarge(Exception):
    pass


class RequestSizeLimit:
    """Pure ASGI middleware (no buffering, no per-request task)."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        head = len(scope.get("query_string", b"")) + len(scope.get("raw_path", b""))
        head += sum(len(name) + len(value) for name, value in scope.get("headers", ()))
        too_large = head > self.max_bytes  # uvicorn's httptools sets no limit of its own
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_large = too_large or int(value) > self.max_bytes
                except ValueError:
                    too_large = True
        if too_large:
            return await self._refuse(scope, receive, send)

        seen = 0
        limit = self.max_bytes

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope, receive, send):
        response = errors.response(Request(scope, receive), errors.payload_too_large(self.max_bytes))
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
