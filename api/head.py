"""Routes that answer HEAD as well as GET, documented once in OpenAPI.

FastAPI answers HEAD only on routes that list it, and a route listing both methods appears
twice in the OpenAPI document under one operation id; so the HEAD twin is left out of it.
"""

from __future__ import annotations

from fastapi import APIRouter


def get_and_head(router: APIRouter, path: str, endpoint, **options) -> None:
    router.add_api_route(path, endpoint, methods=["GET"], **options)
    hidden = {**options, "include_in_schema": False}
    if "name" in hidden:
        hidden["name"] += "_head"
    router.add_api_route(path, endpoint, methods=["HEAD"], **hidden)
