"""The routers added to the core app (pages, REST layer, search…), in order.

Each URL family lives in its own module under ``api/routes/`` and is listed here once; the
core routers (``/-/``, ``/sparql``, ``/store``) come first and are wired in ``api/main.py``.
"""

from __future__ import annotations

import importlib

# module names under api.routes, each exposing ``router``; a missing module is skipped so
# that families can land one at a time
FAMILIES: tuple[str, ...] = ("home", "pictures", "resources", "classes", "ontology", "search", "rest",
                             "queries", "downloads", "reconcile")


def routers() -> list:
    out = []
    for name in FAMILIES:
        try:
            module = importlib.import_module(f"api.routes.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"api.routes.{name}":
                raise
            continue
        out.append(module.router)
    return out
