"""The remote backend: a SPARQL 1.1 server holds the graph (``kg serve --endpoint URL``).

It has the same two faces as the embedded backend, so routes do not know which one they use:

- ``RemoteStores`` (like ``api/stores.py``'s ``Stores``): ``local()`` gives a
  ``kg.store.remote.RemoteStore`` for the pages' own lookups, ``manifest()`` the counts
  (from the last local build pushed with ``kg build --endpoint``, else read from the server);
- ``RemotePool`` (like ``api/pool.py``'s ``Pool``): ``run(op, path, kwargs, timeout)`` runs
  a job of ``kg/store/worker.py`` (``query``, ``graph_get``, ``graph_names``) as an HTTP request
  and *cancels the request* at the time limit (``JobTimeout``: 503 to the client). The row cap,
  formats and error messages are ours (``kg.store.remote``). Writes are not forwarded: the
  remote server is written by ``kg build --endpoint`` or by its own means.

The server's default graph should be the union of its named graphs (``oxigraph serve
--union-default-graph``, Fuseki ``tdb2:unionDefaultGraph true``…): our named queries assume it.
"""

from __future__ import annotations

import asyncio
import time

import anyio.from_thread
import httpx

from kg.store.query import QueryFailed
from kg.store.remote import (
    GRAPH_NAMES,
    Endpoint,
    RemoteStore,
    graph_answer,
    graph_request,
    query_answer,
    query_request,
    server_error,
)

from api.pool import JobTimeout
from api.stores import Stores

COUNTS_TTL = 60.0  # seconds a manifest read from the server is kept


def endpoint_of(settings) -> Endpoint:
    return Endpoint(settings.endpoint, settings.update_endpoint or None,
                    settings.store_endpoint or None)


class RemoteStores(Stores):
    """Which graph the app serves: the remote server's; a local build only for its manifest
    and dumps (the one ``kg build --endpoint`` pushed)."""

    def __init__(self, settings):
        super().__init__(settings)
        self.endpoint = endpoint_of(settings)
        self.remote = RemoteStore(self.endpoint)
        self._counts: tuple[float, dict] | None = None

    def store_path(self) -> str | None:
        return self.endpoint.query

    def manifest(self) -> dict | None:
        local = super().manifest()
        if local is not None:
            return local
        now = time.monotonic()
        if self._counts is None or now - self._counts[0] > COUNTS_TTL:
            try:
                counts = self.remote.counts()
            except Exception:  # noqa: BLE001 - a server down: pages say so on their own lookups
                return None
            self._counts = (now, {"base_iri": self.settings.base_iri, **counts})
        return self._counts[1]

    def local(self):
        return self.remote

    def close(self) -> None:
        self.remote.close()


def _form(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    form: dict[str, list[str]] = {}
    for k, v in pairs:
        form.setdefault(k, []).append(v)
    return form


class RemotePool:
    """Jobs as HTTP requests to the server, each cancelled at its time limit."""

    size = 0
    pids: list[int] = []

    def __init__(self, settings):
        self.settings = settings
        self.endpoint = endpoint_of(settings)
        self.killed = 0  # requests cancelled at their limit
        self._client: httpx.AsyncClient | None = None

    def start(self) -> None:
        self._client = httpx.AsyncClient(timeout=None, limits=httpx.Limits(
            max_connections=64, max_keepalive_connections=32))

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                asyncio.get_running_loop().create_task(client.aclose())
            except RuntimeError:
                pass

    async def run(self, op: str, path: str | None, kwargs: dict, timeout: float):
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            return await asyncio.wait_for(self._run(op, kwargs), timeout)
        except (TimeoutError, asyncio.TimeoutError):
            self.killed += 1
            raise JobTimeout(timeout, loop.time() - started) from None

    async def _run(self, op: str, kwargs: dict):
        client = self._client
        try:
            if op == "query":
                req = query_request(self.endpoint, **kwargs)
                r = await client.post(req.url, data=_form(req.data), headers=req.headers)
                if r.status_code == 400 and req.as_given is not None:
                    # the error positions of the user's own text, not of our LIMIT rewrite
                    r = await client.post(req.url, data=_form(req.as_given), headers=req.headers)
                return query_answer(req, r.status_code, r.headers.get("content-type", ""),
                                    r.content)
            if op == "graph_get":
                method, url, data = graph_request(self.endpoint, kwargs["graph"])
                r = await client.request(method, url, data=data or None,
                                         headers={"Accept": "application/n-triples"})
                if r.status_code == 200 and not self.endpoint.store and not r.content.strip():
                    exists = await self._ask_graph(kwargs["graph"])
                    if not exists:
                        return graph_answer(404, "", b"no such graph", kwargs["fmt"])
                return graph_answer(r.status_code, r.headers.get("content-type", ""),
                                    r.content, kwargs["fmt"])
            if op == "graph_names":
                r = await client.post(self.endpoint.query, data={"query": GRAPH_NAMES},
                                      headers={"Accept": "application/sparql-results+json"})
                if r.status_code != 200:
                    raise server_error(r.status_code, r.content)
                return sorted(b["g"]["value"] for b in r.json()["results"]["bindings"]
                              if b.get("g", {}).get("type") == "uri")
            if op == "ping":
                return "pong"
        except httpx.HTTPError as exc:
            raise QueryFailed(f"the SPARQL server at {self.endpoint.query} did not answer: "
                              f"{type(exc).__name__} {exc}") from None
        raise QueryFailed(f"{op} is not forwarded to a remote SPARQL server (read-only)")

    async def _ask_graph(self, graph: str | None) -> bool:
        if graph is None:
            return True
        from kg.store.remote import NamedNode, sparql_term

        r = await self._client.post(self.endpoint.query,
                                    data={"query": f"ASK {{ GRAPH {sparql_term(NamedNode(graph))} {{ }} }}"},
                                    headers={"Accept": "application/sparql-results+json"})
        return r.status_code == 200 and r.json().get("boolean") is True

    def run_sync(self, op: str, path: str | None, kwargs: dict, timeout: float):
        return anyio.from_thread.run(self.run, op, path, kwargs, timeout)
