"""HTTP caching of what a build serves: ``ETag`` from the build's content hash, ``Cache-Control``,
and 304 answers to ``If-None-Match``.

A build never changes once published, so everything a page shows is fixed by the content hash
of the build (``manifest.json``) plus the variant the client asked for (format, language, page):
the ETag is both. A new build changes the hash, so no stale page survives a rebuild.

>>> entity_tag("sha256:0123456789abcdef0123", "html", "fr")
'"0123456789abcdef-html-fr"'
>>> matches('W/"x-html-fr", "y"', '"y"')
True
"""

from __future__ import annotations

import re

from starlette.responses import Response

MAX_AGE = 300  # seconds: pages are cheap to revalidate with the ETag
VARY = "Accept, Accept-Language, Cookie"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def entity_tag(content_hash: str | None, *variant: object) -> str | None:
    """A strong ETag for one variant of a build's resource (None without a manifest)."""
    if not content_hash:
        return None
    digest = content_hash.split(":", 1)[-1][:16]
    parts = [digest, *(_SAFE.sub("_", str(v)) for v in variant if v not in (None, ""))]
    return '"' + "-".join(parts) + '"'


def matches(if_none_match: str | None, tag: str | None) -> bool:
    """Whether an ``If-None-Match`` header names ``tag`` (weak comparison, as RFC 9110 asks)."""
    if not if_none_match or not tag:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = tag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == wanted for t in if_none_match.split(","))


def build_tag(request, *variant: object) -> str | None:
    """The ETag of a variant of the published build (``app.state.stores`` manifest)."""
    manifest = request.app.state.stores.manifest() or {}
    return entity_tag(manifest.get("content_hash"), *variant)


def not_modified(request, tag: str | None, headers: dict | None = None) -> Response | None:
    """A 304 when the client already holds ``tag``, else None."""
    if request.method in ("GET", "HEAD") and matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers={**(headers or {}), **cache_headers(tag)})
    return None


def cache_headers(tag: str | None, max_age: int = MAX_AGE) -> dict[str, str]:
    headers = {"Cache-Control": f"public, max-age={max_age}", "Vary": VARY}
    if tag:
        headers["ETag"] = tag
    return headers


def apply(response: Response, tag: str | None, max_age: int = MAX_AGE) -> Response:
    response.headers.update(cache_headers(tag, max_age))
    if "set-cookie" in response.headers:  # the language switch: not for shared caches
        response.headers["Cache-Control"] = f"private, max-age={max_age}"
    return response
