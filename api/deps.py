"""Shared dependencies, as ``Annotated`` aliases so that route signatures read like prose.

    def page(request: Request, settings: SettingsDep, lang: LangDep, store: LocalStoreDep): …
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from api import errors
from api.pool import Pool
from api.rendering import language
from api.settings import Settings, is_loopback
from api.stores import Stores


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_pool(request: Request) -> Pool:
    return request.app.state.pool


def get_stores(request: Request) -> Stores:
    return request.app.state.stores


def get_local_store(request: Request):
    store = request.app.state.stores.local()
    if store is None:
        raise errors.store_missing()
    return store


def get_language(request: Request) -> str:
    return language(request)


def require_write(request: Request, what: str = "SPARQL Update") -> None:
    """Let a write through only in writable mode, with the token when one is set."""
    settings: Settings = request.app.state.settings
    if not settings.writable:
        raise errors.read_only(what)
    if not settings.token:
        # without a token only loopback may write, whatever interface uvicorn was really bound
        # to (``uvicorn --host 0.0.0.0`` run by hand leaves the ``host`` setting at loopback)
        if not is_loopback(request.client.host if request.client else None):
            raise errors.loopback_only()
        return
    if settings.token:
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                given.strip().encode(), settings.token.encode()):
            raise errors.unauthorized()


SettingsDep = Annotated[Settings, Depends(get_settings)]
PoolDep = Annotated[Pool, Depends(get_pool)]
StoresDep = Annotated[Stores, Depends(get_stores)]
LocalStoreDep = Annotated[object, Depends(get_local_store)]
LangDep = Annotated[str, Depends(get_language)]
