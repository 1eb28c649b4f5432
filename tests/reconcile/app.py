"""A minimal app serving only the ``/reconcile`` router over the published build of
``Settings()`` (env ``KG_VAR_DIR``…): the router tested alone, in-process or under uvicorn."""

from fastapi import FastAPI

from api.routes.reconcile import router
from kg.config import Settings


def create(settings: Settings | None = None) -> FastAPI:
    app = FastAPI()
    app.state.settings = settings or Settings()
    app.include_router(router)
    return app
