"""The published build as the pages read it: a ``kg.store.describe.Graph`` on the in-process
read-only store, and its search index, made once per build.

When ``kg build`` publishes a new build, ``Stores`` opens its store and a fresh ``Graph`` (with
empty caches) and index replace the old ones.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from api import errors
from kg.search import SearchIndex
from kg.store.describe import Graph

_lock = threading.Lock()


@dataclass
class Published:
    graph: Graph
    manifest: dict
    path: str
    _index: SearchIndex | None = None

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self._index = SearchIndex.from_graph(self.graph, self.graph.base)
        return self._index


def published(request: Request) -> Published:
    """The current build's graph (503 ``store_missing`` when nothing was built yet)."""
    stores = request.app.state.stores
    store = stores.local()
    path = stores.store_path()
    if store is None or path is None:
        raise errors.store_missing()
    current: Published | None = getattr(request.app.state, "published", None)
    if current is None or current.path != path or current.graph.store is not store:
        with _lock:
            current = getattr(request.app.state, "published", None)
            if current is None or current.path != path or current.graph.store is not store:
                settings = request.app.state.settings
                current = Published(Graph(store, settings.base_iri), stores.manifest() or {}, path)
                request.app.state.published = current
    return current


PublishedDep = Annotated[Published, Depends(published)]
