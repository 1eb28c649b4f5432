"""The app factory: ``create_app(settings)`` wires settings, store, worker pool and routers.

    uvicorn --factory api.main:create_app_from_env      # what ``kg serve`` runs

Each uvicorn worker process calls the factory and, in its lifespan, starts its own pool of
query worker processes (``api/pool.py``). One router per URL family lives in ``api/routes/``.

``App`` is FastAPI with one shortcut: a query sent to ``/sparql`` is first offered to
``api.routes.sparql.lean``, which answers the common case before the middleware stack,
routing and dependency solving (about three quarters of a cheap query's time in the server
process otherwise); whatever it does not take goes through the full app.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.cors import CORSMiddleware

from api import errors, extensions, urls
from api.limits import RequestSizeLimit
from api.pool import SPAWN, Pool
from api.rendering import TEMPLATES_DIR
from api.routes import sparql, store, system
from api.settings import Settings
from api.stores import Stores

ROUTERS = (system.router, sparql.router, store.router)


class App(FastAPI):
    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == urls.SPARQL:
            scope["app"] = self
            receive = await sparql.lean(scope, receive, send)
            if receive is None:
                return
        await super().__call__(scope, receive, send)


@asynccontextmanager
async def lifespan(app: FastAPI):
    settings: Settings = app.state.settings
    if settings.endpoint:  # a remote SPARQL server holds the graph (issue 7)
        from api.remote import RemotePool, RemoteStores

        stores, pool = RemoteStores(settings), RemotePool(settings)
    else:
        stores = Stores(settings)
        size = 1 if settings.writable else settings.query_workers  # one writer, jobs in order
        pool = Pool(size, writable=settings.writable, warm_path=stores.store_path(),
                    wait=settings.query_timeout + SPAWN)
    pool.start()
    app.state.stores, app.state.pool = stores, pool
    try:
        yield
    finally:
        pool.close()
        if hasattr(stores, "close"):  # the remote backend's HTTP client
            stores.close()


def create_app(settings: Settings | None = None, *, routers=None) -> FastAPI:
    """The app: the core routers, then ``routers`` (default: ``api.extensions.routers()``)."""
    settings = settings or Settings()
    if routers is None:
        routers = extensions.routers()
    settings.check()
    app = App(
        title="BlueHats knowledge graph",
        description="SPARQL 1.1 endpoint, Graph Store and linked data of the BlueHats graph.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    errors.install(app)
    for router in (*ROUTERS, *routers):
        app.include_router(router)
    static = TEMPLATES_DIR.parent / "static"
    if static.is_dir():
        app.mount("/-/static", StaticFiles(directory=str(static)), name="static")
    # outermost first: size limit, then CORS (so that errors carry CORS headers too)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"]
        + (["PUT", "DELETE"] if settings.writable else []),
        allow_headers=["Accept", "Content-Type", "Authorization", "Accept-Language"],
        expose_headers=["X-KG-Truncated", "X-KG-Rows", "Link", "ETag", "Content-Language",
                        "Location"],
        max_age=3600,
    )
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    return app


def create_app_from_env() -> FastAPI:
    """For ``uvicorn --factory``: settings from the ``KG_*`` environment (set by ``kg serve``)."""
    return create_app(Settings())
